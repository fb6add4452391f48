// One owner per region folder and per address, with real `xdrgate serve`
// processes on the shipped config/tokyo.yaml and config/virginia.yaml, a real
// Kafka broker (dedicated: the shipped configs use fixed topic and group names;
// both regions share it to save a JVM) and real Redis:
// - a second Tokyo on the same data-dir is refused, naming the first's pid, and
//   touches nothing: consumer group xdr-tokyo keeps its members throughout (its
//   committed offsets are no witness: the first Tokyo keeps committing as
//   Virginia's shippers write to the topics), routes.json is untouched;
// - a second Tokyo with its own data-dir but the same listen address fails
//   before it joins the consumer group or starts a route (no routes.json);
// - kill -9 of Tokyo leaves a LOCK file behind that does not block its restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Admin } from 'kafkajs';
import { freePort, type KafkaBroker } from '../../../xdr/infra/index.js';
import { acquireDirLock, LOCK_FILE_NAME, readLockHolder } from '../../../xdr/process/index.js';
import { kafkaClient, startDedicatedBroker } from '../../helpers/kafka.js';
import { redisUrl, randomKeyPrefix } from '../../helpers/redis.js';
import { spawnTs, type SpawnedTs } from '../../helpers/spawn.js';
import { tmpDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GROUP = 'xdr-tokyo';

type Region = 'tokyo' | 'virginia';

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };

const topo = {
  broker: undefined as unknown as KafkaBroker,
  admin: undefined as unknown as Admin,
  redis: '',
  prefix: '',
  ports: {} as Record<Region, number>,
  /** Aerospike client-protocol ports: the shipped configs serve one at a fixed port. */
  servicePorts: {} as Record<Region, number>,
  dirs: {} as Record<Region, string>,
  procs: {} as Record<Region, SpawnedTs>,
};

/** `xdrgate serve` for `region` with the test topology's addresses; overrides for the second-owner cases. */
function serve(region: Region, overrides: { dataDir?: string; port?: number } = {}): SpawnedTs {
  return spawnTs(scope, path.join(root, 'bin', 'xdrgate.js'), {
    args: ['serve', '--config', path.join(root, 'config', `${region}.yaml`)],
    env: {
      XDRGATE_FROM_SOURCE: '1',
      XDRGATE_LISTEN: `127.0.0.1:${overrides.port ?? topo.ports[region]}`,
      XDRGATE_SERVICE: `127.0.0.1:${topo.servicePorts[region]}`,
      XDRGATE_DATA_DIR: overrides.dataDir ?? topo.dirs[region],
      XDRGATE_REDIS_URL: topo.redis,
      XDRGATE_REDIS_PREFIX: topo.prefix,
      XDRGATE_KAFKA_TOKYO: topo.broker.bootstrap,
      XDRGATE_KAFKA_VIRGINIA: topo.broker.bootstrap,
      // Peers (anti-entropy, repair after a crash) are the real ones, never a gateway at the configs' default ports.
      XDRGATE_URL_TOKYO: `http://127.0.0.1:${topo.ports.tokyo}`,
      XDRGATE_URL_VIRGINIA: `http://127.0.0.1:${topo.ports.virginia}`,
      XDRGATE_LOG_LEVEL: 'warn',
    },
    stopGraceMs: 30_000,
  });
}

async function startRegion(region: Region): Promise<void> {
  const proc = serve(region);
  topo.procs[region] = proc;
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`${region} exited ${proc.child.exitCode}:\n${proc.stderr()}${proc.stdout()}`);
    return (await fetch(`http://127.0.0.1:${topo.ports[region]}/readyz`)).status === 200;
  }, { timeoutMs: 90_000, intervalMs: 200, what: `${region} ready` });
}

async function put(region: Region, key: string, bins: Record<string, unknown>): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${topo.ports[region]}/v1/records/user_data/own/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bins }) });
  assert.equal(res.status, 200, await res.text());
}

async function get(region: Region, key: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`http://127.0.0.1:${topo.ports[region]}/v1/records/user_data/own/${key}`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200);
  return ((await res.json()) as { bins: Record<string, unknown> }).bins;
}

interface GroupView {
  state: string;
  members: string[];
}

async function groupView(): Promise<GroupView> {
  const { groups } = await topo.admin.describeGroups([GROUP]);
  const g = groups[0]!;
  return { state: g.state, members: g.members.map((m) => m.memberId).sort() };
}

async function committedOffsets(): Promise<string> {
  const topics = await topo.admin.fetchOffsets({ groupId: GROUP });
  return JSON.stringify(topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => [p.partition, p.offset]) })).sort((a, b) => a.topic.localeCompare(b.topic)));
}

/**
 * Runs `proc` to its end while watching group xdr-tokyo every 25 ms: a join by
 * it would put the group into a rebalance (PreparingRebalance, a new member id)
 * for at least the first member's heartbeat interval (1 s), which this sees.
 */
