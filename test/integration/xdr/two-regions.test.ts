// Two real gateway processes (`xdrgate serve`) started from the shipped
// config/tokyo.yaml and config/virginia.yaml (region names, addresses and
// folders of this test's own: test/helpers/two-regions), each region on its
// own real Kafka broker, sharing a real Redis, driven only through HTTP.
// `tokyo` and `virginia` below name the regions derived from those two files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { call as callAt } from '../../helpers/gateway-http.js';
import { Topology, type RegionSetup } from '../../helpers/two-regions/index.js';
import { waitFor } from '../../helpers/wait.js';
import { concurrentIncrements, type CounterRegion } from '../../helpers/counter-load.js';

const REPLICATION_WAIT_MS = 30_000;

type Region = 'tokyo' | 'virginia';

/** Cleanups of the shared topology, run last-in first-out after the suite. */
const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
let topo: Topology;

function at(region: Region): RegionSetup {
  return region === 'tokyo' ? topo.a : topo.b;
}

/** The shipped configs' name of the route from `from` to `to` for `ns`, in this topology. */
function route(from: Region, to: Region, ns: string): string {
  return topo.route(at(from), at(to), ns);
}

function url(region: Region, p: string): string {
  return `${at(region).url}${p}`;
}

async function startGateway(region: Region): Promise<void> {
  await topo.start(at(region));
}

/** SIGTERM and wait; returns the exit code. */
async function stopGateway(region: Region): Promise<number | null> {
  const proc = topo.gateway(at(region)).proc;
  await proc.stop();
  const { code, signal } = await proc.exited;
  if (signal === 'SIGKILL') throw new Error(`gateway ${region} did not stop after SIGTERM:\n${proc.stderr().slice(-3000)}`);
  return code;
}

function call(region: Region, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  return callAt(at(region), method, p, body);
}

