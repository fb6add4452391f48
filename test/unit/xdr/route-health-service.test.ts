// Two route managers (tokyo, virginia) sharing an in-memory catalog, each with
// its route health service: the destination reports on the routes addressed to
// it (refusing one whose namespace it lacks), the source shows that in its
// route list and warns when such a route is added; a catalog that cannot be
// reached leaves statuses unknown rather than stopping anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { RouteShipStats } from '../../../shipper/index.js';
import type { RouteRecvStats } from '../../../receiver/index.js';
import { MemoryRouteCatalog, RouteManager, type ReplicationPort } from '../../../xdr/routes/index.js';
import { RouteHealthService, type PipelineFigures } from '../../../xdr/route-health/index.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';

const logger = pino({ level: 'silent' });

class FakeReplication implements ReplicationPort {
  readonly figures: PipelineFigures = { ship: [], receive: [] };
  readonly removed: string[] = [];
  async upsertRoute(spec: RouteSpec) {
    if (spec.resolver === 'custom') throw Object.assign(new Error(`custom resolver module ${spec.customResolverPath} not found`), { code: 'XDR_ERR_CUSTOM_RESOLVER_LOAD' });
  }
  async removeRoute(name: string) {
    this.removed.push(name);
  }
  async pauseRoute() {}
  async resumeRoute() {}
  async rewindRoute() {}
  shippingRoutes() {
    return [];
  }
  async whenShipped() {}
  async reshipRoute(_name: string, digests: readonly Uint8Array[]) {
    return { requested: digests.length, shipped: digests.length, notFound: 0, filteredOut: 0, abandoned: 0 };
  }
  lag() {
    return [];
  }
  stats() {
    return this.figures;
  }
  async stop() {}
}

function ship(route: string, over: Partial<RouteShipStats> = {}): RouteShipStats {
  return { route, state: 'running', lag: 0, lag_ms: 0, in_queue: 0, in_progress: 0, success: 0, abandoned: 0, not_found: 0, filtered_out: 0, retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 0, heartbeats: 0, committed_seq: 0, last_error: null, scan: null, ...over };
}

