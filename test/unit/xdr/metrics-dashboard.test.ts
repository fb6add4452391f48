// The dashboard's endpoints and the telemetry sample format, against a fake
// telemetry view (the Redis side is covered by test/integration/xdr/telemetry and xdr/dashboard).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fastify from 'fastify';
import { registerDashboardRoutes } from '../../../xdr/dashboard/index.js';
import { ALERT_DEFAULTS } from '../../../xdr/alerts/index.js';
import { buildSample, parseSample, SAMPLE_VERSION, type TelemetrySample, type TelemetryView } from '../../../xdr/telemetry/index.js';
import { renderLag } from '../../../xdr/cli/lag-format.js';
import type { StatsSource } from '../../../xdr/metrics/index.js';

function sample(region: string, ts: number, inQueue: number): TelemetrySample {
  return {
    v: SAMPLE_VERSION,
    region,
    ts_ms: ts,
    ship: [{ route: `${region}-x`, state: 'paused', ship_state: 'paused', reason: 'paused by the operator; changes wait in the change log', error: null, destination: null, lag: 4, lag_ms: 4200, in_queue: inQueue, in_progress: 0, success: 5, abandoned: 0, not_found: 0, filtered_out: 0, retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 3, heartbeats: 1, committed_seq: 5, last_error: null, scan: null }],
    receive: [],
    http: { requests: 1, errors4xx: 0, errors5xx: 0 },
    engine_errors: 0,
  };
}

class FakeTelemetry implements TelemetryView {
  readonly region = 'tokyo';
  readonly regions = ['tokyo', 'virginia'];
  listeners = new Set<(s: TelemetrySample) => void>();
  listenersMax = 1;
  async history(sinceMs: number, max: number) {
    const all = { tokyo: [sample('tokyo', 1000, 1), sample('tokyo', 2000, 2)], virginia: [sample('virginia', 1500, 7)] };
    const regions: Record<string, TelemetrySample[]> = {};
    for (const [r, list] of Object.entries(all)) regions[r] = list.filter((s) => s.ts_ms > sinceMs).slice(-max);
    return { regions, from: 'redis' as const };
  }
  subscribe(listener: (s: TelemetrySample) => void) {
    if (this.listeners.size >= this.listenersMax) return null;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  status() {
    return { redis: true, published: 2, skipped: 0 };
  }
  emit(s: TelemetrySample) {
    for (const l of this.listeners) l(s);
  }
}

async function app(t: { after(fn: () => unknown): void }, telemetry: TelemetryView) {
  const a = fastify();
  registerDashboardRoutes(a, telemetry, { nowMs: () => 2500 });
  await a.ready();
  t.after(() => a.close());
  return a;
}

test('the page, our script and uPlot from node_modules are served without a build step', async (t) => {
  const a = await app(t, new FakeTelemetry());
  const page = await a.inject('/dashboard');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /text\/html/);
  assert.match(page.body, /uplot\.min\.js/);
  const uplot = await a.inject('/dashboard/uplot.min.js');
  assert.equal(uplot.statusCode, 200);
  assert.match(uplot.body, /uPlot/);
  assert.equal((await a.inject('/dashboard/uplot.min.css')).statusCode, 200);
  assert.equal((await a.inject('/dashboard/app.js')).statusCode, 200);
});

test('history returns every region, newest per region, bounded by max; now returns the newest sample', async (t) => {
  const a = await app(t, new FakeTelemetry());
  const res = await a.inject('/dashboard/api/history?since=0&max=1');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.regions, ['tokyo', 'virginia']);
  assert.equal(body.samples.tokyo.length, 1);
  assert.equal(body.samples.tokyo[0].ship[0].in_queue, 2);
  assert.equal(body.samples.virginia[0].ship[0].in_queue, 7);
  assert.equal((await a.inject('/dashboard/api/history?since=abc')).statusCode, 400);
  // Without the deployment's thresholds the page gets the alert defaults.
  assert.equal(body.alert_thresholds.memoryUsedPct, ALERT_DEFAULTS.memoryUsedPct);
  const now = (await a.inject('/dashboard/api/now')).json();
  assert.equal(now.latest.tokyo.ts_ms, 2000);
  assert.equal(now.latest.virginia.ts_ms, 1500);
});

