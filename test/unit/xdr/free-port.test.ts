import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { ephemeralPortRange, freePort } from '../../../xdr/infra/free-port.js';

async function listen(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve);
  });
  return server;
}

test('freePort returns a port a server can then listen on, below the ephemeral range where it is known', async () => {
  const range = ephemeralPortRange();
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    assert.ok(Number.isInteger(port) && port > 0 && port < 65536, `port ${port}`);
    if (range !== null && range[0] > 11_000) assert.ok(port >= 10_000 && port < range[0], `port ${port} is outside [10000, ${range[0]})`);
    const server = await listen(port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('freePort never returns a port something listens on', async () => {
  const held: net.Server[] = [];
  try {
    const heldPorts = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const port = await freePort();
      held.push(await listen(port));
      heldPorts.add(port);
    }
    for (let i = 0; i < 50; i++) assert.ok(!heldPorts.has(await freePort()));
  } finally {
    for (const s of held) s.close();
  }
});

test('ephemeralPortRange reads the kernel range as two ordered ports (or null off Linux)', () => {
  const range = ephemeralPortRange();
  if (process.platform === 'linux') {
    assert.ok(range !== null);
    assert.ok(range[0] > 0 && range[0] <= range[1] && range[1] < 65536, JSON.stringify(range));
  } else {
    assert.equal(range, null);
  }
});
