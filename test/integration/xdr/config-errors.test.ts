// An invalid configuration stops `xdrgate serve` before anything starts, with
// exit code 2 and every problem named by its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function serve(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', ...args], { env: { ...process.env, XDRGATE_FROM_SOURCE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('an invalid config file stops the start with every problem and what to fix', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const good = await readFile(path.join(root, 'config', 'tokyo.yaml'), 'utf8');
  const bad = good.replace('write-block-size: 128K', 'write-block-size: 100K').replace('stop-writes-pct: 90', 'stop-writes-pct: 70').replace('destination: virginia', 'destination: mars');
  const file = path.join(dir, 'tokyo.yaml');
  await writeFile(file, bad);
  const res = await serve(['--config', file], { XDRGATE_DATA_DIR: dir });
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /CONFIG_ERR_INVALID/);
  assert.match(res.stderr, /namespaces\.user_data\.storage\.write-block-size: must be a power of two between 128K and 8M/);
  assert.match(res.stderr, /namespaces\.user_data\.stop-writes-pct: must be above high-water-disk-pct/);
  assert.match(res.stderr, /routes\[0\]\.destination: unknown region 'mars'/);
});

test('a bad environment override is reported by its variable name; --check prints the effective config', async () => {
  const bad = await serve(['--config', path.join(root, 'config', 'virginia.yaml'), '--check'], { XDRGATE_LISTEN: 'no-port', XDRGATE_KAFKA_MARS: 'm:1' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /listen: must be "host:port"/);
  assert.match(bad.stderr, /env\.XDRGATE_KAFKA_MARS/);
  const ok = await serve(['--config', path.join(root, 'config', 'virginia.yaml'), '--check'], { XDRGATE_KAFKA_TOKYO: 'kt:9092' });
  assert.equal(ok.code, 0, ok.stderr);
  const config = JSON.parse(ok.stdout);
  assert.deepEqual(config.regions.find((r: { name: string }) => r.name === 'tokyo').kafka.brokers, ['kt:9092']);
});

test('a missing config file is CONFIG_ERR_FILE_UNREADABLE', async () => {
  const res = await serve(['--config', '/nonexistent/xdrgate.yaml']);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /CONFIG_ERR_FILE_UNREADABLE/);
});

test("namespaces-from with the seed's stanzas as pasted stops the start with each setting's file:line and what to do", async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const yaml = (await readFile(path.join(root, 'config', 'tokyo.yaml'), 'utf8')).replace(/^namespaces:\n(?: {2,}.*\n)+/m, 'namespaces-from: aerospike.conf\n');
  await writeFile(path.join(dir, 'tokyo.yaml'), yaml);
  await writeFile(path.join(dir, 'aerospike.conf'), await readFile(path.join(root, 'test/fixtures/aerospike-conf/seed-production.conf'), 'utf8'));
  const res = await serve(['--config', path.join(dir, 'tokyo.yaml')], { XDRGATE_DATA_DIR: dir });
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /CONFIG_ERR_AEROSPIKE_CONF_UNSUPPORTED/);
  assert.match(res.stderr, /aerospike\.conf:27:1 replication-factor: a region is one node/);
  assert.match(res.stderr, /aerospike\.conf:32:1 device: the engine keeps a namespace on files/);
});

test('direct-io on tmpfs stops the start with CONFIG_ERR_DIRECT_IO_UNSUPPORTED and the reason', async (t) => {
  const dir = await mkdtemp('/dev/shm/xdrgate-config-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  const yaml = (await readFile(path.join(root, 'config', 'tokyo.yaml'), 'utf8')).replace('write-block-size: 128K', 'write-block-size: 128K\n      direct-io: true');
  await writeFile(path.join(dir, 'tokyo.yaml'), yaml);
  const res = await serve(['--config', path.join(dir, 'tokyo.yaml'), '--standalone'], { XDRGATE_DATA_DIR: dir, XDRGATE_LISTEN: '127.0.0.1:0', XDRGATE_SERVICE: '127.0.0.1:0' });
  assert.equal(res.code, 2, res.stderr);
  assert.match(res.stderr, /CONFIG_ERR_DIRECT_IO_UNSUPPORTED: namespaces\.user_data\.storage\.direct-io: direct-io: device .* is on tmpfs/);
});
