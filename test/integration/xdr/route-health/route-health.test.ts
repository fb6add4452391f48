// Trouble shows where operators look: two real gateway processes on real Kafka
// and Redis. A route to a namespace its destination lacks, a destination whose
// custom resolver throws, and a destination whose engine refuses writes (its
// device full) each show at the SOURCE as state `erroring` with the reason and
// the code: in `xdrgate route list`, /v1/xdr/routes, /v1/xdr/lag, /metrics and
// `xdrgate lag`. The full-device case runs last: its destination's consumer stays
// stuck retrying, as it should.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { call, metricValue, type HasUrl } from '../../../helpers/gateway-http.js';
import { Topology, childEnv, root } from '../../../helpers/two-regions/index.js';
import { waitFor } from '../../../helpers/wait.js';

const run = promisify(execFile);
const STATE_WAIT_MS = 30_000;

const cleanups: Array<() => unknown> = [];
const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
let topo: Topology;

/** `xdrgate <args>` against a gateway, as an operator runs it. */
async function cli(g: HasUrl, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), ...args, '--url', g.url], { env: { ...process.env, ...childEnv() }, timeout: 60_000 });
  return stdout;
}

async function routeAt(g: HasUrl, name: string): Promise<any> {
  const res = await call(g, 'GET', `/v1/xdr/routes/${name}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function addRoute(name: string, body: Record<string, unknown>): Promise<any> {
  const res = await call(topo.a, 'PUT', `/v1/xdr/routes/${name}`, { source: topo.a.name, destination: topo.b.name, ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  scope.after(() => call(topo.a, 'DELETE', `/v1/xdr/routes/${name}`));
  return res.body;
}

async function putRecord(ns: string, key: string, bins: Record<string, unknown>): Promise<void> {
  const res = await call(topo.a, 'PUT', `/v1/records/${ns}/s/${key}`, { bins });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

describe('route state shows what the destination says', { timeout: 300_000 }, () => {
  before(async () => {
    topo = await Topology.create(scope, undefined, {
      namespaces: {
        // onlya exists only at the source; full is large at the source and 1 MiB at the destination.
        // Memory namespaces without a route in the config file must say they may lose data (docs/config.md, durability).
        a: {
          onlya: { durability: 'buffered', storage: { engine: 'memory', 'data-size': '8M' } },
          chk: { durability: 'buffered', storage: { engine: 'memory', 'data-size': '8M' } },
          full: { storage: { engine: 'device', filesize: '16M', 'write-block-size': '128K' } },
        },
        b: {
          chk: { durability: 'buffered', storage: { engine: 'memory', 'data-size': '8M' } },
          full: { storage: { engine: 'device', filesize: '1M', 'write-block-size': '128K' } },
        },
      },
    });
    await topo.startBoth();
    // A resolver module at the destination that throws on every record (relative to the config files).
    await writeFile(path.join(topo.dir, 'thrower.mjs'), 'export function resolve() { throw new Error("resolver bug (test)"); }\n');
    // Both regions have exchanged reports once the configured route reads receiving at its source.
    await waitFor(async () => (await routeAt(topo.a, topo.route(topo.a, topo.b))).destination?.status === 'receiving', { timeoutMs: 60_000, what: `${topo.route(topo.a, topo.b)} receiving at ${topo.b.name}` });
  });

  after(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  });

  it('a route to a namespace the destination lacks: warned at add, then erroring / not receiving everywhere, at both ends', async () => {
    const name = `${topo.a.name}-onlya`;
    const added = await addRoute(name, { namespace: 'onlya' });
    assert.equal(added.warnings?.[0]?.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING', JSON.stringify(added));
    assert.match(added.warnings[0].message, new RegExp(`namespace onlya does not exist in ${topo.b.name}`));

    const expected = `namespace onlya does not exist in ${topo.b.name}`;
    // From the destination's own report on the route, not only its note of its namespaces.
    const r = await waitFor(async () => {
      const x = await routeAt(topo.a, name);
      return x.state === 'erroring' && x.destination?.status === 'not_receiving' && x.destination.reported_at_ms !== null ? x : undefined;
    }, { timeoutMs: STATE_WAIT_MS, what: `${name} erroring at ${topo.a.name} from ${topo.b.name}'s report` });
    assert.equal(r.destination.reason, expected);
    assert.equal(r.error.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING');
    assert.equal(r.intent, 'running');

    const lag = (await call(topo.a, 'GET', '/v1/xdr/lag')).body;
    const row = lag.routes.find((x: any) => x.route === name && x.role === 'ship');
    assert.equal(row.state, 'erroring');
    assert.equal(row.destination.status, 'not_receiving');
    assert.equal(row.destination.reason, expected);

    const metrics = (await call(topo.a, 'GET', '/metrics')).body as string;
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_state', `route="${name}",role="source",state="erroring"`), 1);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_state', `route="${name}",role="source",state="running"`), 0);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_destination_status', `route="${name}",destination="${topo.b.name}",status="not_receiving"`), 1);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_error', `route="${name}",role="source",code="XDR_ERR_ROUTE_NAMESPACE_MISSING"`), 1);

    // The destination lists the route it refuses, and says why.
    const there = await routeAt(topo.b, name);
    assert.equal(there.role, 'destination');
    assert.equal(there.state, 'erroring');
    assert.equal(there.reason, `not receiving: ${expected}`);

    const list = await cli(topo.a, 'route', 'list');
    assert.match(list, new RegExp(`${name}\\s+${topo.a.name} → ${topo.b.name}\\s+onlya\\s+lww\\s+source\\s+erroring\\s+not receiving`));
    assert.ok(list.includes(`destination: not receiving (${expected})`), list);
    // `xdrgate lag` reads the telemetry samples (one a second).
    const lagText = await waitFor(async () => {
      const text = await cli(topo.a, 'lag', '--once');
      return text.includes(`${name}: erroring [XDR_ERR_ROUTE_NAMESPACE_MISSING]`) ? text : undefined;
    }, { timeoutMs: STATE_WAIT_MS, intervalMs: 500, what: 'xdrgate lag to show the route erroring' });
    assert.match(lagText, new RegExp(`${name}\\s+erroring\\b.*not receiving`));
  });

  it('a destination whose custom resolver throws: applying errors at the source, with the count and the code', async () => {
    const name = `${topo.a.name}-chk`;
    await addRoute(name, { namespace: 'chk', resolver: 'custom', customResolverPath: 'thrower.mjs' });
    await waitFor(async () => (await routeAt(topo.a, name)).destination?.status === 'receiving', { timeoutMs: STATE_WAIT_MS, what: `${name} receiving at ${topo.b.name}` });
    for (let i = 0; i < 5; i++) await putRecord('chk', `c${i}`, { i });
    const r = await waitFor(async () => {
      const x = await routeAt(topo.a, name);
      return x.state === 'erroring' && x.destination?.errors?.resolver_errors >= 5 ? x : undefined;
    }, { timeoutMs: STATE_WAIT_MS, what: `${name} erroring with resolver errors` });
    assert.equal(r.error.code, 'CONFLICT_ERR_CUSTOM_THREW');
    assert.match(r.reason, /fails to apply it \(5 resolver errors; last CONFLICT_ERR_CUSTOM_THREW: .*resolver bug \(test\)/);
    assert.equal(r.destination.status, 'receiving', 'it receives; it fails to apply');
    const metrics = (await call(topo.a, 'GET', '/metrics')).body as string;
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_state', `route="${name}",role="source",state="erroring"`), 1);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_destination_errors', `route="${name}",destination="${topo.b.name}",kind="resolver_errors"`), 5);
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_error', `route="${name}",role="source",code="CONFLICT_ERR_CUSTOM_THREW"`), 1);
  });

  it('a destination whose device is full: its engine refuses the writes, and the source shows ENGINE_ERR_STOP_WRITES', async () => {
    const name = `${topo.a.name}-full`;
    await addRoute(name, { namespace: 'full' });
    await waitFor(async () => (await routeAt(topo.a, name)).destination?.status === 'receiving', { timeoutMs: STATE_WAIT_MS, what: `${name} receiving at ${topo.b.name}` });
    // 160 records of 8 KB: more than the destination's 1 MiB device holds.
    const pad = 'x'.repeat(8000);
    for (let i = 0; i < 160; i++) await putRecord('full', `f${i}`, { pad, i });
    const r = await waitFor(async () => {
      const x = await routeAt(topo.a, name);
      return x.state === 'erroring' && x.error?.code === 'ENGINE_ERR_STOP_WRITES' ? x : undefined;
    }, { timeoutMs: STATE_WAIT_MS, what: `${name} erroring with ENGINE_ERR_STOP_WRITES` });
    assert.match(r.reason, new RegExp(`${topo.b.name} fails to apply it \\(\\d+ apply retries; last ENGINE_ERR_STOP_WRITES: RECV_ERR_APPLY_FAILED`));
    assert.ok(r.destination.errors.apply_retries > 0);
    const lag = (await call(topo.a, 'GET', '/v1/xdr/lag')).body;
    const row = lag.routes.find((x: any) => x.route === name && x.role === 'ship');
    assert.equal(row.state, 'erroring');
    assert.equal(row.ship_state, 'running', 'shipping itself is fine: the trouble is at the destination');
    const metrics = (await call(topo.a, 'GET', '/metrics')).body as string;
    assert.equal(metricValue(metrics, 'xdrgate_xdr_route_error', `route="${name}",role="source",code="ENGINE_ERR_STOP_WRITES"`), 1);
    // The destination's own view says the same.
    const there = await routeAt(topo.b, name);
    assert.equal(there.state, 'erroring');
    assert.equal(there.error.code, 'ENGINE_ERR_STOP_WRITES');
  });
});
