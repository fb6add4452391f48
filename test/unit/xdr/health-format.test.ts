// `xdrgate stats`, `latencies` and `alerts` as people read them: one line per
// namespace with refusals apart from errors, asadm-style latency rows, what fires and since when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAlerts, renderLatencies, renderStats, type StatsBody } from '../../../xdr/cli/health-format.js';
import { ALERT_DEFAULTS, AlertEvaluator } from '../../../xdr/alerts/index.js';

const l = (count: number, p99: number) => ({ count, p50_ms: p99 / 10, p90_ms: p99 / 2, p99_ms: p99 });
const body: StatsBody = {
  region: { name: 'tokyo', id: 1 },
  uptimeSec: 42,
  health: [
    { ns: 'user_data', storage_engine: 'device', objects: 1200, client_read_success: 5000, client_read_error: 1, client_write_success: 900, client_write_error: 0, client_write_refused: 3, device_read_tps: 12.5, device_write_tps: 4, memory_used_pct: 0.05, storage_used_pct: 2.5, stop_writes: false, latency: { read: l(50, 0.2), write: l(20, 1.5), batch: l(0, 0), query: l(0, 0) } },
    { ns: 'sessions', storage_engine: 'memory', objects: 0, client_read_success: 0, client_read_error: 0, client_write_success: 0, client_write_error: 0, client_write_refused: 0, device_read_tps: 0, device_write_tps: 0, memory_used_pct: 0, storage_used_pct: 91, stop_writes: true, latency: { read: l(0, 0), write: l(0, 0), batch: l(0, 0), query: l(0, 0) } },
  ],
  routes: [{ name: 'tokyo-virginia', role: 'source', state: 'paused', reason: 'paused by an operator' }],
};

test('stats: one line per namespace, refusals apart, then the routes; --ns narrows; an unknown namespace says which exist', () => {
  const text = renderStats(body);
  assert.match(text, /^tokyo \(region 1\) · up 42 s$/m);
  assert.match(text, /^user_data\s+device\s+1200\s+5000\/1\s+900\/0\/3\s+12\.5\s+4\.0\s+0\.05\s+2\.50\s+no$/m);
  assert.match(text, /^sessions\s+memory .* YES$/m);
  assert.match(text, /^tokyo-virginia\s+source\s+paused\s+paused by an operator$/m);
  assert.doesNotMatch(renderStats(body, 'user_data'), /sessions|tokyo-virginia/);
  assert.throws(() => renderStats(body, 'nope'), /namespace nope is not in this region \(it has: user_data, sessions\)/);
});

test('latencies: asadm rows per namespace and operation; an operation with none in the window shows dashes', () => {
  const text = renderLatencies(body, 'user_data');
  assert.match(text, /^user_data\s+read\s+50\s+0\.020\s+0\.100\s+0\.200$/m);
  assert.match(text, /^user_data\s+query\s+0\s+-\s+-\s+-$/m);
});

test('alerts: what fires with since-when, then the rules with thresholds and how often each fired', () => {
  const e = new AlertEvaluator({ ...ALERT_DEFAULTS, maxClockOffsetMs: 5000 });
  const now = Date.UTC(2026, 11, 7, 12, 1, 4);
  e.observe({ nowMs: now, ship: [{ route: 'tokyo-virginia', lag_ms: 9000, in_queue: 3, state: 'paused' }], receive: [], namespaces: body.health! });
  const text = renderAlerts({ region: 'tokyo', ...e.snapshot() }, now + 30_000);
  assert.match(text, /^tokyo: 3 alert\(s\) firing$/m);
  assert.match(text, /^CRITICAL\s+stop_writes\s+sessions .* 12:01:04 \(30 s\)$/m);
  assert.match(text, /^WARNING\s+xdr_lag\s+tokyo-virginia\s+route tokyo-virginia lags 9 s \(paused\)/m);
  assert.match(text, /^xdr_lag\s+warning\s+5 s\s+1\s+a route ships its changes late \(lag\)$/m);
  assert.match(renderAlerts({ region: 'tokyo', ...new AlertEvaluator({ ...ALERT_DEFAULTS, maxClockOffsetMs: 5000 }).snapshot() }, now), /^tokyo: no alert firing$/m);
});
