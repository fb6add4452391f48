// What /proc says about processes, as the lock and address errors use it: this
// process's identity, who listens on a port, who has a file open, and how a long
// command is quoted. Linux only (where xdrgate runs its tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addressFree, describeProcess, listenersOf, pidAlive, posixLockHolders, processCommand, processStartTicks, processesWithFileOpen } from '../../../../xdr/process/index.js';

test('this process: alive, a start time, its command line; a pid that cannot exist is not alive', () => {
  assert.equal(pidAlive(process.pid), true);
  assert.equal(pidAlive(0), false);
  assert.equal(pidAlive(2 ** 22 + 1), false);
  assert.match(processStartTicks(process.pid) ?? '', /^\d+$/);
  assert.match(processCommand(process.pid) ?? '', /node/);
});

test('listenersOf names the process listening on a port; addressFree sees the port taken', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as net.AddressInfo).port;
  assert.deepEqual(listenersOf(port).map((p) => p.pid), [process.pid]);
  assert.equal(await addressFree('127.0.0.1', port), false);
});

test('processesWithFileOpen leaves this process out (it has the file open to ask); no POSIX locks on a plain file', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'f');
  const fd = openSync(file, 'a+');
  t.after(() => closeSync(fd));
  assert.deepEqual(processesWithFileOpen(file), []);
  assert.deepEqual(posixLockHolders(file), []);
  assert.deepEqual(posixLockHolders(path.join(dir, 'absent')), []);
});

test('describeProcess keeps the start and the end of a long command', () => {
  assert.equal(describeProcess({ pid: 7, command: 'node serve' }), 'pid 7 (node serve)');
  assert.equal(describeProcess({ pid: 7 }), 'pid 7 (command unknown)');
  const jvm = `java ${'-Xfoo '.repeat(200)}kafka.Kafka /data/kafka-tokyo/server.properties`;
  const text = describeProcess({ pid: 9, command: jvm });
  assert.ok(text.length < 260, text);
  assert.match(text, /^pid 9 \(java -Xfoo .* … .*kafka\.Kafka \/data\/kafka-tokyo\/server\.properties\)$/);
});
