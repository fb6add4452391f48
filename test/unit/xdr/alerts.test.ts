// The alert rules evaluated on a replayed sequence of figures: each rule fires
// past its threshold, keeps the time it began, clears when the figure is back,
// honours per-deployment thresholds and disabled rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_DEFAULTS, ALERT_RULES, AlertEvaluator, growingForMs, type AlertInput, type AlertThresholds } from '../../../xdr/alerts/index.js';
import type { NamespaceHealth } from '../../../xdr/metrics/index.js';

const thresholds: AlertThresholds = { ...ALERT_DEFAULTS, maxClockOffsetMs: 5000 };

function ns(over: Partial<NamespaceHealth> = {}): NamespaceHealth {
  const l = { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0 };
  return {
    ns: 'user_data', storage_engine: 'device', objects: 0, client_read_success: 0, client_read_error: 0, client_write_success: 0, client_write_error: 0, client_write_refused: 0,
    device_read_tps: 0, device_write_tps: 0, memory_used_pct: 1, storage_used_pct: 1, stop_writes: false, latency: { read: l, write: l, batch: l, query: l }, ...over,
  };
}

function input(nowMs: number, over: Partial<AlertInput> = {}): AlertInput {
  return { nowMs, ship: [{ route: 't-v', lag_ms: 0, in_queue: 0, state: 'running' }], receive: [{ route: 'v-t', last_seen_age_ms: 500, dead_lettered: 0 }], namespaces: [ns()], ...over };
}

const rules = (alerts: Array<{ rule: string; target: string }>) => alerts.map((a) => `${a.rule}:${a.target}`).sort();

test('a healthy region fires nothing; every rule is listed with its threshold', () => {
  const e = new AlertEvaluator(thresholds);
  assert.deepEqual(e.observe(input(1000)), []);
  const snap = e.snapshot();
  assert.deepEqual(snap.rules.map((r) => r.rule), [...ALERT_RULES]);
  assert.deepEqual(snap.rules.find((r) => r.rule === 'xdr_lag'), { rule: 'xdr_lag', severity: 'warning', summary: 'a route ships its changes late (lag)', threshold: 5, unit: 's', enabled: true });
  assert.equal(snap.rules.find((r) => r.rule === 'clock_offset')!.threshold, 4, '80 % of a 5 s max-clock-offset');
  assert.equal(snap.evaluated_ms, 1000);
});

test('lag, missing heartbeats, clock offset and the namespace rules fire past their thresholds and clear', () => {
  const e = new AlertEvaluator(thresholds);
  const bad = input(10_000, {
    ship: [{ route: 't-v', lag_ms: 7200, in_queue: 10, state: 'paused' }],
    receive: [{ route: 'v-t', last_seen_age_ms: 3500, dead_lettered: 0, clock_offset_ms: -4500 }],
    namespaces: [ns({ memory_used_pct: 81, storage_used_pct: 76, stop_writes: true, latency: { read: { count: 5, p50_ms: 1, p90_ms: 2, p99_ms: 6 }, write: { count: 5, p50_ms: 1, p90_ms: 2, p99_ms: 5.5 }, batch: { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0 }, query: { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0 } } })],
  });
  const firing = e.observe(bad);
  assert.deepEqual(rules(firing), ['clock_offset:v-t', 'heartbeats_missing:v-t', 'memory_used_pct:user_data', 'read_p99:user_data', 'stop_writes:user_data', 'storage_used_pct:user_data', 'write_p99:user_data', 'xdr_lag:t-v']);
  const lag = firing.find((a) => a.rule === 'xdr_lag')!;
  assert.equal(lag.message, 'route t-v lags 7.2 s (paused)');
  assert.deepEqual([lag.value, lag.threshold, lag.unit, lag.since_ms], [7.2, 5, 's', 10_000]);
  assert.equal(firing[0]!.severity, 'critical', 'critical alerts come first');
  // Still firing a second later: the start time is kept, and counted once.
  const again = e.observe({ ...bad, nowMs: 11_000 });
  assert.equal(again.find((a) => a.rule === 'xdr_lag')!.since_ms, 10_000);
  assert.equal(e.snapshot().fired_total.xdr_lag, 1);
  // Back to normal: all clear.
  assert.deepEqual(e.observe(input(12_000)), []);
  assert.equal(e.snapshot().firing.length, 0);
  assert.equal(e.snapshot().fired_total.xdr_lag, 1);
});

test('in_queue growing fires after the configured time of growth without a fall; a fall clears it', () => {
  const e = new AlertEvaluator({ ...thresholds, inQueueGrowingMs: 10_000 });
  let fired: string[] = [];
  for (let s = 0; s <= 10; s++) fired = rules(e.observe(input(s * 1000, { ship: [{ route: 't-v', lag_ms: 0, in_queue: 100 + s * 10 }] })));
  assert.deepEqual(fired, ['in_queue_growing:t-v']);
  assert.deepEqual(rules(e.observe(input(11_000, { ship: [{ route: 't-v', lag_ms: 0, in_queue: 50 }] }))), []);
  // Flat is not growing.
  assert.equal(growingForMs([[0, 5], [60_000, 5]]), 0);
  assert.equal(growingForMs([[0, 5], [30_000, 9], [60_000, 9]]), 60_000);
});

test('dead letters fire while any arrived within the window, then clear; a restart (counter reset) is not a dead letter', () => {
  const e = new AlertEvaluator({ ...thresholds, deadLettersWindowMs: 60_000 });
  const at = (s: number, n: number) => rules(e.observe(input(s * 1000, { receive: [{ route: 'v-t', last_seen_age_ms: 0, dead_lettered: n }] })));
  assert.deepEqual(at(0, 2), [], 'dead letters from before the first observation are history');
  assert.deepEqual(at(10, 3), ['dead_letters:v-t']);
  assert.deepEqual(at(40, 3), ['dead_letters:v-t']);
  assert.deepEqual(at(71, 3), [], 'none in the last minute');
  assert.deepEqual(at(80, 0), [], 'a restarted gateway counts from 0');
});

test('a route paused at its source sends no heartbeats: its silence is not an alert', () => {
  const e = new AlertEvaluator(thresholds);
  assert.deepEqual(rules(e.observe(input(0, { receive: [{ route: 'v-t', last_seen_age_ms: 60_000, dead_lettered: 0, state: 'paused' }] }))), []);
  assert.deepEqual(rules(e.observe(input(1000, { receive: [{ route: 'v-t', last_seen_age_ms: 60_000, dead_lettered: 0, state: 'running' }] }))), ['heartbeats_missing:v-t']);
});

test('disabled rules and deployment thresholds are honoured', () => {
  const e = new AlertEvaluator({ ...thresholds, xdrLagMs: 60_000, disabled: ['stop_writes'] });
  assert.deepEqual(rules(e.observe(input(0, { ship: [{ route: 't-v', lag_ms: 30_000, in_queue: 0 }], namespaces: [ns({ stop_writes: true })] }))), []);
  assert.equal(e.snapshot().rules.find((r) => r.rule === 'stop_writes')!.enabled, false);
});
