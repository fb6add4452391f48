// /metrics renders the live stats of the shipper, the receiver, the engine and
// the HTTP server through prom-client collect callbacks: values are read at
// scrape time, removed routes disappear, and the seed's engine names are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGatewayMetrics, type StatsSource } from '../../../xdr/metrics/index.js';
import type { RouteShipStats } from '../../../shipper/index.js';
import type { RouteRecvStats } from '../../../receiver/index.js';
import type { NamespaceStatsSnapshot } from '../../../engine/index.js';

function ship(route: string, over: Partial<RouteShipStats> = {}): RouteShipStats {
  return { route, state: 'running', lag: 0, lag_ms: 0, in_queue: 0, in_progress: 0, success: 0, abandoned: 0, not_found: 0, filtered_out: 0, retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 0, heartbeats: 0, committed_seq: 0, last_error: null, scan: null, ...over };
}

function recv(route: string, over: Partial<RouteRecvStats> = {}): RouteRecvStats {
  return {
    route, resolver: 'lww', applied: 0, rejected_older: 0, rejected_identical: 0, merged: 0, conflicts_won: 0, conflicts_lost: 0, dead_lettered: 0,
    resolver_errors: 0, retries: 0, heartbeats: 0, source_backlog: 0, last_seen_age_ms: -1, offset_lag: 0, last_applied_age_ms: -1, last_error: null, consumer: null,
    lag: { count: 0, sum_ms: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, lag_recent: { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0 }, ...over,
  };
}

function ns(name: string, engine: 'device' | 'memory', over: Partial<NamespaceStatsSnapshot> = {}): NamespaceStatsSnapshot {
  const zero = {
    objects: 0, tombstones: 0, expired_objects: 0, evicted_objects: 0, tombstones_collected: 0, device_used_bytes: 0, device_total_bytes: 0, device_used_pct: 0,
    device_available_pct: 100, stop_writes: false, defrag_q: 0, defrag_reads: 0, defrag_writes: 0, defrag_blocks_freed: 0, client_write_success: 0, client_write_error: 0, client_write_refused: 0,
    client_read_success: 0, client_read_not_found: 0, client_read_error: 0, client_delete_success: 0, client_delete_not_found: 0, client_delete_error: 0,
    xdr_apply_success: 0, xdr_apply_error: 0, nsup_cycles: 0, nsup_cycle_duration_ms: 0, index_bytes: 0, write_blocks_written: 0, write_blocks_written_inline: 0, device_syncs: 0, changelog_head_seq: 0,
    memory_used_bytes: 0, memory_size: 0, memory_used_pct: 0, stop_writes_count: 0,
  };
  return { ns: name, storage_engine: engine, ...zero, ...over };
}

/** The value of the series `name{labels...}` (labels given as a substring of the label set). */
function valueOf(text: string, name: string, labels: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!line.includes(labels)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('route, receiver, namespace and HTTP figures are read at scrape time', async () => {
  const live = {
    ship: [ship('t-v', { state: 'paused', lag_ms: 12_500, in_queue: 40, success: 7, retries: 2, hot_keys: 3, throughput: 15, latency_ms: 4.5 })],
    receive: [recv('v-t', { resolver: 'bin-lww', applied: 9, conflicts_won: 2, conflicts_lost: 1, dead_lettered: 1, offset_lag: 5, last_seen_age_ms: 1500, lag: { count: 9, sum_ms: 180, p50_ms: 12, p90_ms: 30, p99_ms: 45, max_ms: 60 }, lag_recent: { count: 2, p50_ms: 7, p90_ms: 8, p99_ms: 9, max_ms: 9 } })],
    namespaces: [ns('user_data', 'device', { client_read_success: 11, client_write_success: 22, device_used_pct: 3.5, index_bytes: 1000 }), ns('sessions', 'memory', { device_used_pct: 12.25, index_bytes: 500, device_used_bytes: 1500 })],
    http: { requests: 100, errors4xx: 3, errors5xx: 1 },
  };
  const source: StatsSource = {
    region: 'tokyo',
    replication: () => ({ ship: live.ship, receive: live.receive }),
    // The route manager derives states from the same figures (xdr/route-health); here it is given.
    routes: () => live.ship.map((s) => ({ route: s.route, role: 'source' as const, health: { state: s.state, reason: null, error: null, scan: null, destination: null } })),
    namespaces: () => live.namespaces,
    http: () => live.http,
  };
  const metrics = createGatewayMetrics(source, { processMetrics: false, hostMemoryBytes: 100_000 });
  let text = await metrics.render();
  assert.equal(valueOf(text, 'xdrgate_xdr_lag_seconds', 'route="t-v"'), 12.5);
  assert.equal(valueOf(text, 'xdrgate_xdr_in_queue', 'route="t-v"'), 40);
  assert.equal(valueOf(text, 'xdrgate_xdr_success', 'route="t-v"'), 7);
  assert.equal(valueOf(text, 'xdrgate_xdr_retries', 'route="t-v"'), 2);
  assert.equal(valueOf(text, 'xdrgate_xdr_hot_keys', 'route="t-v"'), 3);
  assert.equal(valueOf(text, 'xdrgate_xdr_throughput', 'route="t-v"'), 15);
  assert.equal(valueOf(text, 'xdrgate_xdr_latency_ms', 'route="t-v"'), 4.5);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', 'route="t-v",role="source",state="paused"'), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_route_state', 'state="running"'), 0);
  assert.match(text, /xdrgate_xdr_lag_seconds\{route="t-v",region="tokyo"\} 12.5/);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_applied', 'resolver="bin-lww"'), 9);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_conflicts_won', 'route="v-t"'), 2);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_conflicts_lost', 'route="v-t"'), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_dead_lettered', 'route="v-t"'), 1);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_offset_lag', 'route="v-t"'), 5);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_last_seen_age_seconds', 'route="v-t"'), 1.5);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds', 'quantile="0.5"'), 0.012);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds', 'quantile="0.9"'), 0.03);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds', 'quantile="0.99"'), 0.045);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds_count', 'route="v-t"'), 9);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds_sum', 'route="v-t"'), 0.18);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_max_seconds', 'route="v-t"'), 0.06);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_recent_seconds', 'quantile="0.99"'), 0.009);
  assert.match(text, /# TYPE xdrgate_xdr_replication_lag_seconds summary/);
  assert.match(text, /# TYPE xdrgate_namespace_client_read_success counter/);
  assert.equal(valueOf(text, 'xdrgate_namespace_client_read_success', 'ns="user_data"'), 11);
  assert.equal(valueOf(text, 'xdrgate_namespace_client_write_success', 'ns="user_data"'), 22);
  assert.equal(valueOf(text, 'xdrgate_namespace_device_used_pct', 'ns="user_data"'), 3.5);
  // The seed's names: storage_used_pct (the data's storage), memory_used_pct (RAM: index, plus data for memory namespaces, of the host's RAM).
  assert.equal(valueOf(text, 'xdrgate_namespace_storage_used_pct', 'ns="user_data"'), 3.5);
  assert.equal(valueOf(text, 'xdrgate_namespace_storage_used_pct', 'ns="sessions"'), 12.25);
  assert.equal(valueOf(text, 'xdrgate_namespace_memory_used_bytes', 'ns="user_data"'), 1000);
  assert.equal(valueOf(text, 'xdrgate_namespace_memory_used_bytes', 'ns="sessions"'), 2000);
  assert.equal(valueOf(text, 'xdrgate_namespace_memory_used_pct', 'ns="user_data"'), 1);
  assert.equal(valueOf(text, 'xdrgate_namespace_memory_used_pct', 'ns="sessions"'), 2);
  assert.match(text, /^xdrgate_http_requests\{region="tokyo"\} 100$/m);

  // Live: the next scrape sees new values, and a removed route's series are gone.
  live.ship = [ship('t-v', { in_queue: 0, success: 47 })];
  live.receive = [];
  text = await metrics.render();
  assert.equal(valueOf(text, 'xdrgate_xdr_in_queue', 'route="t-v"'), 0);
  assert.equal(valueOf(text, 'xdrgate_xdr_success', 'route="t-v"'), 47);
  assert.equal(valueOf(text, 'xdrgate_xdr_recv_applied', 'route="v-t"'), undefined);
  assert.equal(valueOf(text, 'xdrgate_xdr_replication_lag_seconds', 'route="v-t"'), undefined);
});

