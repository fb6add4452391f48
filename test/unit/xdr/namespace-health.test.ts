// The seed's per-namespace figures: refusals apart from errors, device rates
// over a sliding window (a restart's counter reset restarts it), recent
// latency percentiles in ms, and the same figures in /metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NamespaceRates, createGatewayMetrics, namespaceHealth, type StatsSource } from '../../../xdr/metrics/index.js';
import type { NamespaceStatsSnapshot, OpTypeSnapshot } from '../../../engine/index.js';

function ns(over: Partial<NamespaceStatsSnapshot> & { ops?: Record<string, OpTypeSnapshot> } = {}): NamespaceStatsSnapshot {
  const zero = {
    objects: 0, tombstones: 0, expired_objects: 0, evicted_objects: 0, tombstones_collected: 0, device_used_bytes: 0, device_total_bytes: 0, device_used_pct: 0,
    device_available_pct: 100, stop_writes: false, defrag_q: 0, defrag_reads: 0, defrag_writes: 0, defrag_blocks_freed: 0, client_write_success: 0, client_write_error: 0, client_write_refused: 0,
    client_read_success: 0, client_read_not_found: 0, client_read_error: 0, client_delete_success: 0, client_delete_not_found: 0, client_delete_error: 0,
    xdr_apply_success: 0, xdr_apply_error: 0, nsup_cycles: 0, nsup_cycle_duration_ms: 0, index_bytes: 0, write_blocks_written: 0, write_blocks_written_inline: 0, device_syncs: 0, changelog_head_seq: 0,
  };
  return { ns: 'user_data', storage_engine: 'device', ...zero, ...over } as NamespaceStatsSnapshot;
}

function op(recent: Partial<OpTypeSnapshot['recent']>): OpTypeSnapshot {
  const zero = { count: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0, meanUs: 0 };
  return { success: 0, notFound: 0, error: 0, errorsByCode: {}, latency: zero, recent: { ...zero, ...recent } };
}

test('device rates are per second over the window, and restart after a counter reset', () => {
  const rates = new NamespaceRates(10_000);
  assert.deepEqual(rates.observe(ns({ client_read_success: 100, client_write_success: 10 }), 0), { read_tps: 0, write_tps: 0 });
  assert.deepEqual(rates.observe(ns({ client_read_success: 300, client_write_success: 30, xdr_apply_success: 10, client_delete_success: 10 }), 2000), { read_tps: 100, write_tps: 20 });
  // Beyond the window, the oldest observation drops out.
  for (let t = 3000; t <= 20_000; t += 1000) rates.observe(ns({ client_read_success: 300 + (t - 2000) / 10 }), t);
  const r = rates.observe(ns({ client_read_success: 300 + 19_000 / 10 }), 21_000);
  assert.ok(Math.abs(r.read_tps - 100) < 1, `read_tps ${r.read_tps}`);
  // A restarted engine counts from 0 again: no negative rate.
  assert.deepEqual(rates.observe(ns({ client_read_success: 5 }), 22_000), { read_tps: 0, write_tps: 0 });
});

test('health keeps refusals apart from errors and reports recent latency in ms', () => {
  const h = namespaceHealth(ns({ client_write_error: 1, client_write_refused: 7, device_used_pct: 80, index_bytes: 2000, stop_writes: true, ops: { read: op({ count: 4, p50Us: 120, p90Us: 900, p99Us: 6400 }) } } as never), { read_tps: 1, write_tps: 2 }, 10_000);
  assert.equal(h.client_write_error, 1);
  assert.equal(h.client_write_refused, 7);
  assert.equal(h.storage_used_pct, 80);
  assert.equal(h.memory_used_pct, 20);
  assert.equal(h.stop_writes, true);
  assert.deepEqual(h.latency.read, { count: 4, p50_ms: 0.12, p90_ms: 0.9, p99_ms: 6.4 });
  assert.deepEqual(h.latency.query, { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0 });
});

test('/metrics exports refusals, device rates and recent latency quantiles', async () => {
  let nowMs = 1_000_000;
  let reads = 0;
  const source: StatsSource = {
    region: 'tokyo',
    replication: () => ({ ship: [], receive: [] }),
    namespaces: () => [ns({ client_read_success: reads, client_write_refused: 3, ops: { write: op({ count: 9, p50Us: 400, p90Us: 800, p99Us: 7000 }) } } as never)],
    http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
  };
  const metrics = createGatewayMetrics(source, { processMetrics: false, nowMs: () => nowMs });
  await metrics.render();
  nowMs += 5000;
  reads = 500;
  const text = await metrics.render();
  assert.match(text, /^xdrgate_namespace_client_write_refused\{ns="user_data",storage_engine="device",region="tokyo"\} 3$/m);
  assert.match(text, /^xdrgate_namespace_device_read_tps\{ns="user_data",storage_engine="device",region="tokyo"\} 100$/m);
  assert.match(text, /^xdrgate_namespace_latency_recent_seconds\{ns="user_data",op="write",quantile="0.99",region="tokyo"\} 0.007$/m);
  assert.doesNotMatch(text, /latency_recent_seconds\{ns="user_data",op="read"/, 'no series for an operation with nothing in the window');
});