function recv(route: string, over: Partial<RouteRecvStats> = {}): RouteRecvStats {
  return {
    route, resolver: 'lww', applied: 0, rejected_older: 0, rejected_identical: 0, merged: 0, conflicts_won: 0, conflicts_lost: 0, dead_lettered: 0, resolver_errors: 0, retries: 0, heartbeats: 0, source_backlog: 0,
    last_seen_age_ms: -1, offset_lag: 0, last_applied_age_ms: -1, last_error: null, consumer: { state: 'joined', last_error: null },
    lag: { count: 0, sum_ms: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, lag_recent: { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, ...over,
  };
}

async function region(t: { after(fn: () => Promise<void>): void }, name: string, namespaces: string[], catalog: MemoryRouteCatalog, clock: { now: number }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `xdrgate-health-${name}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const replication = new FakeReplication();
  const health = new RouteHealthService({ region: name, namespaces, board: catalog, figures: () => replication.figures, logger, nowMs: () => clock.now, rules: { intervalMs: 2000 } });
  const manager = new RouteManager({ region: name, regions: ['tokyo', 'virginia'], namespaces, configRoutes: [], dataDir: dir, catalog, replication, logger, resyncMs: 60_000, clockMs: () => clock.now, health });
  await manager.start();
  t.after(async () => {
    await health.stop();
    await manager.stop();
  });
  return { manager, health, replication };
}

const route = (namespace: string, extra: Record<string, unknown> = {}) => ({ source: 'tokyo', destination: 'virginia', namespace, ...extra });

test('a route to a namespace the destination lacks: warned at add, refused and reported by the destination, erroring at both ends', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const clock = { now: 1_800_000_000_000 };
  const tokyo = await region(t, 'tokyo', ['user_data', 'user_data2'], catalog, clock);
  const virginia = await region(t, 'virginia', ['user_data'], catalog, clock);
  // Each region's note of its namespaces is on the board after one exchange.
  virginia.health.nudge();
  await virginia.health.settled();
  tokyo.health.nudge();
  await tokyo.health.settled();

  const added = await tokyo.manager.put('t2v-x', route('user_data2'));
  assert.equal(added.created, true);
  assert.equal(added.warnings.length, 1);
  assert.equal(added.warnings[0]!.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING');
  assert.match(added.warnings[0]!.message, /^namespace user_data2 does not exist in virginia \(its namespaces: user_data,/);
  // The state shows it at once (from virginia's note), before virginia reports on the route.
  tokyo.replication.figures.ship.push(ship('t2v-x'));
  let listed = tokyo.manager.get('t2v-x')!;
  assert.equal(listed.state, 'erroring');
  assert.equal(listed.destination?.status, 'not_receiving');

  // Virginia learns the route from the catalog, refuses it, lists it and reports why.
  await virginia.manager.syncRemote();
  await virginia.health.settled();
  const there = virginia.manager.get('t2v-x')!;
  assert.equal(there.role, 'destination');
  assert.equal(there.state, 'erroring');
  assert.equal(there.reason, 'not receiving: namespace user_data2 does not exist in virginia');
  assert.ok(virginia.manager.list().some((r) => r.spec.name === 't2v-x'), 'the destination lists a route it refuses');

  tokyo.health.nudge();
  await tokyo.health.settled();
  listed = tokyo.manager.get('t2v-x')!;
  assert.equal(listed.state, 'erroring');
  assert.equal(listed.destination?.reason, 'namespace user_data2 does not exist in virginia');
  assert.equal(listed.destination?.reported_at_ms, clock.now, 'from the report, not only the note');

  // A route the destination can apply: receiving once virginia says so.
  await tokyo.manager.put('t2v-ok', route('user_data'));
  tokyo.replication.figures.ship.push(ship('t2v-ok'));
  virginia.replication.figures.receive.push(recv('t2v-ok'));
  await virginia.manager.syncRemote();
  await virginia.health.settled();
  tokyo.health.nudge();
  await tokyo.health.settled();
  const ok = tokyo.manager.get('t2v-ok')!;
  assert.equal(ok.state, 'running');
  assert.equal(ok.destination?.status, 'receiving');
  assert.equal(ok.reason, null);

  // Removed at the source: the destination stops reporting on it.
  await tokyo.manager.remove('t2v-x');
  await virginia.manager.syncRemote();
  await virginia.health.settled();
  assert.equal((await catalog.reports()).some((r) => r.route === 't2v-x'), false);
  assert.equal(virginia.manager.get('t2v-x'), undefined);

  // Redefined at its source onto a namespace virginia lacks: virginia stops receiving the old definition and says why.
  await tokyo.manager.put('t2v-ok', route('user_data2'));
  await virginia.manager.syncRemote();
  assert.ok(virginia.replication.removed.includes('t2v-ok'));
  assert.equal(virginia.manager.get('t2v-ok')!.state, 'erroring');
  assert.equal(virginia.manager.list().filter((r) => r.spec.name === 't2v-ok').length, 1);
});

test('a route the destination cannot start (a resolver module it cannot load) reads erroring with that code', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const clock = { now: 1_800_000_000_000 };
  const tokyo = await region(t, 'tokyo', ['user_data'], catalog, clock);
  const virginia = await region(t, 'virginia', ['user_data'], catalog, clock);
  await tokyo.manager.put('t2v-c', route('user_data', { resolver: 'custom', customResolverPath: 'nope.mjs' })).catch(() => undefined);
  // Tokyo's fake pipeline refuses a custom resolver too; put the route in the catalog as its source would.
  await catalog.publish({ spec: { name: 't2v-c', source: 'tokyo', destination: 'virginia', namespace: 'user_data', resolver: 'custom', customResolverPath: 'nope.mjs', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true }, state: 'running', updatedAtMs: clock.now });
  await virginia.manager.syncRemote();
  const r = virginia.manager.get('t2v-c')!;
  assert.equal(r.state, 'erroring');
  assert.equal(r.error?.code, 'XDR_ERR_CUSTOM_RESOLVER_LOAD');
});

test('reports that cannot be read (Redis away) leave the destination unknown, then stale; nothing else changes', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const clock = { now: 1_800_000_000_000 };
  const tokyo = await region(t, 'tokyo', ['user_data'], catalog, clock);
  const virginia = await region(t, 'virginia', ['user_data'], catalog, clock);
  await tokyo.manager.put('t2v', route('user_data'));
  tokyo.replication.figures.ship.push(ship('t2v'));
  virginia.replication.figures.receive.push(recv('t2v'));
  await virginia.manager.syncRemote();
  await virginia.health.settled();
  tokyo.health.nudge();
  await tokyo.health.settled();
  assert.equal(tokyo.manager.get('t2v')!.destination?.status, 'receiving');

  catalog.down = true;
  clock.now += 3000;
  tokyo.health.nudge();
  await tokyo.health.settled();
  // A report read 3 s ago is still fresh: the outage changes nothing yet.
  assert.equal(tokyo.manager.get('t2v')!.destination?.status, 'receiving');
  clock.now += 10_000;
  const d = tokyo.manager.get('t2v')!;
  assert.equal(d.destination?.status, 'unknown');
  assert.match(d.destination!.reason!, /route catalog \(Redis\) unreachable since/);
  assert.equal(d.state, 'running', 'an unreadable board is not the route failing');

  catalog.down = false;
  tokyo.health.nudge();
  await tokyo.health.settled();
  // Virginia did not report during the outage: its last report is 13 s old.
  assert.equal(tokyo.manager.get('t2v')!.destination?.status, 'not_reporting');
  virginia.health.nudge();
  await virginia.health.settled();
  tokyo.health.nudge();
  await tokyo.health.settled();
  assert.equal(tokyo.manager.get('t2v')!.destination?.status, 'receiving');
});
