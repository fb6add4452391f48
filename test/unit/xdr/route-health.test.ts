// The state every view of a route shows, derived purely from: the route's
// definition and what the operator asked, the shipper's figures, the
// destination's report (or what its region said about itself), and the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ErrorNote } from '../../../errors/index.js';
import { SHIP_STATES, type RouteShipStats, type ScanReport } from '../../../shipper/index.js';
import type { RouteRecvStats } from '../../../receiver/index.js';
import {
  ROUTE_STATES,
  ROUTE_STATE_SEVERITY,
  buildReport,
  destinationView,
  lagWithHealth,
  parseRegionNote,
  parseReport,
  receivingHealth,
  sourceHealth,
  type DestinationReport,
  type DestinationView,
  type RegionNote,
} from '../../../xdr/route-health/index.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';

const NOW = 1_800_000_000_000;
const spec: RouteSpec = { name: 'tokyo-virginia-x', source: 'tokyo', destination: 'virginia', namespace: 'user_data2', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true };

function ship(over: Partial<RouteShipStats> = {}): RouteShipStats {
  return { route: spec.name, state: 'running', lag: 0, lag_ms: 0, in_queue: 0, in_progress: 0, success: 0, abandoned: 0, not_found: 0, filtered_out: 0, retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 0, heartbeats: 0, committed_seq: 0, last_error: null, scan: null, ...over };
}

function scan(over: Partial<ScanReport> = {}): ScanReport {
  return { why: 'rewind', status: 'completed', include_origin: true, since_ms: 0, started_at_ms: NOW - 60_000, ended_at_ms: NOW - 1000, total: 8818, scanned: 8818, shipped: 8818, filtered_out: 0, abandoned: 0, unreadable: 0, unreadable_digests: [], error: null, acknowledged_at_ms: null, ...over };
}