async function put(region: Region, ns: string, key: string, bins: Record<string, unknown>): Promise<void> {
  const res = await call(region, 'PUT', `/v1/records/${ns}/it/${key}`, { bins });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function get(region: Region, ns: string, key: string): Promise<any | undefined> {
  const res = await call(region, 'GET', `/v1/records/${ns}/it/${key}`);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function waitRecord(region: Region, ns: string, key: string, check: (r: any) => boolean, what: string) {
  return waitFor(async () => {
    const r = await get(region, ns, key);
    return r !== undefined && check(r) ? r : undefined;
  }, { timeoutMs: REPLICATION_WAIT_MS, intervalMs: 100, what });
}

const rand = () => randomBytes(4).toString('hex');

describe('two regions through HTTP on real Kafka and Redis', { timeout: 600_000 }, () => {
  before(async () => {
    topo = await Topology.create(scope);
    await topo.startBoth();
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('a write in Tokyo is read in Virginia, and back; deletes replicate too', async () => {
    const k = `a-${rand()}`;
    await put('tokyo', 'user_data', k, { name: 'Ada', views: 1, blob: { $bytes: 'AQID' } });
    const seen = await waitRecord('virginia', 'user_data', k, (r) => r.bins.name === 'Ada', 'tokyo write in virginia');
    assert.deepEqual(seen.bins, { name: 'Ada', views: 1, blob: { $bytes: 'AQID' } });
    assert.equal(seen.region, 1, 'the record remembers it was written in Tokyo (region 1)');

    await put('virginia', 'user_data', k, { views: 2 });
    await waitRecord('tokyo', 'user_data', k, (r) => r.bins.views === 2 && r.bins.name === 'Ada', 'virginia update in tokyo');

    const s = `s-${rand()}`;
    await put('virginia', 'sessions', s, { token: 'abc' });
    await waitRecord('tokyo', 'sessions', s, (r) => r.bins.token === 'abc', 'virginia session in tokyo');

    assert.equal((await call('tokyo', 'DELETE', `/v1/records/user_data/it/${k}`)).status, 204);
    await waitFor(async () => (await get('virginia', 'user_data', k)) === undefined, { timeoutMs: REPLICATION_WAIT_MS, what: 'the delete in virginia' });
  });

  it('anti-entropy is on with the shipped configs: Tokyo leads both route pairs, Virginia waits', async () => {
    // Each gateway re-reads its routes every few seconds; the peer's routes may arrive after the first look.
    const planned = (s: any) => s.body.antiEntropy.length === 2 && s.body.antiEntropy.every((p: any) => p.skip_reason === undefined);
    await waitFor(async () => planned(await call('tokyo', 'GET', '/v1/stats')) && planned(await call('virginia', 'GET', '/v1/stats')), { timeoutMs: 20_000, what: 'both pairs planned in both regions' });
    const [tokyo, virginia] = await Promise.all([call('tokyo', 'GET', '/v1/stats'), call('virginia', 'GET', '/v1/stats')]);
    const pairs = (s: any) => new Map<string, any>(s.body.antiEntropy.map((p: any) => [p.route, p]));
    const t = pairs(tokyo);
    const v = pairs(virginia);
    for (const name of [route('tokyo', 'virginia', 'user_data'), route('tokyo', 'virginia', 'sessions')]) {
      const p = t.get(name);
      assert.ok(p, `tokyo plans a pass for ${name}: ${JSON.stringify(tokyo.body.antiEntropy)}`);
      assert.equal(p.lead, true);
      assert.equal(p.skip_reason, undefined, JSON.stringify(p));
      assert.ok(p.state === 'waiting' || p.state === 'running', JSON.stringify(p));
    }
    for (const name of [route('virginia', 'tokyo', 'user_data'), route('virginia', 'tokyo', 'sessions')]) {
      const p = v.get(name);
      assert.equal(p?.lead, false, JSON.stringify(virginia.body.antiEntropy));
      assert.equal(p.state, 'idle');
    }
    const metrics = await (await fetch(url('tokyo', '/metrics'))).text();
    assert.match(metrics, new RegExp(`xdrgate_xdr_anti_entropy_passes\\{[^}]*route="${route('tokyo', 'virginia', 'user_data')}"`));
  });

  it('counters add up under the shipped lww routes: concurrent increments from both regions, both namespaces', async () => {
    // Both shipped namespaces: user_data (device, commit-to-device) and sessions (memory, acknowledged once
    // shipped). The shipper folds a batch's changes of one record into its current version: a local
    // increment merged into a version that came from the other region must still ship.
    for (const ns of ['user_data', 'sessions']) {
      const counter = (region: Region): CounterRegion => ({
        name: region,
        incr: async (key, delta) => {
          const res = await call(region, 'POST', `/v1/records/${ns}/it/${key}/operate`, { ops: [{ op: 'incr', bin: 'hits', value: delta }] });
          assert.equal(res.status, 200, JSON.stringify(res.body));
        },
        write: (key, bins) => put(region, ns, key, bins),
      });
      const keys = [`c-${rand()}`, `c-${rand()}`, `c-${rand()}`];
      const acked = await concurrentIncrements([counter('tokyo'), counter('virginia')], keys, { rounds: 5, inFlight: 16 });
      for (const key of keys) {
        const sum = acked.get(key)!;
        const [t, v] = await Promise.all([
          waitRecord('tokyo', ns, key, (r) => r.bins.hits === sum, `${ns}/${key} = ${sum} in tokyo`),
          waitRecord('virginia', ns, key, (r) => r.bins.hits === sum, `${ns}/${key} = ${sum} in virginia`),
        ]);
        // The other bins follow lww: both regions settle on the same winner.
        await waitFor(async () => {
          const [a, b] = await Promise.all([get('tokyo', ns, key), get('virginia', ns, key)]);
          const same = (x: Record<string, unknown> | undefined) => JSON.stringify(Object.entries(x ?? {}).sort());
          return a !== undefined && same(a.bins) === same(b?.bins) && a.lut === b?.lut;
        }, { timeoutMs: REPLICATION_WAIT_MS, what: `${ns}/${key} identical in both regions (tokyo ${JSON.stringify(t.bins)}, virginia ${JSON.stringify(v.bins)})` });
      }
    }
  });

  it("every route of the shipped configs reads running, its destination receiving, in both regions' route lists", async () => {
    for (const [region, peer] of [['tokyo', 'virginia'], ['virginia', 'tokyo']] as const) {
      const routes = await waitFor(async () => {
        const list = (await call(region, 'GET', '/v1/xdr/routes')).body.routes as any[];
        const mine = list.filter((r) => r.role === 'source');
        return mine.length === 2 && mine.every((r) => r.state === 'running' && r.destination?.status === 'receiving') ? list : undefined;
      }, { timeoutMs: 30_000, intervalMs: 200, what: `${region}'s routes running with ${peer} receiving` });
      for (const r of routes.filter((x) => x.role === 'source')) {
        assert.equal(r.reason, null, JSON.stringify(r));
        assert.equal(r.destination.region, at(peer).name);
        assert.equal(r.destination.errors_recent, false);
      }
      for (const r of routes.filter((x) => x.role === 'destination')) assert.equal(r.state, 'running', JSON.stringify(r));
    }
  });

  it('pausing a route holds writes back; resuming ships them, without restarts', async () => {
    const name = route('tokyo', 'virginia', 'user_data');
    const paused = await call('tokyo', 'POST', `/v1/xdr/routes/${name}/pause`);
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    assert.equal(paused.body.state, 'paused');
    const k = `p-${rand()}`;
    await put('tokyo', 'user_data', k, { v: 1 });
    await sleep(2000);
    assert.equal(await get('virginia', 'user_data', k), undefined, 'nothing ships while paused');
    assert.equal((await call('tokyo', 'POST', `/v1/xdr/routes/${name}/resume`)).body.state, 'running');
    await waitRecord('virginia', 'user_data', k, (r) => r.bins.v === 1, 'the held write after resume');
  });

  it('rewinding a route re-ships what changed since a time', async () => {
    const since = Date.now() - 1000;
    const k = `r-${rand()}`;
    await put('tokyo', 'user_data', k, { v: 'original' });
    await waitRecord('virginia', 'user_data', k, (r) => r.bins.v === 'original', 'first shipment');
    // A non-durable delete in Virginia leaves no tombstone, so nothing ships back
    // and only a re-shipment from Tokyo can bring the record back.
    assert.equal((await call('virginia', 'DELETE', `/v1/records/user_data/it/${k}?durable=false`)).status, 204);
    assert.equal(await get('virginia', 'user_data', k), undefined);
    const rewound = await call('tokyo', 'POST', `/v1/xdr/routes/${route('tokyo', 'virginia', 'user_data')}/rewind`, { since });
    assert.equal(rewound.status, 200, JSON.stringify(rewound.body));
    await waitRecord('virginia', 'user_data', k, (r) => r.bins.v === 'original', 'the re-shipped record');
  });

  it('a route removed and another added at the source take effect in the destination without restarts', async () => {
    const sessions = route('tokyo', 'virginia', 'sessions');
    assert.equal((await call('tokyo', 'DELETE', `/v1/xdr/routes/${sessions}`)).status, 204);
    await waitFor(async () => (await call('virginia', 'GET', `/v1/xdr/routes/${sessions}`)).status === 404, { timeoutMs: 15_000, what: 'virginia drops the removed route' });
    // sessions acknowledges a write once shipped (durability: shipped, as configured): with
    // its only route gone, Tokyo refuses the write before applying it, rather than keep it in RAM alone.
    const gone = `g-${rand()}`;
    const refused = await call('tokyo', 'PUT', `/v1/records/sessions/it/${gone}`, { bins: { v: 1 } });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'XDR_ERR_NOT_SHIPPED');
    assert.equal(await get('tokyo', 'sessions', gone), undefined, 'a refused write is not applied');
    await sleep(1000);
    assert.equal(await get('virginia', 'sessions', gone), undefined, 'a removed route ships nothing');

    const added = await call('tokyo', 'PUT', `/v1/xdr/routes/${sessions}-v2`, { source: at('tokyo').name, destination: at('virginia').name, namespace: 'sessions', hotKeyMs: 5 });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await waitFor(async () => (await call('virginia', 'GET', `/v1/xdr/routes/${sessions}-v2`)).body?.role === 'destination', { timeoutMs: 15_000, what: 'virginia learns the new route' });
    const k = `n-${rand()}`;
    await put('tokyo', 'sessions', k, { v: 2 });
    await waitRecord('virginia', 'sessions', k, (r) => r.bins.v === 2, 'a write shipped by the new route');
    const bad = await call('virginia', 'POST', `/v1/xdr/routes/${sessions}-v2/pause`);
    assert.equal(bad.status, 409, 'routes are edited at their source');
    assert.equal(bad.body.code, 'XDR_ERR_ROUTE_NOT_LOCAL');
  });

  it('bad input over a real socket: 4xx with a code', async () => {
    const res = await fetch(url('tokyo', '/v1/records/user_data/it/x'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"bins": ' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'XDR_ERR_BAD_REQUEST');
    const ns = await call('tokyo', 'PUT', '/v1/records/nope/it/x', { bins: { a: 1 } });
    assert.equal(ns.status, 404);
    assert.equal(ns.body.code, 'ENGINE_ERR_NAMESPACE_NOT_FOUND');
  });

  it('SIGTERM then restart loses nothing, in either region', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `t-${rand()}-${i}`);
    await Promise.all(keys.map((k, i) => put('tokyo', 'user_data', k, { i })));
    // Tokyo stops right after acknowledging: it must flush and keep its cursors.
    assert.equal(await stopGateway('tokyo'), 0, 'a clean stop exits 0');
    await startGateway('tokyo');
    for (const [i, k] of keys.entries()) assert.equal((await get('tokyo', 'user_data', k))?.bins.i, i, `tokyo kept ${k}`);
    await waitFor(async () => {
      for (const k of keys) if ((await get('virginia', 'user_data', k)) === undefined) return false;
      return true;
    }, { timeoutMs: REPLICATION_WAIT_MS, what: 'every acknowledged Tokyo write in Virginia after Tokyo restarted' });

    // Virginia stops while writes are in flight towards it, then comes back.
    const later = Array.from({ length: 50 }, (_, i) => `u-${rand()}-${i}`);
    const stopping = stopGateway('virginia');
    await Promise.all(later.map((k, i) => put('tokyo', 'user_data', k, { i })));
    assert.equal(await stopping, 0);
    await startGateway('virginia');
    await waitFor(async () => {
      for (const k of [...keys, ...later]) if ((await get('virginia', 'user_data', k)) === undefined) return false;
      return true;
    }, { timeoutMs: REPLICATION_WAIT_MS, what: 'writes made while Virginia was down, after its restart' });
    const routes = await call('tokyo', 'GET', '/v1/xdr/routes');
    assert.ok(routes.body.routes.some((r: { spec: { name: string } }) => r.spec.name === `${route('tokyo', 'virginia', 'sessions')}-v2`), 'live route edits survive a restart');
  });
});
