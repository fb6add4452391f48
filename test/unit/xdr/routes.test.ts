import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MemoryRouteCatalog, RouteManager, type ReplicationPort } from '../../../xdr/routes/index.js';
import { isXdrError } from '../../../xdr/errors.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';

class FakeReplication implements ReplicationPort {
  readonly running = new Map<string, { spec: RouteSpec; paused: boolean }>();
  readonly log: string[] = [];
  async upsertRoute(spec: RouteSpec, o: { paused: boolean }) {
    this.running.set(spec.name, { spec, paused: o.paused });
    this.log.push(`upsert ${spec.name}${o.paused ? ' paused' : ''}`);
  }
  async removeRoute(name: string, o: { forget: boolean }) {
    this.running.delete(name);
    this.log.push(`remove ${name}${o.forget ? ' forget' : ''}`);
  }
  async pauseRoute(name: string) {
    this.running.get(name)!.paused = true;
  }
  async resumeRoute(name: string) {
    this.running.get(name)!.paused = false;
  }
  async rewindRoute(name: string, sinceMs: number) {
    this.log.push(`rewind ${name} ${sinceMs}`);
  }
  shippingRoutes(ns: string) {
    return [...this.running.values()].filter((r) => r.spec.namespace === ns && !r.paused).map((r) => r.spec.name);
  }
  async whenShipped() {}
  async reshipRoute(name: string, digests: readonly Uint8Array[]) {
    this.log.push(`reship ${name} ${digests.length}`);
    return { requested: digests.length, shipped: digests.length, notFound: 0, filteredOut: 0, abandoned: 0 };
  }
  lag() {
    return {};
  }
  stats() {
    return {};
  }
  async stop() {}
}

const configRoutes: RouteSpec[] = [
  { name: 't2v', source: 'tokyo', destination: 'virginia', namespace: 'user_data', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true },
  { name: 'v2t', source: 'virginia', destination: 'tokyo', namespace: 'user_data', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true },
];

async function region(t: { after: (fn: () => Promise<void>) => void }, name: string, catalog: MemoryRouteCatalog | null, dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), `xdrgate-routes-${name}-`)));
  if (!dataDir) t.after(() => rm(dir, { recursive: true, force: true }));
  const replication = new FakeReplication();
  const manager = new RouteManager({
    region: name,
    regions: ['tokyo', 'virginia'],
    namespaces: ['user_data', 'sessions'],
    configRoutes,
    dataDir: dir,
    catalog,
    replication,
    logger: pino({ level: 'silent' }),
    resyncMs: 60_000,
  });
  await manager.start();
  t.after(() => manager.stop());
  return { manager, replication, dir };
}