test('a gateway without replication (standalone) exports engine figures and no route series', async () => {
  const metrics = createGatewayMetrics({ region: 'solo', replication: () => ({ ship: [], receive: [] }), namespaces: () => [ns('n', 'device', { objects: 3 })], http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }) });
  const text = await metrics.render();
  assert.equal(valueOf(text, 'xdrgate_namespace_objects', 'ns="n"'), 3);
  assert.doesNotMatch(text, /^xdrgate_xdr_lag_seconds\{/m);
  assert.match(text, /^xdrgate_process_/m, 'process metrics are on by default');
});

test('a start that followed a crash which lost acknowledged changes is exported until the next start', async () => {
  const sinceMs = 1_800_000_000_000;
  const namespaces = [
    ns('user_data', 'device', { start: { ns: 'user_data', mode: 'buffered', lastStop: 'unclean', source: 'cold-start', records: 5, lost: { everything: false, sinceLut: sinceMs * 1024, entriesAtLeast: 7, afterSeq: 8325 } } }),
    ns('sessions', 'memory', { start: { ns: 'sessions', mode: 'memory', lastStop: 'unclean', source: 'cold-start', records: 0, lost: { everything: true, sinceLut: 0, entriesAtLeast: 0, afterSeq: 3 } } }),
    ns('clean', 'device', { start: { ns: 'clean', mode: 'commit-to-device', lastStop: 'clean', source: 'saved-index', records: 9 } }),
  ];
  const metrics = createGatewayMetrics({ region: 'tokyo', replication: () => ({ ship: [], receive: [] }), namespaces: () => namespaces, http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }) });
  const text = await metrics.render();
  assert.equal(valueOf(text, 'xdrgate_namespace_unclean_start', 'ns="user_data"'), 1);
  assert.equal(valueOf(text, 'xdrgate_namespace_unclean_start', 'ns="clean"'), 0);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost', 'ns="user_data"'), 1);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost', 'everything="true"'), 1);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost', 'ns="clean"'), 0);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost_changes', 'ns="user_data"'), 7);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost_since_seconds', 'ns="user_data"'), sinceMs / 1000);
  assert.equal(valueOf(text, 'xdrgate_namespace_start_lost_since_seconds', 'ns="sessions"'), 0);
});
