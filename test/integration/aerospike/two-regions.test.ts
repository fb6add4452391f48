// An application written for Aerospike, pointed at xdrgate: the official Node
// client (aerospike 6.7.1) talks to the service port of two real gateway
// processes started from the shipped config/tokyo.yaml and config/virginia.yaml
// (service ports injected with XDRGATE_SERVICE), each region on its own real
// Kafka broker, sharing a real Redis. What it writes in one region is read,
// queried and deleted through the same client in the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { KafkaBroker } from '../../../xdr/infra/index.js';
import { freePort } from '../../../xdr/infra/index.js';
import { officialClient, type AerospikeModule } from '../../helpers/aerospike-client.js';
import { startDedicatedBroker } from '../../helpers/kafka.js';
import { redisUrl, randomKeyPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const REPLICATION_WAIT_MS = 30_000;
type Region = 'tokyo' | 'virginia';

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
const topo = {
  brokers: {} as Record<Region, KafkaBroker>,
  http: {} as Record<Region, number>,
  service: {} as Record<Region, number>,
  dirs: {} as Record<Region, string>,
  procs: {} as Record<Region, { child: ChildProcess; output: string[] }>,
  clients: {} as Record<Region, AerospikeModule>,
  redis: '',
  prefix: '',
};
let Aerospike: AerospikeModule;

async function startGateway(region: Region): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--config', path.join(root, 'config', `${region}.yaml`)], {
    env: {
      ...process.env,
      XDRGATE_FROM_SOURCE: '1',
      XDRGATE_LISTEN: `127.0.0.1:${topo.http[region]}`,
      XDRGATE_SERVICE: `127.0.0.1:${topo.service[region]}`,
      XDRGATE_DATA_DIR: topo.dirs[region],
      XDRGATE_REDIS_URL: topo.redis,
      XDRGATE_REDIS_PREFIX: topo.prefix,
      XDRGATE_KAFKA_TOKYO: topo.brokers.tokyo.bootstrap,
      XDRGATE_KAFKA_VIRGINIA: topo.brokers.virginia.bootstrap,
      XDRGATE_LOG_LEVEL: process.env.XDRGATE_TEST_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  topo.procs[region] = { child, output };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway ${region} exited ${child.exitCode}:\n${output.join('')}`);
      return (await fetch(`http://127.0.0.1:${topo.http[region]}/readyz`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `${region} gateway ready` },
  );
}

async function stopGateway(region: Region): Promise<void> {
  const p = topo.procs[region];
  if (p === undefined || p.child.exitCode !== null) return;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await exited;
}

const rand = () => randomBytes(4).toString('hex');

describe('the official Aerospike client against two regions', { timeout: 600_000 }, () => {
  before(async () => {
    Aerospike = officialClient();
    const [tokyo, virginia] = await Promise.all([startDedicatedBroker(scope, { name: 'as-tokyo' }), startDedicatedBroker(scope, { name: 'as-virginia' })]);
    topo.brokers = { tokyo, virginia };
    topo.redis = await redisUrl();
    topo.prefix = randomKeyPrefix('xdrgate-as');
    for (const region of ['tokyo', 'virginia'] as const) {
      topo.http[region] = await freePort();
      topo.service[region] = await freePort();
      topo.dirs[region] = await mkdtemp(path.join(os.tmpdir(), `xdrgate-as-${region}-`));
      const dir = topo.dirs[region];
      scope.after(() => rm(dir, { recursive: true, force: true }));
    }
    scope.after(async () => {
      const redis = new Redis(topo.redis);
      const keys = await redis.keys(`${topo.prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    scope.after(async () => {
      for (const region of ['tokyo', 'virginia'] as const) await stopGateway(region).catch(() => undefined);
    });
    await Promise.all([startGateway('tokyo'), startGateway('virginia')]);
    for (const region of ['tokyo', 'virginia'] as const) {
      topo.clients[region] = await Aerospike.connect({ hosts: `127.0.0.1:${topo.service[region]}`, log: { level: Aerospike.log.OFF } });
      const client = topo.clients[region];
      scope.after(() => client.close());
    }
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  const key = (k: string) => new Aerospike.Key('user_data', 'profiles', k);

  async function read(region: Region, k: string): Promise<{ bins: Record<string, unknown>; gen: number } | null> {
    try {
      return await topo.clients[region].get(key(k));
    } catch (err) {
      if ((err as { code?: number }).code === Aerospike.status.ERR_RECORD_NOT_FOUND) return null;
      throw err;
    }
  }

  it('a put in Tokyo is read in Virginia; an operate in Virginia is read back in Tokyo; a delete replicates', async () => {
    const k = `ada-${rand()}`;
    await topo.clients.tokyo.put(key(k), { name: 'Ada', views: 1, tags: ['a', 'b'], prefs: { lang: 'en' } });
    const seen = await waitFor(async () => (await read('virginia', k)) ?? undefined, { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo put in Virginia' });
    assert.deepEqual(seen.bins, { name: 'Ada', views: 1, tags: ['a', 'b'], prefs: { lang: 'en' } });

    const op = Aerospike.operations;
    const result = await topo.clients.virginia.operate(key(k), [op.incr('views', 5), Aerospike.lists.append('tags', 'c'), op.read('views')]);
    assert.equal(result.bins.views, 6);
    await waitFor(async () => ((await read('tokyo', k))?.bins.views === 6 ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Virginia operate in Tokyo' });
    assert.deepEqual((await read('tokyo', k))!.bins.tags, ['a', 'b', 'c']);

    // The client's durableDelete flag is not set: deletes through the service port are durable anyway, so they replicate.
    await topo.clients.tokyo.remove(key(k));
    await waitFor(async () => ((await read('virginia', k)) === null ? true : undefined), { timeoutMs: REPLICATION_WAIT_MS, what: 'the Tokyo delete in Virginia' });
  });

  it('writes with the client\'s default digest-only key are read by batch and found by a secondary-index query in the other region', async () => {
    const tier = 1000 + Math.floor(Math.random() * 1000);
    const keys = Array.from({ length: 20 }, (_, i) => `q-${rand()}-${i}`);
    const job = await topo.clients.virginia.createIntegerIndex({ ns: 'user_data', set: 'profiles', bin: 'tier', index: `idx_tier_${rand()}` });
    await job.wait(50);
    await Promise.all(keys.map((k, i) => topo.clients.tokyo.put(key(k), { tier: i % 2 === 0 ? tier : tier + 1, i })));
    await waitFor(
      async () => {
        const rows = await topo.clients.virginia.batchRead(keys.map((k) => ({ key: key(k), readAllBins: true })));
        return rows.every((r: { status: number }) => r.status === Aerospike.status.OK) ? true : undefined;
      },
      { timeoutMs: REPLICATION_WAIT_MS, what: 'every Tokyo write readable by batch in Virginia' },
    );
    const query = topo.clients.virginia.query('user_data', 'profiles');
    query.where(Aerospike.filter.equal('tier', tier));
    const found = await query.results();
    assert.deepEqual(found.map((r: { bins: { i: number } }) => r.bins.i).sort((a: number, b: number) => a - b), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });
});
