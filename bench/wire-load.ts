/**
 * A load generator cheap enough that the server, not the client, is measured:
 * raw TCP connections, every request built once as bytes before the run, and a
 * response parser that only finds where each reply ends and what its status is.
 * The same generator drives the gateway (HTTP/1.1) and Redis (RESP), so both
 * servers face the same client cost, the same number of connections and the
 * same number of requests in flight per connection.
 *
 * Each connection keeps `depth` requests in flight (1 = one request, wait for
 * its reply, send the next); requests are taken round-robin from a shared list.
 */
import net from 'node:net';

export interface LoadResult {
  /** Replies received. */
  ops: number;
  opsPerSec: number;
  /** CPU the load generator itself used, in % of one core (user + system), so a reader can see it was not the bottleneck. */
  clientCpuPct: number;
  p50Ms: number;
  p99Ms: number;
  /** Replies the parser classed as failures (HTTP status ≥ 300, RESP errors or nil). */
  errors: number;
}

/**
 * Parses replies out of a connection's byte stream. `parse` looks at `buf` from
 * `start` and returns where the first complete reply ends (0 if it is not all
 * there yet) and whether it was a success.
 */
export interface ReplyParser {
  parse(buf: Buffer, start: number): { end: number; ok: boolean } | null;
}

const CRLF = 0x0d;

function lineEnd(buf: Buffer, start: number): number {
  const i = buf.indexOf(CRLF, start);
  return i < 0 || i + 1 >= buf.length ? -1 : i;
}

/** HTTP/1.1 replies with a content-length (what the gateway sends); chunked replies are refused loudly. */
export const httpReplies: ReplyParser = {
  parse(buf, start) {
    const headEnd = buf.indexOf('\r\n\r\n', start, 'latin1');
    if (headEnd < 0) return null;
    const status = (buf[start + 9]! - 48) * 100 + (buf[start + 10]! - 48) * 10 + (buf[start + 11]! - 48);
    const head = buf.toString('latin1', start, headEnd).toLowerCase();
    const at = head.indexOf('content-length:');
    if (at < 0) {
      if (head.includes('transfer-encoding: chunked')) throw new Error('wire-load: chunked HTTP replies are not supported by this load generator');
      return { end: headEnd + 4, ok: status < 300 };
    }
    const length = Number.parseInt(head.slice(at + 15), 10);
    const end = headEnd + 4 + length;
    return end <= buf.length ? { end, ok: status < 300 } : null;
  },
};

/** RESP replies: simple strings, errors, integers, bulk strings (nil counts as a failure: every key was written first). */
export const respReplies: ReplyParser = {
  parse(buf, start) {
    const eol = lineEnd(buf, start);
    if (eol < 0) return null;
    const type = buf[start];
    if (type === 0x24 /* $ */) {
      const length = Number.parseInt(buf.toString('latin1', start + 1, eol), 10);
      if (length < 0) return { end: eol + 2, ok: false };
      const end = eol + 2 + length + 2;
      return end <= buf.length ? { end, ok: true } : null;
    }
    return { end: eol + 2, ok: type !== 0x2d /* - */ };
  },
};

/** RESP arrays of bulk strings (MGET): ok when no element is nil. */
export const respArrayReplies: ReplyParser = {
  parse(buf, start) {
    const eol = lineEnd(buf, start);
    if (eol < 0) return null;
    if (buf[start] !== 0x2a /* * */) return respReplies.parse(buf, start);
    const count = Number.parseInt(buf.toString('latin1', start + 1, eol), 10);
    let at = eol + 2;
    let ok = true;
    for (let i = 0; i < count; i++) {
      const element = respReplies.parse(buf, at);
      if (element === null) return null;
      ok &&= element.ok;
      at = element.end;
    }
    return { end: at, ok };
  },
};

/** A RESP command as bytes. */
export function respCommand(...args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** An HTTP/1.1 keep-alive request as bytes. */
export function httpRequest(method: string, path: string, host: string, body?: string): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  if (body !== undefined) head.push('content-type: application/json', `content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body ?? ''}`);
}

export interface LoadOptions {
  port: number;
  host?: string;
  connections: number;
  /** Requests in flight per connection (1 = no pipelining). */
  depth?: number;
  /** Run for this long… */
  seconds: number;
  /** …or stop after this many replies (e.g. to write every key exactly once). */
  total?: number;
  requests: Buffer[];
  replies: ReplyParser;
}

/** Drives `connections` connections for `seconds` and measures every reply's latency. */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const { requests, replies, seconds } = options;
  const depth = options.depth ?? 1;
  if (requests.length === 0) throw new Error('wire-load: no requests to send');
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let sent = 0;
  const total = options.total ?? Number.POSITIVE_INFINITY;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();

  const runConnection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect({ port: options.port, host: options.host ?? '127.0.0.1', noDelay: true });
      const sentAt: number[] = [];
      let pending: Buffer | null = null;
      let stopping = false;
      const send = (count: number) => {
        const batch: Buffer[] = [];
        count = Math.min(count, total - sent);
        if (count <= 0) return;
        sent += count;
        for (let k = 0; k < count; k++) {
          batch.push(requests[next]!);
          next = next + 1 === requests.length ? 0 : next + 1;
          sentAt.push(performance.now());
        }
        socket.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
      };
      socket.on('connect', () => {
        send(depth);
        if (sentAt.length === 0) socket.end();
      });
      socket.on('data', (chunk: Buffer) => {
        const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        let done = 0;
        for (;;) {
          const reply = replies.parse(buf, start);
          if (!reply) break;
          const now = performance.now();
          latencies.push(now - sentAt.shift()!);
          if (!reply.ok) errors += 1;
          start = reply.end;
          done += 1;
        }
        pending = start < buf.length ? buf.subarray(start) : null;
        if (!stopping && (performance.now() >= deadline || sent >= total)) stopping = true;
        if (!stopping && done > 0) send(done);
        if (sentAt.length === 0) socket.end();
      });
      socket.on('error', reject);
      socket.on('close', () => {
        errors += sentAt.length; // requests the server never answered
        resolve();
      });
    });

  await Promise.all(Array.from({ length: options.connections }, runConnection));
  const elapsedSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuPct = Math.round(((cpu.user + cpu.system) / 1e6 / elapsedSec) * 100);
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 1000) / 1000;
  return { ops: latencies.length, opsPerSec: Math.round(latencies.length / elapsedSec), clientCpuPct, p50Ms: pct(0.5), p99Ms: pct(0.99), errors };
}