async function watchGroupWhile(proc: SpawnedTs): Promise<GroupView[]> {
  const seen: GroupView[] = [];
  let done = false;
  void proc.exited.then(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done) {
    assert.ok(Date.now() < deadline, `the second gateway did not exit:\n${proc.stderr()}`);
    seen.push(await groupView());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  seen.push(await groupView());
  return seen;
}

const keys: string[] = [];

describe('one owner per region folder and per address', { timeout: 400_000 }, () => {
  before(async () => {
    topo.broker = await startDedicatedBroker(scope, { name: 'own' });
    topo.admin = kafkaClient(topo.broker.brokers, 'xdrgate-test-ownership').admin();
    await topo.admin.connect();
    scope.after(() => topo.admin.disconnect());
    topo.redis = await redisUrl();
    topo.prefix = randomKeyPrefix('xdrgate-own');
    scope.after(async () => {
      const redis = new Redis(topo.redis);
      const found = await redis.keys(`${topo.prefix}*`);
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
    });
    for (const region of ['tokyo', 'virginia'] as const) {
      topo.ports[region] = await freePort();
      topo.servicePorts[region] = await freePort();
      topo.dirs[region] = await tmpDir(scope, `xdrgate-own-${region}-`);
    }
    await Promise.all([startRegion('tokyo'), startRegion('virginia')]);
    // Virginia's writes reach Tokyo through group xdr-tokyo, which then has members and committed offsets.
    for (let i = 0; i < 5; i++) {
      const key = `k-${randomBytes(4).toString('hex')}`;
      keys.push(key);
      await put('virginia', key, { i });
    }
    for (const key of keys) await waitFor(() => get('tokyo', key), { timeoutMs: 60_000, what: `${key} in tokyo` });
    await waitFor(async () => {
      const g = await groupView();
      return g.state === 'Stable' && g.members.length > 0 && (await committedOffsets()).includes('"xdr.virginia.tokyo');
    }, { timeoutMs: 30_000, what: `group ${GROUP} stable with committed offsets` });
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('a second gateway on the same data-dir is refused, naming the first, and touches nothing', async () => {
    const first = topo.procs.tokyo.child.pid!;
    const groupBefore = await groupView();
    const routesFile = path.join(topo.dirs.tokyo, 'routes.json');
    const routesBefore = { text: readFileSync(routesFile, 'utf8'), mtimeMs: statSync(routesFile).mtimeMs };
    const otherPort = await freePort();

    const second = serve('tokyo', { port: otherPort });
    const views = await watchGroupWhile(second);
    assert.equal((await second.exited).code, 1, second.stderr());
    assert.match(second.stderr(), new RegExp(`XDR_ERR_DIR_LOCKED: ${topo.dirs.tokyo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by gateway tokyo: pid ${first} \\(.*xdrgate\\.js serve --config .*tokyo\\.yaml\\), since `));
    assert.match(second.stderr(), /use it; otherwise stop it, or give this one another data-dir/);

    for (const v of views) assert.deepEqual(v, groupBefore, 'no member joined or left group xdr-tokyo');
    assert.deepEqual({ text: readFileSync(routesFile, 'utf8'), mtimeMs: statSync(routesFile).mtimeMs }, routesBefore);
    assert.equal(readLockHolder(path.join(topo.dirs.tokyo, LOCK_FILE_NAME))!.pid, first, 'the LOCK record still names the first');
    await assert.rejects(fetch(`http://127.0.0.1:${otherPort}/healthz`), 'the refused gateway never listened');
    for (const key of keys) assert.ok(await get('tokyo', key), `${key} still in tokyo`);
    await put('tokyo', 'after-refusal', { ok: true });
  });

  it('a second gateway with its own data-dir but the same listen address fails before joining the consumer group', async () => {
    const first = topo.procs.tokyo.child.pid!;
    const groupBefore = await groupView();
    const otherDir = await tmpDir(scope, 'xdrgate-own-second-');

    const second = serve('tokyo', { dataDir: otherDir });
    const views = await watchGroupWhile(second);
    assert.equal((await second.exited).code, 1, second.stderr());
    assert.match(second.stderr(), new RegExp(`XDR_ERR_ADDRESS_IN_USE: gateway tokyo cannot listen on 127\\.0\\.0\\.1:${topo.ports.tokyo}: the address is in use by pid ${first} `));
    assert.match(second.stderr(), /before joining any consumer group or starting a shipper/);

    for (const v of views) assert.deepEqual(v, groupBefore, 'no member joined or left group xdr-tokyo');
    assert.equal(existsSync(path.join(otherDir, 'routes.json')), false, 'no route was started');
    acquireDirLock(otherDir, { owner: 'test', advice: '' }).release(); // its folder was released on the way out
    assert.ok(await get('tokyo', 'after-refusal'), 'the first still serves');
  });

  it('kill -9 leaves a stale LOCK that does not block the restart; the data is there', async () => {
    const killed = topo.procs.tokyo.child.pid!;
    await topo.procs.tokyo.kill();
    assert.equal(readLockHolder(path.join(topo.dirs.tokyo, LOCK_FILE_NAME))!.pid, killed, 'the dead owner left its record');
    await startRegion('tokyo');
    const restarted = topo.procs.tokyo.child.pid!;
    assert.notEqual(restarted, killed);
    assert.equal(readLockHolder(path.join(topo.dirs.tokyo, LOCK_FILE_NAME))!.pid, restarted);
    for (const key of keys) assert.ok(await get('tokyo', key), `${key} survived`);
    assert.ok(await get('tokyo', 'after-refusal'));
    const key = `after-restart-${randomBytes(3).toString('hex')}`;
    await put('virginia', key, { back: true });
    await waitFor(() => get('tokyo', key), { timeoutMs: 60_000, what: 'replication into the restarted tokyo' });
  });
});
