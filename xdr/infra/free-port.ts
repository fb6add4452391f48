import net from 'node:net';

/**
 * Asks the kernel for a free TCP port on `host` by listening on port 0 and
 * closing again. Another process may grab the port between this call and its use
 * (it comes from the ephemeral range, which outgoing connections draw from too):
 * KafkaBroker picks new ports and starts again when that happens on a first
 * start; any other caller fails loudly rather than silently.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel returned no port'))));
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