/** Waits until the destination's catalog sync (which writes its cache file) has caught up. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for: ${what}`);
}
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

test('first start seeds owned routes from the config; destinations learn theirs from the catalog', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const tokyo = await region(t, 'tokyo', catalog);
  const virginia = await region(t, 'virginia', catalog);
  await settle();
  await tokyo.manager.syncRemote();
  assert.deepEqual(tokyo.manager.list().map((r) => [r.spec.name, r.role]), [['t2v', 'source'], ['v2t', 'destination']]);
  assert.deepEqual(virginia.manager.list().map((r) => [r.spec.name, r.role]), [['t2v', 'destination'], ['v2t', 'source']]);
  assert.ok(tokyo.replication.running.has('t2v') && tokyo.replication.running.has('v2t'));
  const saved = JSON.parse(await readFile(path.join(tokyo.dir, 'routes.json'), 'utf8'));
  assert.deepEqual(saved.routes.map((r: { spec: RouteSpec }) => r.spec.name), ['t2v']);
});

test('a route added, paused, resumed, rewound and removed at its source reaches the destination live', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const tokyo = await region(t, 'tokyo', catalog);
  const virginia = await region(t, 'virginia', catalog);
  const { created } = await tokyo.manager.put('t2v-sessions', { source: 'tokyo', destination: 'virginia', namespace: 'sessions', hotKeyMs: 10 });
  assert.equal(created, true);
  await until(() => virginia.manager.get('t2v-sessions')?.role === 'destination', 'virginia receives t2v-sessions');
  assert.ok(virginia.replication.running.has('t2v-sessions'));

  assert.equal((await tokyo.manager.pause('t2v-sessions')).state, 'paused');
  assert.equal(tokyo.replication.running.get('t2v-sessions')!.paused, true);
  await until(() => virginia.manager.get('t2v-sessions')?.state === 'paused', 'virginia sees the pause');
  assert.equal((await tokyo.manager.resume('t2v-sessions')).state, 'running');
  await tokyo.manager.rewind('t2v-sessions', 1234);
  assert.ok(tokyo.replication.log.includes('rewind t2v-sessions 1234'));

  await tokyo.manager.remove('t2v-sessions');
  await until(() => virginia.manager.get('t2v-sessions') === undefined, 'virginia drops the route');
  assert.ok(virginia.replication.log.includes('remove t2v-sessions forget'));
});

test('routes owned elsewhere cannot be edited here; bad routes name the problem', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const tokyo = await region(t, 'tokyo', catalog);
  await region(t, 'virginia', catalog);
  await settle();
  await tokyo.manager.syncRemote();
  await assert.rejects(tokyo.manager.pause('v2t'), (e: unknown) => isXdrError(e, 'XDR_ERR_ROUTE_NOT_LOCAL'));
  await assert.rejects(tokyo.manager.put('x', { source: 'virginia', destination: 'tokyo', namespace: 'user_data' }), (e: unknown) => isXdrError(e, 'XDR_ERR_ROUTE_NOT_LOCAL'));
  await assert.rejects(tokyo.manager.put('x', { source: 'tokyo', destination: 'virginia', namespace: 'nope' }), (e: unknown) => isXdrError(e, 'XDR_ERR_ROUTE_INVALID') && /namespace/.test(e.message));
  await assert.rejects(tokyo.manager.remove('nothing'), (e: unknown) => isXdrError(e, 'XDR_ERR_ROUTE_NOT_FOUND'));
  await assert.rejects(tokyo.manager.put('t2v-again', { source: 'tokyo', destination: 'virginia', namespace: 'user_data' }), (e: unknown) => isXdrError(e, 'XDR_ERR_ROUTE_INVALID') && /topic/.test(e.message));
  assert.equal((await tokyo.manager.put('t2v-audit', { source: 'tokyo', destination: 'virginia', namespace: 'user_data', topic: 'xdr.tokyo.virginia.audit', sets: { ship: ['audit'] } })).created, true);
});

test('edits survive a restart of the source; the config file does not override them', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-routes-restart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await region(t, 'tokyo', null, dir);
  await first.manager.pause('t2v');
  await first.manager.put('extra', { source: 'tokyo', destination: 'virginia', namespace: 'sessions' });
  await first.manager.stop();
  const second = await region(t, 'tokyo', null, dir);
  assert.equal(second.manager.get('t2v')?.state, 'paused');
  assert.equal(second.manager.get('extra')?.state, 'running');
  assert.equal(second.replication.running.get('t2v')?.paused, true);
  await second.manager.remove('t2v');
  await second.manager.stop();
  const third = await region(t, 'tokyo', null, dir);
  assert.equal(third.manager.get('t2v'), undefined, 'a removed config route stays removed');
});

test('a catalog that lost its entries (Redis restarted empty) is refilled by the source on the next sync', async (t) => {
  const catalog = new MemoryRouteCatalog();
  const tokyo = await region(t, 'tokyo', catalog);
  await catalog.withdraw('t2v');
  assert.equal((await catalog.snapshot()).length, 0);
  await tokyo.manager.syncRemote();
  assert.deepEqual((await catalog.snapshot()).map((r) => r.spec.name), ['t2v']);
});
