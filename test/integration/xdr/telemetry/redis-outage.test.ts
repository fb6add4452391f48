// Telemetry is advisory: with the topology's Redis stopped, replication goes on
// and the gateways keep serving (their dashboards fall back to their own
// history); telemetry resumes by itself when Redis is back; and the streams
// keep a region's history across a restart of its gateway. The Redis here is
// a redis-server of this test's own, on a free port, so stopping it harms no
// other test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ensureRedis, freePort } from '../../../../xdr/infra/index.js';
import { defer } from '../../../helpers/cleanup.js';
import { call, get, put, type HasUrl } from '../../../helpers/gateway-http.js';
import { infraLogger } from '../../../helpers/kafka.js';
import { Topology } from '../../../helpers/two-regions/index.js';
import { waitFor } from '../../../helpers/wait.js';

async function now(g: HasUrl): Promise<any> {
  const res = await call(g, 'GET', '/dashboard/api/now');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

test('Redis down: replication goes on, telemetry pauses and resumes by itself; streams keep history across a gateway restart', { timeout: 240_000 }, async (t) => {
  const url = `redis://127.0.0.1:${await freePort()}`;
  let redis = await ensureRedis(url, { logger: infraLogger() });
  assert.ok(redis.started, 'a redis-server of this test');
  defer(t, () => redis.stop());
  const topo = await Topology.create(t, undefined, { redisUrl: url });
  const { a, b } = topo;
  await topo.startBoth();

  // Telemetry of both regions flows through Redis. Same bound as the replication
  // wait below: on a loaded CI machine the topology (brokers' group coordinators,
  // both gateways) took over 20 s to publish a first sample of each region once.
  await waitFor(async () => {
    const n = await now(b);
    return n.from === 'redis' && n.latest[a.name] !== null && n.latest[b.name] !== null;
  }, { timeoutMs: 60_000, what: 'samples of both regions in Redis' });
  await put(a, 'before', { v: 1 });
  await waitFor(async () => (await get(b, 'before')) !== undefined, { timeoutMs: 60_000, what: 'a → b replicating' });

  // Redis goes away.
  const downAtMs = Date.now();
  await redis.stop();
  await waitFor(async () => (await now(a)).telemetry.redis === false, { timeoutMs: 15_000, what: 'a notices Redis is gone' });
  const skippedBefore = (await now(a)).telemetry.skipped;
  for (let i = 0; i < 20; i++) await put(a, `down-${i}`, { i });
  await put(b, 'down-b', { v: 2 });
  await waitFor(async () => (await get(b, 'down-19'))?.bins.i === 19, { timeoutMs: 60_000, what: 'a → b replication while Redis is down' });
  await waitFor(async () => (await get(a, 'down-b'))?.bins.v === 2, { timeoutMs: 60_000, what: 'b → a replication while Redis is down' });
  for (let i = 0; i < 20; i++) assert.equal((await get(b, `down-${i}`))?.bins.i, i);
  // The gateways still serve: readiness, metrics, and a dashboard of their own region.
  assert.equal((await call(a, 'GET', '/readyz')).status, 200);
  assert.equal((await call(a, 'GET', '/metrics')).status, 200);
  const offline = (await call(a, 'GET', `/dashboard/api/history?since=${Date.now() - 60_000}`)).body;
  assert.equal(offline.from, 'local');
  assert.ok(offline.samples[a.name].length > 0, 'the local history goes on');
  // Samples go on in process and are skipped for Redis, not queued for it.
  const down = await waitFor(async () => {
    const n = await now(a);
    return n.telemetry.skipped >= skippedBefore + 2 ? n : undefined;
  }, { timeoutMs: 10_000, what: 'samples skipped while Redis is down' });
  assert.equal(down.from, 'local');
  assert.equal(down.telemetry.redis, false);
  const local = (await call(a, 'GET', `/dashboard/api/history?since=${downAtMs}`)).body;
  assert.ok(local.samples[a.name].length >= 2, 'local samples taken during the outage');
  assert.equal(topo.gateway(a).proc.child.exitCode, null, 'no crash (an unhandled Redis error would end the process)');
  assert.equal(topo.gateway(b).proc.child.exitCode, null);

  // Redis comes back on the same address: telemetry resumes without a restart.
  const backAtMs = Date.now();
  redis = await ensureRedis(url, { logger: infraLogger() });
  await waitFor(async () => {
    const n = await now(b);
    return n.from === 'redis' && n.latest[a.name]?.ts_ms > backAtMs && n.latest[b.name]?.ts_ms > backAtMs;
  }, { timeoutMs: 30_000, intervalMs: 250, what: 'samples of both regions in Redis again' });
  const back = await now(a);
  assert.equal(back.telemetry.redis, true);
  const ship = back.latest[a.name].ship.find((r: any) => r.route === topo.route(a, b));
  assert.ok(ship.success >= 21, `the samples carry the figures of the outage (success ${ship.success})`);

  // History survives a restart of a's gateway: the stream still holds its samples from before.
  await sleep(1500);
  const restartAtMs = Date.now();
  await topo.stop(a);
  await topo.start(a);
  const history = await waitFor(async () => {
    const h = (await call(b, 'GET', `/dashboard/api/history?since=${backAtMs}`)).body;
    const samples = h.samples[a.name] as Array<{ ts_ms: number }>;
    return h.from === 'redis' && samples.some((s) => s.ts_ms < restartAtMs) && samples.some((s) => s.ts_ms > restartAtMs) ? samples : undefined;
  }, { timeoutMs: 20_000, what: "a's samples from before and after its restart" });
  assert.ok(history.length >= 3);
  const client = new Redis(url);
  defer(t, () => client.disconnect());
  assert.ok((await client.xlen(`${topo.prefix}telemetry:${a.name}`)) >= history.length);
});
