/**
 * One listener per address. A gateway or broker that finds its address taken
 * must fail at once, before it has joined a consumer group or written a byte,
 * and say who has the address; and whoever starts a server must not take an
 * answer on that address from some other process for its own server's.
 */
import net from 'node:net';
import { XdrError } from '../errors.js';
import { describeProcess, listenersOf } from './proc-info.js';

/** XDR_ERR_ADDRESS_IN_USE for `what` on host:port, naming the listening process where /proc shows it. */
export function addressInUseError(what: string, host: string, port: number, advice: string, cause?: unknown): XdrError {
  const holders = listenersOf(port);
  const who = holders.length > 0 ? ` by ${holders.map(describeProcess).join(', ')}` : ' by another process';
  return new XdrError(
    'XDR_ERR_ADDRESS_IN_USE',
    `${what} cannot listen on ${host}:${port}: the address is in use${who}. ${advice}`,
    { host, port, holders },
    cause === undefined ? undefined : { cause },
  );
}

/** True when nothing listens on host:port (checked by listening on it, exclusively, and closing again). */
export async function addressFree(host: string, port: number): Promise<boolean> {
  return await new Promise<boolean>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws XDR_ERR_ADDRESS_IN_USE when something already listens on host:port. */
export async function assertAddressFree(what: string, host: string, port: number, advice: string): Promise<void> {
  if (!(await addressFree(host, port))) throw addressInUseError(what, host, port, advice);
}
