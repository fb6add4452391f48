// `xdrgate up` end to end: it provisions and starts everything, prints where it
// listens, replicates a write from Tokyo to Virginia; a second `up` on the same
// folder is refused and touches nothing of the first; kill -9 of the Tokyo
// gateway is reported and repaired by up while Virginia keeps taking writes
// and reads; and Ctrl-C (SIGINT) stops every part in order and exits 0. Ports
// are picked free so it does not meet a developer's own `xdrgate up`; Redis is
// the test Redis with a key prefix of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../../../xdr/infra/index.js';
import { LOCK_FILE_NAME, pidAlive, readLockHolder } from '../../../xdr/process/index.js';
import { redisUrl, randomKeyPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait.js';
import { officialClient } from '../../helpers/aerospike-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface UpProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function startUp(args: string[], env: NodeJS.ProcessEnv): UpProcess {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'up', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function put(port: number, key: string, bins: Record<string, unknown>): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/records/user_data/profiles/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bins }), signal: AbortSignal.timeout(5_000) });
  if (res.status !== 200) throw new Error(`PUT ${key} at ${port}: ${res.status} ${await res.text()}`);
}

async function get(port: number, key: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/records/user_data/profiles/${key}`, { signal: AbortSignal.timeout(5_000) });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${key} at ${port}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { bins: Record<string, unknown> }).bins;
}

/** Writes and reads back at one region every ~50 ms until stopped, counting every failure. */
function keepWriting(port: number, prefix: string) {
  const stats = { ok: 0, failed: 0, lastError: '' };
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      try {
        await put(port, `${prefix}-${i}`, { i });
        const back = await get(port, `${prefix}-${i}`);
        if (back?.i !== i) throw new Error(`read back ${JSON.stringify(back)} for ${prefix}-${i}`);
        stats.ok += 1;
      } catch (err) {
        stats.failed += 1;
        stats.lastError = (err as Error).message;
      }
      await sleep(50);
    }
  })();
  return { stats, stop: async () => ((running = false), await done) };
}

function holderPid(dir: string): number {
  return readLockHolder(path.join(dir, LOCK_FILE_NAME))!.pid;
}

test('xdrgate up: both regions, one up per folder, a killed gateway restarted while the other region serves, Ctrl-C stops everything', { timeout: 300_000 }, async (t) => {
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
  const [tokyoService, virginiaService] = [await freePort(), await freePort()];
  const args = ['--data-dir', dataDir, '--redis-url', redis,
    '--tokyo-port', String(tokyoPort), '--virginia-port', String(virginiaPort),
    '--tokyo-service-port', String(tokyoService), '--virginia-service-port', String(virginiaService),
    '--tokyo-kafka-port', String(tokyoKafka), '--virginia-kafka-port', String(virginiaKafka)];
  const env = { XDRGATE_FROM_SOURCE: '1', XDRGATE_REDIS_PREFIX: prefix };
  const up = startUp(args, env);
  t.after(async () => {
    if (up.child.exitCode === null) {
      up.child.kill('SIGINT');
      await Promise.race([up.exited, sleep(60_000, undefined, { ref: false })]);
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
    }
  });

  await waitFor(() => {
    if (up.child.exitCode !== null) throw new Error(`up exited ${up.child.exitCode}:\n${up.stderr()}`);
    return up.stdout().includes('xdrgate is up');
  }, { timeoutMs: 180_000, intervalMs: 250, what: '"xdrgate is up"' });
  assert.match(up.stdout(), new RegExp(`tokyo +gateway +http://127\\.0\\.0\\.1:${tokyoPort}`));
  assert.match(up.stdout(), new RegExp(`virginia +gateway +http://127\\.0\\.0\\.1:${virginiaPort}`));
  assert.match(up.stdout(), new RegExp(`kafka 127\\.0\\.0\\.1:${tokyoKafka}`));
  assert.match(up.stdout(), new RegExp(`aerospike clients 127\\.0\\.0\\.1:${virginiaService}`));
  assert.match(up.stderr(), /Kafka brokers/, 'progress is shown while starting');

  await put(tokyoPort, 'ada', { name: 'Ada' });
  const seen = await waitFor(() => get(virginiaPort, 'ada'), { timeoutMs: 30_000, what: 'the Tokyo write in Virginia' });
  assert.equal(seen.name, 'Ada');

  // The shipped configs serve Aerospike's own client too: written in Tokyo, read in Virginia.
  const Aerospike = officialClient();
  const tokyoClient = await Aerospike.connect({ hosts: `127.0.0.1:${tokyoService}` });
  const virginiaClient = await Aerospike.connect({ hosts: `127.0.0.1:${virginiaService}` });
  const key = new Aerospike.Key('user_data', 'profiles', 'grace');
  await tokyoClient.put(key, { name: 'Grace' });
  const record = await waitFor(() => virginiaClient.get(key).catch((err: { code?: number }) => (err.code === Aerospike.status.ERR_RECORD_NOT_FOUND ? undefined : Promise.reject(err))), { timeoutMs: 30_000, what: 'the Tokyo client write in Virginia' });
  assert.equal(record.bins.name, 'Grace');
  // Closed now: the test goes on to kill and restart gateways, which the clients' tend threads would report.
  await Promise.all([tokyoClient.close(), virginiaClient.close()]);

  // --- A second up on the same folder (same command line) is refused and touches nothing.
  const parts = ['tokyo', 'virginia', 'kafka-tokyo', 'kafka-virginia'] as const;
  const owners = Object.fromEntries(parts.map((p) => [p, readLockHolder(path.join(dataDir, p, LOCK_FILE_NAME))!]));
  const files = ['kafka-tokyo/server.properties', 'kafka-tokyo/kafka-logs/meta.properties', 'kafka-virginia/server.properties', 'kafka-virginia/kafka-logs/meta.properties'];
  const mtimes = files.map((f) => statSync(path.join(dataDir, f)).mtimeMs);
  const second = startUp(args, env);
  const code = await Promise.race([second.exited, sleep(60_000, undefined, { ref: false }).then(() => 'timeout' as const)]);
  if (code === 'timeout') second.child.kill('SIGKILL');
  assert.equal(code, 1, second.stderr());
  assert.match(second.stderr(), new RegExp(`xdrgate up: XDR_ERR_DIR_LOCKED: ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by xdrgate up: pid ${up.child.pid} \\(.*xdrgate\\.js up --data-dir`));
  assert.doesNotMatch(second.stderr(), /^• /m, 'it started nothing (no progress line)');
  assert.equal(second.stdout(), '');
  assert.equal(holderPid(dataDir), up.child.pid);
  for (const p of parts) {
    const now = readLockHolder(path.join(dataDir, p, LOCK_FILE_NAME))!;
    assert.deepEqual(now, owners[p], `${p} has the same owner`);
    assert.ok(pidAlive(now.child?.pid ?? now.pid), `${p}'s process still runs`);
  }
  assert.deepEqual(files.map((f) => statSync(path.join(dataDir, f)).mtimeMs), mtimes, 'no Kafka config or storage was rewritten');

  // --- kill -9 of the Tokyo gateway: Virginia keeps serving, up restarts Tokyo with the same command line.
  const virginiaLoad = keepWriting(virginiaPort, 'v-during');
  await waitFor(() => virginiaLoad.stats.ok >= 5, { timeoutMs: 10_000, what: 'the Virginia load running' });
  const killed = holderPid(path.join(dataDir, 'tokyo'));
  const killedCommand = readFileSync(`/proc/${killed}/cmdline`, 'utf8');
  const killedEnv = readFileSync(`/proc/${killed}/environ`, 'utf8').split('\0').filter((kv) => kv.startsWith('XDRGATE_')).sort();
  const killedAtMs = Date.now();
  process.kill(killed, 'SIGKILL');
  await waitFor(() => /gateway tokyo exited — signal SIGKILL after .*restarting in 1 s/.test(up.stderr()), { timeoutMs: 15_000, what: 'up reporting the dead gateway' });
  const restartedPid = Number((await waitFor(() => /gateway tokyo restarted — pid (\d+)/.exec(up.stderr()), { timeoutMs: 90_000, what: 'up restarting the gateway' }))[1]);
  assert.notEqual(restartedPid, killed);
  assert.equal(holderPid(path.join(dataDir, 'tokyo')), restartedPid, 'the restarted gateway owns the Tokyo folder');
  assert.equal(readFileSync(`/proc/${restartedPid}/cmdline`, 'utf8'), killedCommand, 'same command line');
  assert.deepEqual(readFileSync(`/proc/${restartedPid}/environ`, 'utf8').split('\0').filter((kv) => kv.startsWith('XDRGATE_')).sort(), killedEnv, 'same environment');
  assert.equal((await fetch(`http://127.0.0.1:${tokyoPort}/readyz`)).status, 200);
  const downMs = Date.now() - killedAtMs;
  assert.ok(await get(tokyoPort, 'ada'), 'Tokyo kept its data');

  // Tokyo serves again, both ways: its writes ship to Virginia, Virginia's reach it once its receiver rejoined.
  await put(tokyoPort, 'after-restart', { from: 'tokyo' });
  await waitFor(() => get(virginiaPort, 'after-restart'), { timeoutMs: 30_000, what: 'a write to the restarted Tokyo in Virginia' });
  await put(virginiaPort, 'to-restarted', { from: 'virginia' });
  await waitFor(() => get(tokyoPort, 'to-restarted'), { timeoutMs: 60_000, what: 'a Virginia write in the restarted Tokyo' });
  await virginiaLoad.stop();
  assert.equal(virginiaLoad.stats.failed, 0, `Virginia failed requests while Tokyo was down: ${virginiaLoad.stats.lastError}`);
  assert.ok(virginiaLoad.stats.ok >= 20, `Virginia served ${virginiaLoad.stats.ok} write+read pairs meanwhile`);
  t.diagnostic(`Tokyo down ${downMs} ms from kill -9 to ready again under up; Virginia served ${virginiaLoad.stats.ok} write+read pairs, ${virginiaLoad.stats.failed} failed`);
  await waitFor(() => get(tokyoPort, `v-during-${virginiaLoad.stats.ok - 1}`), { timeoutMs: 30_000, what: 'the writes Virginia took meanwhile, in Tokyo' });

  const upLog = readFileSync(path.join(dataDir, 'up.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event?: string; service?: string });
  assert.ok(upLog.some((e) => e.event === 'exited' && e.service === 'gateway tokyo'), 'up.log has the death');
  assert.ok(upLog.some((e) => e.event === 'restarted' && e.service === 'gateway tokyo'), 'up.log has the restart');

  // --- Ctrl-C: gateways, then Kafka, then Redis, each waited for.
  up.child.kill('SIGINT');
  assert.equal(await up.exited, 0, up.stderr());
  const order = ['stopped gateway virginia', 'stopped gateway tokyo', 'stopped Kafka virginia', 'stopped Kafka tokyo', 'stopped using Redis at'].map((line) => up.stderr().indexOf(line));
  assert.ok(order.every((i) => i >= 0), up.stderr());
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'stopped in order');
  for (const port of [tokyoPort, virginiaPort, tokyoKafka, virginiaKafka]) await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), `port ${port} is closed`);
  for (const p of parts) {
    const h = readLockHolder(path.join(dataDir, p, LOCK_FILE_NAME))!;
    assert.ok(!pidAlive(h.child?.pid ?? h.pid) || h.pid === process.pid, `${p}'s process is gone`);
  }
});
