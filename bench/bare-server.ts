/**
 * The floor of bench:protocol: a bare Node socket server that frames
 * Aerospike requests (8-byte proto header, 48-bit size) and answers each with
 * the reply the gateway gave to the same kind of request (captured by the
 * bench: a put's, a get's with its 1 KiB bin, a 100-key batch's rows), doing
 * no other work. What it costs is what Node's sockets and the framing cost on
 * this machine: the gateway cannot beat it.
 *
 *   node --import tsx bench/bare-server.ts <replies.json>   (prints its port)
 */
import fs from 'node:fs';
import net from 'node:net';

const canned = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as Record<'put' | 'get' | 'batch', string>;
const replies = { put: Buffer.from(canned.put, 'hex'), get: Buffer.from(canned.get, 'hex'), batch: Buffer.from(canned.batch, 'hex') };
/** AS_MSG info1 BATCH and info2 WRITE: bytes 1 and 2 of the message after the proto header. */
const INFO1_BATCH = 0x08;
const INFO2_WRITE = 0x01;

const server = net.createServer({ noDelay: true }, (socket) => {
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    const out: Buffer[] = [];
    while (buf.length - at >= 8) {
      const end = at + 8 + buf.readUIntBE(at + 2, 6);
      if (end > buf.length) break;
      const info1 = buf[at + 9]!;
      const info2 = buf[at + 10]!;
      out.push((info1 & INFO1_BATCH) !== 0 ? replies.batch : (info2 & INFO2_WRITE) !== 0 ? replies.put : replies.get);
      at = end;
    }
    pending = at < buf.length ? buf.subarray(at) : null;
    if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
