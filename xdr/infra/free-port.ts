import fs from 'node:fs';
import net from 'node:net';

/** Lowest port freePort draws from: above the well-known and most registered service ports. */
const PICK_FLOOR = 10_000;
/** Ports tried below the ephemeral range before falling back to one the kernel picks. */
const PICK_TRIES = 64;

/**
 * The kernel's ephemeral port range ([low, high], which outgoing connections
 * draw their local ports from), from /proc on Linux; null where it cannot be read.
 */
export function ephemeralPortRange(): [number, number] | null {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && Number.isInteger(high) && low! > 0 && low! <= high! ? [low!, high!] : null;
  } catch {
    return null;
  }
}

/**
 * A TCP port on `host` that nothing listens on, for a server that must be told
 * its port before it starts (Kafka, redis-server, a gateway under test).
 *
 * It is drawn at random from below the kernel's ephemeral range and checked by
 * listening on it, so no outgoing connection (a Kafka client, a fetch) can be
 * handed the same port before the server binds it: that race is what a port
 * from `listen(0)`, which comes from the ephemeral range, is open to. Two
 * callers can still draw the same port in the moment between the check and the
 * bind (about one chance in 20,000 per pair); KafkaBroker picks new ports and
 * starts again when a port it picked is taken; any other caller fails loudly.
 * Where the range is unknown or no port below it is free, the kernel picks
 * (port 0).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const range = ephemeralPortRange();
  if (range !== null && range[0] > PICK_FLOOR + 1000) {
    for (let i = 0; i < PICK_TRIES; i++) {
      const candidate = PICK_FLOOR + Math.floor(Math.random() * (range[0] - PICK_FLOOR));
      if ((await listenOnce(host, candidate)) > 0) return candidate;
    }
  }
  const port = await listenOnce(host, 0);
  if (port <= 0) throw new Error(`no free TCP port on ${host}`);
  return port;
}

/** Listens on host:port (0: the kernel picks) and closes again: the port bound, or -1 when it is taken. */
async function listenOnce(host: string, port: number): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(-1) : reject(err)));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : -1;
      server.close(() => resolve(bound));
    });
  });
}

/** True when something accepts TCP connections on host:port within timeoutMs. */
export async function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
