// Where operators look: `xdrgate route list`, `xdrgate lag`, /metrics and the
// telemetry samples the dashboard draws, for a route whose destination cannot
// apply it and for a rewind that skipped unreadable records. Same health in, same
// state out, in every view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteShipStats } from '../../../shipper/index.js';
import type { RouteStatus } from '../../../xdr/routes/index.js';
import { renderRouteList } from '../../../xdr/cli/route-format.js';
import { renderLag } from '../../../xdr/cli/lag-format.js';
import { createGatewayMetrics, type StatsSource } from '../../../xdr/metrics/index.js';
import { buildSample } from '../../../xdr/telemetry/index.js';
import { buildReport, destinationView, healthRows, receivingHealth, sourceHealth } from '../../../xdr/route-health/index.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';

const NOW = 1_800_000_000_000;
const base = { resolver: 'lww' as const, forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true };
const missing: RouteSpec = { ...base, name: 'tokyo-virginia-x', source: 'tokyo', destination: 'virginia', namespace: 'user_data2' };
const restoring: RouteSpec = { ...base, name: 'tokyo-virginia-user-data', source: 'tokyo', destination: 'virginia', namespace: 'user_data' };
const incoming: RouteSpec = { ...base, name: 'paris-tokyo', source: 'paris', destination: 'tokyo', namespace: 'nope' };

function ship(route: string, over: Partial<RouteShipStats> = {}): RouteShipStats {
  return { route, state: 'running', lag: 0, lag_ms: 0, in_queue: 0, in_progress: 0, success: 0, abandoned: 0, not_found: 0, filtered_out: 0, retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 0, heartbeats: 0, committed_seq: 0, last_error: null, scan: null, ...over };
}

const shipStats = [
  ship(missing.name),
  ship(restoring.name, {
    recoveries: 1,
    scan: { why: 'rewind', status: 'completed', include_origin: true, since_ms: 0, started_at_ms: NOW - 9000, ended_at_ms: NOW - 1000, total: 8818, scanned: 8817, shipped: 8817, filtered_out: 0, abandoned: 0, unreadable: 1, unreadable_digests: ['ab12'], error: null, acknowledged_at_ms: null },
  }),
];

function statuses(): RouteStatus[] {
  const refusedHere = { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in virginia', at_ms: NOW - 2000 };
  const report = buildReport({ route: missing.name, region: 'virginia', nowMs: NOW - 1000, intervalMs: 2000, refused: refusedHere, recv: undefined });
  const dest = destinationView({ spec: missing, report, region: undefined, board: { readable: true }, updatedAtMs: NOW - 60_000, nowMs: NOW });
  const fine = destinationView({ spec: restoring, report: { ...report, route: restoring.name, status: 'receiving', reason: null }, region: undefined, board: { readable: true }, updatedAtMs: NOW - 60_000, nowMs: NOW });
  const own = buildReport({ route: incoming.name, region: 'tokyo', nowMs: NOW, intervalMs: 2000, refused: { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace nope does not exist in tokyo', at_ms: NOW }, recv: undefined });
  return [
    { spec: missing, intent: 'running', role: 'source', updatedAtMs: NOW - 60_000, ...sourceHealth({ spec: missing, intent: 'running', ship: shipStats[0], destination: dest }) },
    { spec: restoring, intent: 'running', role: 'source', updatedAtMs: NOW - 60_000, ...sourceHealth({ spec: restoring, intent: 'running', ship: shipStats[1], destination: fine }) },
    { spec: incoming, intent: 'running', role: 'destination', updatedAtMs: NOW, ...receivingHealth('running', incoming, own) },
  ];
}

test('route list: the state column and a line saying why, never "running"', () => {
  const text = renderRouteList(statuses());
  assert.match(text, /tokyo-virginia-x\s+tokyo → virginia\s+user_data2\s+lww\s+source\s+erroring\s+not receiving/);
  assert.match(text, /\n {2}destination: not receiving \(namespace user_data2 does not exist in virginia\)/);
  assert.match(text, /\n {2}state: erroring \(XDR_ERR_ROUTE_NAMESPACE_MISSING\) — virginia does not receive it/);
  assert.match(text, /tokyo-virginia-user-data\s+tokyo → virginia\s+user_data\s+lww\s+source\s+incomplete\s+receiving/);
  assert.match(text, /\n {2}rewind \(include-origin\): 8817 of 8818 shipped, 1 unreadable \(skipped: ab12\); completed at /);
  assert.match(text, /paris-tokyo\s+paris → tokyo\s+nope\s+lww\s+destination\s+erroring\s+not receiving \(here\)/);
});

function source(): StatsSource {
  return {
    region: 'tokyo',
    replication: () => ({ ship: shipStats, receive: [] }),
    routes: () => healthRows(statuses()),
    namespaces: () => [],
    http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
  };
}

test('lag (telemetry sample): the route state in the state column, the destination beside it, and a line saying why', () => {
  const sample = buildSample(source(), NOW);
  const x = sample.ship.find((r) => r.route === missing.name)!;
  assert.equal(x.state, 'erroring');
  assert.equal(x.ship_state, 'running');
  assert.equal(x.destination?.status, 'not_receiving');
  assert.deepEqual(sample.receive.map((r) => [r.route, r.state, r.status]), [['paris-tokyo', 'erroring', 'not_receiving']]);
  const text = renderLag({ region: 'tokyo', regions: ['tokyo'], now_ms: NOW, from: 'redis', telemetry: { redis: true, published: 1, skipped: 0 }, latest: { tokyo: sample } });
  assert.match(text, /tokyo-virginia-x\s+erroring\s+0\.0\s+0\b.*not receiving/);
  assert.match(text, /tokyo-virginia-x: erroring \[XDR_ERR_ROUTE_NAMESPACE_MISSING\] — virginia does not receive it: namespace user_data2 does not exist in virginia/);
  assert.match(text, /tokyo-virginia-user-data: incomplete \[SHIP_ERR_SCAN_UNREADABLE\] — rewind completed with 1 unreadable records/);
  assert.match(text, /paris-tokyo \(received\): erroring \[XDR_ERR_ROUTE_NAMESPACE_MISSING\] — not receiving: namespace nope does not exist in tokyo/);
});

function valueOf(text: string, name: string, labels: string): number | undefined {
  for (const line of text.split('\n')) if (line.startsWith(`${name}{`) && line.includes(labels)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  return undefined;
}

test('/metrics: a state gauge per route, the destination status, the error code and the scan counts', async () => {
  const text = await createGatewayMetrics(source(), { processMetrics: false }).render();
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', `route="${missing.name}",role="source",state="erroring"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', `route="${missing.name}",role="source",state="running"`), 0);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', `route="${restoring.name}",role="source",state="incomplete"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', 'route="paris-tokyo",role="destination",state="erroring"'), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_destination_status', `route="${missing.name}",destination="virginia",status="not_receiving"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_destination_status', `route="${missing.name}",destination="virginia",status="receiving"`), 0);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_error', `route="${missing.name}",role="source",code="XDR_ERR_ROUTE_NAMESPACE_MISSING"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_error', `route="${restoring.name}",role="source",code="SHIP_ERR_SCAN_UNREADABLE"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_scan_records', `route="${restoring.name}",why="rewind",kind="unreadable"`), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_scan_records', `route="${restoring.name}",why="rewind",kind="total"`), 8818);
  assert.equal(valueOf(text, 'xdrgate_xdr_scan_records', `route="${restoring.name}",why="rewind",kind="shipped"`), 8817);
});