test('live samples stream as server-sent events; a listener over the cap gets 503 with a code', async (t) => {
  const telemetry = new FakeTelemetry();
  const a = await app(t, telemetry);
  const address = await a.listen({ port: 0, host: '127.0.0.1' });
  const controller = new AbortController();
  t.after(() => controller.abort());
  const res = await fetch(`${address}/dashboard/api/live`, { signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const busy = await a.inject('/dashboard/api/live');
  assert.equal(busy.statusCode, 503);
  assert.equal(busy.json().code, 'XDR_ERR_DASHBOARD_BUSY');
  const reader = res.body!.getReader();
  telemetry.emit(sample('virginia', 3000, 9));
  let text = '';
  while (!text.includes('event: sample')) text += new TextDecoder().decode((await reader.read()).value);
  const data = text.split('\n').find((l) => l.startsWith('data: '))!;
  assert.equal(JSON.parse(data.slice(6)).ship[0].in_queue, 9);
  controller.abort();
});

test('closing the server ends open live streams instead of waiting for them', async () => {
  const telemetry = new FakeTelemetry();
  const a = fastify({ forceCloseConnections: 'idle' });
  registerDashboardRoutes(a, telemetry);
  const address = await a.listen({ port: 0, host: '127.0.0.1' });
  const res = await fetch(`${address}/dashboard/api/live`);
  assert.equal(res.status, 200);
  assert.equal(telemetry.listeners.size, 1);
  await a.close();
  assert.equal(telemetry.listeners.size, 0, 'the stream unsubscribed');
  const reader = res.body!.getReader();
  for (;;) if ((await reader.read()).done) break; // the stream ended
});

test('samples are built from the live stats and parsed back; foreign versions are skipped', () => {
  const source: StatsSource = {
    region: 'tokyo',
    replication: () => ({
      ship: [{ ...sample('tokyo', 0, 3).ship[0]!, state: 'paused' }],
      receive: [{ route: 'v-t', resolver: 'lww', applied: 4, rejected_older: 1, rejected_identical: 0, merged: 0, conflicts_won: 1, conflicts_lost: 1, dead_lettered: 2, resolver_errors: 0, retries: 0, heartbeats: 3, source_backlog: 0, last_seen_age_ms: 10, offset_lag: 0, last_applied_age_ms: 10, last_error: null, consumer: null, lag: { count: 4, sum_ms: 40, p50_ms: 9, p90_ms: 12, p99_ms: 13, max_ms: 14 }, lag_recent: { count: 1, p50_ms: 5, p90_ms: 5, p99_ms: 5, max_ms: 5 } }],
    }),
    namespaces: () => [],
    http: () => ({ requests: 5, errors4xx: 1, errors5xx: 2 }),
  };
  const s = buildSample(source, 1234);
  assert.equal(s.ts_ms, 1234);
  assert.equal(s.receive[0]!.lag_p90_ms, 12);
  assert.equal(s.receive[0]!.recent_p99_ms, 5);
  assert.equal(s.receive[0]!.dead_lettered, 2);
  assert.deepEqual(parseSample(JSON.stringify(s)), s);
  assert.equal(parseSample(JSON.stringify({ ...s, v: 99 })), null);
  assert.equal(parseSample('not json'), null);
  const text = renderLag({ region: 'tokyo', regions: ['tokyo', 'virginia'], now_ms: 2000, from: 'redis', telemetry: { redis: true, published: 1, skipped: 0 }, latest: { tokyo: s, virginia: null } });
  assert.match(text, /tokyo-x\s+paused\s+4\.2\s+3\b/);
  assert.match(text, /v-t\s+lww\s+4\s+1\s+1\s+2/);
  assert.match(text, /\[virginia\] no recent sample/);
});

test("history carries the deployment's alert thresholds, which the page marks figures by", async (t) => {
  const a = fastify();
  registerDashboardRoutes(a, new FakeTelemetry(), { alertThresholds: { ...ALERT_DEFAULTS, xdrLagMs: 30_000, memoryUsedPct: 60, disabled: ['read_p99'] } });
  await a.ready();
  t.after(() => a.close());
  const body = (await a.inject('/dashboard/api/history?since=0')).json();
  assert.equal(body.alert_thresholds.xdrLagMs, 30_000);
  assert.equal(body.alert_thresholds.memoryUsedPct, 60);
  assert.equal(body.alert_thresholds.storageUsedPct, ALERT_DEFAULTS.storageUsedPct);
  assert.deepEqual(body.alert_thresholds.disabled, ['read_p99']);
});
