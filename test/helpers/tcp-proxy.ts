/**
 * A TCP proxy a test can cut: the network between a gateway and another
 * region's Kafka, made controllable. `cut()` resets every open connection and
 * every new one (what a client sees when a WAN link drops and the far side's
 * firewall answers with RST); `heal()` forwards again. Resets rather than a
 * black hole keep the fault bounded in time: kafkajs notices at once instead
 * of after its 30 s request timeout, which is the behaviour under test here,
 * not the timeout.
 */
import net from 'node:net';
import { defer, type CleanupScope } from './cleanup.js';

export interface TcpProxy {
  /** host:port clients connect to. */
  readonly address: string;
  readonly port: number;
  /** Connections accepted so far (forwarded or reset). */
  connections(): number;
  cut(): void;
  heal(): void;
  isCut(): boolean;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port) and forwards to target; closed when the test ends. */
export async function startTcpProxy(t: CleanupScope, target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    address: `127.0.0.1:${actual}`,
    port: actual,
    connections: () => accepted,
    cut() {
      cut = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    heal() {
      cut = false;
    },
    isCut: () => cut,
    async close() {
      for (const s of open) s.destroy();
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  defer(t, () => proxy.close());
  return proxy;
}