function recv(over: Partial<RouteRecvStats> = {}): RouteRecvStats {
  return {
    route: spec.name, resolver: 'lww', applied: 10, rejected_older: 0, rejected_identical: 0, merged: 0, conflicts_won: 0, conflicts_lost: 0, dead_lettered: 0, resolver_errors: 0, retries: 0, heartbeats: 3, source_backlog: 0,
    last_seen_age_ms: 100, offset_lag: 0, last_applied_age_ms: 200, last_error: null, consumer: { state: 'joined', last_error: null },
    lag: { count: 0, sum_ms: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, lag_recent: { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, ...over,
  };
}

function report(over: Partial<RouteRecvStats> = {}, atMs = NOW - 1000, refused: ErrorNote | null = null): DestinationReport {
  return buildReport({ route: spec.name, region: 'virginia', nowMs: atMs, intervalMs: 2000, refused, recv: refused === null ? recv(over) : undefined });
}

const readable = { readable: true } as const;

function dest(r: DestinationReport | undefined, region?: RegionNote, nowMs = NOW): DestinationView {
  return destinationView({ spec, report: r, region, board: readable, updatedAtMs: NOW - 3_600_000, nowMs });
}

test('a destination that does not have the namespace: not receiving, and the route reads erroring with the reason, never running', () => {
  const refused = { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in virginia', at_ms: NOW - 5000 };
  const h = sourceHealth({ spec, intent: 'running', ship: ship({ state: 'running', lag_ms: 0, in_queue: 0 }), destination: dest(report({}, NOW - 1000, refused)) });
  assert.equal(h.state, 'erroring');
  assert.equal(h.destination?.status, 'not_receiving');
  assert.equal(h.destination?.reason, 'namespace user_data2 does not exist in virginia');
  assert.equal(h.error?.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING');
  assert.equal(h.reason, 'virginia does not receive it: namespace user_data2 does not exist in virginia');

  // Before the destination's first report on the route, its note of its namespaces says the same.
  const note: RegionNote = { v: 1, region: 'virginia', namespaces: ['user_data', 'sessions'], at_ms: NOW - 10_000 };
  const early = sourceHealth({ spec, intent: 'running', ship: ship(), destination: dest(undefined, note) });
  assert.equal(early.state, 'erroring');
  assert.equal(early.error?.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING');
});

test('applying errors at the destination make the route erroring while recent, with counts and the last code', () => {
  const last = { code: 'ENGINE_ERR_STOP_WRITES', message: 'RECV_ERR_APPLY_FAILED: storing a version failed: no free write block (retried until it succeeds)', at_ms: NOW - 2000 };
  const h = sourceHealth({ spec, intent: 'running', ship: ship(), destination: dest(report({ retries: 40, last_error: last }, NOW - 1000)) });
  assert.equal(h.state, 'erroring');
  assert.equal(h.error?.code, 'ENGINE_ERR_STOP_WRITES');
  assert.match(h.reason!, /^virginia fails to apply it \(40 apply retries; last ENGINE_ERR_STOP_WRITES: /);
  assert.equal(h.destination?.status, 'receiving');
  assert.equal(h.destination?.errors?.apply_retries, 40);

  // An error long before the report (the destination's clock on both) no longer sets the state; the counts stay visible.
  const old = sourceHealth({ spec, intent: 'running', ship: ship(), destination: dest(report({ dead_lettered: 2, last_error: { ...last, at_ms: NOW - 120_000 } }, NOW - 1000)) });
  assert.equal(old.state, 'running');
  assert.equal(old.destination?.errors?.dead_lettered, 2);
  assert.equal(old.destination?.errors_recent, false);
});

test('a destination silent for five intervals reads "not reporting since T"; the route keeps its shipping state', () => {
  const r = report({}, NOW - 11_000);
  const d = dest(r);
  assert.equal(d.status, 'not_reporting');
  assert.equal(d.error?.code, 'XDR_ERR_DESTINATION_SILENT');
  assert.match(d.reason!, new RegExp(`virginia not reporting since ${new Date(NOW - 11_000).toISOString()} \\(its last report said receiving\\)`));
  assert.equal(dest(report({}, NOW - 9_000)).status, 'receiving', 'four and a half intervals old is still fresh');
  const h = sourceHealth({ spec, intent: 'running', ship: ship(), destination: d });
  assert.equal(h.state, 'running');
  assert.match(h.reason!, /^destination: virginia not reporting since/);

  // Never reported, route saved long ago: not reporting since it was saved. Saved just now: waiting.
  assert.equal(destinationView({ spec, report: undefined, region: undefined, board: readable, updatedAtMs: NOW - 60_000, nowMs: NOW }).status, 'not_reporting');
  const waiting = destinationView({ spec, report: undefined, region: undefined, board: readable, updatedAtMs: NOW - 1000, nowMs: NOW });
  assert.equal(waiting.status, 'unknown');
  assert.match(waiting.reason!, /first report/);

  // Reports unreadable (Redis away): unknown, saying why; a fresh report read before the outage still counts.
  const away = destinationView({ spec, report: r, region: undefined, board: { readable: false, sinceMs: NOW - 30_000 }, updatedAtMs: 0, nowMs: NOW });
  assert.equal(away.status, 'unknown');
  assert.match(away.reason!, /Redis\) unreachable since/);
  assert.equal(destinationView({ spec, report: report({}, NOW - 500), region: undefined, board: { readable: false, sinceMs: NOW - 1000 }, updatedAtMs: 0, nowMs: NOW }).status, 'receiving');
});

test('a consumer that fails or is joining: not receiving with its error, or starting', () => {
  const failing = dest(report({ consumer: { state: 'failing', last_error: { code: 'RECV_ERR_CONSUMER_FAILED', message: 'KafkaJSConnectionError: Connection error: connect ECONNREFUSED', at_ms: NOW - 3000 } } }));
  assert.equal(failing.status, 'not_receiving');
  assert.equal(failing.error?.code, 'RECV_ERR_CONSUMER_FAILED');
  assert.equal(sourceHealth({ spec, intent: 'running', ship: ship(), destination: failing }).state, 'erroring');
  const joining = dest(report({ consumer: { state: 'connecting', last_error: null } }));
  assert.equal(joining.status, 'starting');
  assert.equal(sourceHealth({ spec, intent: 'running', ship: ship(), destination: joining }).state, 'running');
});

test('a rewind that stopped reads error with its counts and cause until acknowledged; one that skipped unreadable records reads incomplete', () => {
  const healthy = dest(report());
  const failed = scan({ status: 'failed', shipped: 3000, scanned: 3001, error: { code: 'ENGINE_ERR_IO', message: 'EIO reading data-0.dat', at_ms: NOW - 1000 } });
  const h = sourceHealth({ spec, intent: 'running', ship: ship({ state: 'running', scan: failed }), destination: healthy });
  assert.equal(h.state, 'error');
  assert.equal(h.error?.code, 'ENGINE_ERR_IO');
  assert.match(h.reason!, /^rewind stopped after 3000 of 8818 records shipped: ENGINE_ERR_IO: EIO reading data-0.dat/);
  assert.equal(h.scan?.shipped, 3000);
  // Paused or not, a stopped rewind still needs the operator.
  assert.equal(sourceHealth({ spec, intent: 'paused', ship: ship({ state: 'paused', scan: failed }), destination: healthy }).state, 'error');
  assert.equal(sourceHealth({ spec, intent: 'running', ship: ship({ scan: { ...failed, acknowledged_at_ms: NOW } }), destination: healthy }).state, 'running');

  const skipped = scan({ unreadable: 2, shipped: 8816, unreadable_digests: ['aa', 'bb'] });
  const inc = sourceHealth({ spec, intent: 'running', ship: ship({ scan: skipped }), destination: healthy });
  assert.equal(inc.state, 'incomplete');
  assert.equal(inc.error?.code, 'SHIP_ERR_SCAN_UNREADABLE');
  assert.match(inc.reason!, /^rewind completed with 2 unreadable records \(skipped, not shipped; digests in the log\): 8816 of 8818 records shipped/);
  assert.equal(sourceHealth({ spec, intent: 'running', ship: ship({ scan: { ...skipped, acknowledged_at_ms: NOW } }), destination: healthy }).state, 'running');

  const running = sourceHealth({ spec, intent: 'running', ship: ship({ state: 'recovering', scan: scan({ status: 'running', shipped: 3000, ended_at_ms: null }) }), destination: healthy });
  assert.equal(running.state, 'recovering');
  assert.equal(running.reason, 'rewind in progress: 3000 of 8818 records shipped');
});

test("the operator's choices and Kafka retries come before what the destination says", () => {
  const bad = dest(report({}, NOW - 1000, { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in virginia', at_ms: NOW }));
  assert.equal(sourceHealth({ spec: { ...spec, enabled: false }, intent: 'disabled', ship: undefined, destination: bad }).state, 'disabled');
  assert.equal(sourceHealth({ spec, intent: 'paused', ship: ship({ state: 'paused' }), destination: bad }).state, 'paused');
  const retrying = sourceHealth({ spec, intent: 'running', ship: ship({ state: 'retrying', last_error: { code: 'SHIP_ERR_SEND_FAILED', message: 'KafkaJSNumberOfRetriesExceeded: broker down', at_ms: NOW } }), destination: bad });
  assert.equal(retrying.state, 'retrying');
  assert.equal(retrying.error?.code, 'SHIP_ERR_SEND_FAILED');
  const refusal = { code: 'SHIP_ERR_SEND_REJECTED', message: 'Kafka refused 3 messages to t with MESSAGE_TOO_LARGE: too large', at_ms: NOW };
  const failed = sourceHealth({ spec, intent: 'running', ship: ship({ state: 'failed', last_error: refusal }), destination: bad });
  assert.equal(failed.state, 'failed');
  assert.equal(failed.error?.code, 'SHIP_ERR_SEND_REJECTED');
  assert.match(failed.reason ?? '', /a retry does not fix: SHIP_ERR_SEND_REJECTED: .*MESSAGE_TOO_LARGE.*; fix it, then resume the route$/);
  assert.equal(sourceHealth({ spec, intent: 'running', ship: undefined, destination: bad }).state, 'starting');
  assert.equal(sourceHealth({ spec, intent: 'running', ship: ship({ state: 'stopped' }), destination: bad }).state, 'stopped');
});

test('the destination side reads its own report: refused or failing is erroring; otherwise what the source asked', () => {
  const refused = { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in virginia', at_ms: NOW };
  const h = receivingHealth('running', spec, report({}, NOW, refused));
  assert.equal(h.state, 'erroring');
  assert.equal(h.reason, 'not receiving: namespace user_data2 does not exist in virginia');
  assert.equal(receivingHealth('paused', spec, report()).state, 'paused');
  assert.equal(receivingHealth('running', spec, report({ consumer: { state: 'connecting', last_error: null } })).state, 'starting');
  assert.equal(receivingHealth('running', spec, report()).state, 'running');
  const errs = receivingHealth('running', spec, report({ resolver_errors: 3, last_error: { code: 'CONFLICT_ERR_CUSTOM_THREW', message: 'custom resolver x threw', at_ms: NOW - 2000 } }));
  assert.equal(errs.state, 'erroring');
  assert.match(errs.reason!, /^failing to apply it \(3 resolver errors; last CONFLICT_ERR_CUSTOM_THREW/);
});

test('reports and region notes survive Redis as JSON; foreign shapes are skipped', () => {
  const r = report({ dead_lettered: 1 });
  assert.deepEqual(parseReport(JSON.stringify(r)), r);
  assert.equal(parseReport(JSON.stringify({ ...r, v: 2 })), null);
  assert.equal(parseReport(JSON.stringify({ ...r, status: 'dancing' })), null);
  assert.equal(parseReport('{'), null);
  const note: RegionNote = { v: 1, region: 'virginia', namespaces: ['a'], at_ms: NOW };
  assert.deepEqual(parseRegionNote(JSON.stringify(note)), note);
  assert.equal(parseRegionNote(JSON.stringify({ ...note, namespaces: [1] })), null);
});

test('/v1/xdr/lag rows carry the route state; routes without figures get a row too', () => {
  const h = sourceHealth({ spec, intent: 'running', ship: ship(), destination: dest(report({}, NOW - 1000, { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in virginia', at_ms: NOW })) });
  const refused = receivingHealth('running', { ...spec, name: 'paris-tokyo' }, report({}, NOW, { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace user_data2 does not exist in tokyo', at_ms: NOW }));
  const rows = lagWithHealth(
    [{ route: spec.name, role: 'ship', state: 'running', lag_ms: 0, in_queue: 0, throughput: 0, latency_ms: 0 }],
    [{ spec, role: 'source', ...h }, { spec: { name: 'paris-tokyo' }, role: 'destination', ...refused }],
  );
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.state, 'erroring');
  assert.equal(rows[0]!.ship_state, 'running');
  assert.equal((rows[0]!.destination as DestinationView).status, 'not_receiving');
  assert.deepEqual([rows[1]!.route, rows[1]!.role, rows[1]!.state], ['paris-tokyo', 'receive', 'erroring']);
});

test('every state has a severity', () => {
  for (const s of ROUTE_STATES) assert.ok(['ok', 'warn', 'bad'].includes(ROUTE_STATE_SEVERITY[s]), s);
});

test('property: a fresh report of not receiving, or a stopped scan not acknowledged, never reads running; every state is in the vocabulary', () => {
  const note = fc.record({ code: fc.constantFrom('ENGINE_ERR_STOP_WRITES', 'RECV_ERR_CLOCK_OFFSET', 'XDR_ERR_ROUTE_NAMESPACE_MISSING'), message: fc.string(), at_ms: fc.integer({ min: NOW - 200_000, max: NOW }) });
  const arbScan = fc.option(
    fc.record({ status: fc.constantFrom('running', 'completed', 'failed'), unreadable: fc.nat(5), shipped: fc.nat(1000), acknowledged: fc.boolean(), error: fc.option(note, { nil: null }) }),
    { nil: null },
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...SHIP_STATES),
      fc.constantFrom('running', 'paused', 'disabled'),
      fc.boolean(),
      arbScan,
      fc.option(fc.record({ ageMs: fc.nat(30_000), refused: fc.option(note, { nil: null }), consumer: fc.constantFrom('joined', 'connecting', 'failing'), last: fc.option(note, { nil: null }) }), { nil: undefined }),
      (shipState, intent, enabled, sc, rep) => {
        const s = sc === null ? null : scan({ status: sc.status as ScanReport['status'], unreadable: sc.unreadable, shipped: sc.shipped, acknowledged_at_ms: sc.acknowledged ? NOW : null, error: sc.error });
        const r = rep === undefined ? undefined : report({ consumer: { state: rep.consumer as 'joined', last_error: rep.last }, last_error: rep.last }, NOW - rep.ageMs, rep.refused);
        const d = dest(r);
        const h = sourceHealth({ spec: { ...spec, enabled }, intent: intent as 'running', ship: ship({ state: shipState as RouteShipStats['state'], scan: s }), destination: d });
        assert.ok((ROUTE_STATES as readonly string[]).includes(h.state));
        if (h.state !== 'running' && h.state !== 'recovering') assert.ok(h.reason !== null || h.state === 'starting' || h.state === 'paused' || h.state === 'disabled', `${h.state} without a reason`);
        if (d.status === 'not_receiving') assert.notEqual(h.state, 'running');
        if (s?.status === 'failed' && s.acknowledged_at_ms === null && enabled && intent !== 'disabled' && shipState !== 'stopped') assert.equal(h.state, 'error');
        if (['error', 'erroring', 'incomplete', 'failed'].includes(h.state)) assert.ok(h.reason !== null);
      },
    ),
    { numRuns: 2000 },
  );
});
