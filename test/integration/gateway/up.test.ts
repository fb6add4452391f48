// `xdrgate up` end to end: it provisions and starts everything, prints where it
// listens, replicates a write from Tokyo to Virginia, and Ctrl-C (SIGINT) stops
// every part and exits 0. Ports are picked free so it does not meet a developer's
// own `xdrgate up`; Redis is the test Redis with a key prefix of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../../../xdr/infra/index.js';
import { redisUrl, randomKeyPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('xdrgate up starts both regions, replicates, and Ctrl-C stops everything', { timeout: 240_000 }, async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-up-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const redis = await redisUrl();
  const prefix = randomKeyPrefix('xdrgate-up');
  t.after(async () => {
    const client = new Redis(redis);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });
  const [tokyoPort, virginiaPort, tokyoKafka, virginiaKafka] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'xdrgate.js'), 'up', '--data-dir', dataDir, '--redis-url', redis,
      '--tokyo-port', String(tokyoPort), '--virginia-port', String(virginiaPort),
      '--tokyo-kafka-port', String(tokyoKafka), '--virginia-kafka-port', String(virginiaKafka)],
    { env: { ...process.env, XDRGATE_FROM_SOURCE: '1', XDRGATE_REDIS_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await Promise.race([exited, sleep(60_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`up exited ${child.exitCode}:\n${stderr}`);
    return stdout.includes('xdrgate is up');
  }, { timeoutMs: 180_000, intervalMs: 250, what: '"xdrgate is up"' });
  assert.match(stdout, new RegExp(`tokyo +gateway +http://127\\.0\\.0\\.1:${tokyoPort}`));
  assert.match(stdout, new RegExp(`virginia +gateway +http://127\\.0\\.0\\.1:${virginiaPort}`));
  assert.match(stdout, new RegExp(`kafka 127\\.0\\.0\\.1:${tokyoKafka}`));
  assert.match(stderr, /Kafka brokers/, 'progress is shown while starting');

  const key = `up-${Date.now()}`;
  const put = await fetch(`http://127.0.0.1:${tokyoPort}/v1/records/user_data/profiles/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bins: { name: 'Ada' } }) });
  assert.equal(put.status, 200);
  const seen = await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${virginiaPort}/v1/records/user_data/profiles/${key}`);
    return res.status === 200 ? ((await res.json()) as { bins: { name: string } }) : undefined;
  }, { timeoutMs: 30_000, what: 'the Tokyo write in Virginia' });
  assert.equal(seen.bins.name, 'Ada');

  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  for (const part of ['gateway tokyo', 'gateway virginia', 'Kafka tokyo', 'Kafka virginia']) assert.match(stderr, new RegExp(`stopped ${part}`));
  for (const port of [tokyoPort, virginiaPort]) await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), `port ${port} is closed`);
});
