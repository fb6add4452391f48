// The console's pure page helpers (xdr/dashboard/static/series.js), loaded as
// the browser loads them: no line across a gap, counters carried over a
// restart, a region that stopped answering named with the time, and each
// route's arrow state (running, paused, lagging, stalled, erroring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { ALERT_DEFAULTS } from '../../../xdr/alerts/index.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../xdr/dashboard/static/series.js');
const sandbox: { xdrSeries?: any } = {};
vm.runInNewContext(readFileSync(file, 'utf8'), sandbox);
const S = sandbox.xdrSeries;
const SEV = { running: 'ok', paused: 'warn', erroring: 'bad', retrying: 'bad' };

test('a gap longer than gapMs gets a null point, so the line breaks there', () => {
  const samples = [{ ts_ms: 1000 }, { ts_ms: 2000 }, { ts_ms: 800_000 }, { ts_ms: 801_000 }];
  const g = S.withGaps(samples, (s: { ts_ms: number }) => s.ts_ms / 1000, 5000);
  assert.deepEqual(Array.from(g.xs), [1, 2, 2.001, 800, 801]);
  assert.deepEqual(Array.from(g.rows), [1, 2, null, 800, 801]);
});

test('a counter carries its total over a restart instead of falling to 0', () => {
  const samples = [{ started_ms: 1 }, { started_ms: 1 }, { started_ms: 9 }, { started_ms: 9 }, { started_ms: 9 }];
  assert.deepEqual(Array.from(S.carryCounter(samples, [3, 5, 0, 2, null])), [3, 5, 5, 7, null]);
  // Older samples without started_ms: a fall is a restart too.
  assert.deepEqual(Array.from(S.carryCounter([{}, {}, {}], [4, 1, 2])), [4, 5, 6]);
});

test('a region is up, not answering since the time of its newest sample, or never seen', () => {
  const at = new Date(2026, 11, 7, 12, 1, 4).getTime();
  assert.deepEqual({ ...S.regionStatus('virginia', { ts_ms: at }, at + 2000) }, { up: true, text: 'virginia is up' });
  const down = S.regionStatus('virginia', { ts_ms: at }, at + 60_000);
  assert.equal(down.text, 'virginia is not answering since 12:01:04');
  assert.equal(down.up, false);
  assert.match(S.regionStatus('virginia', null, at).text, /no sample yet/);
});

test("a route's arrow: running, paused, lagging, stalled (silent destination or dead source), erroring", () => {
  const now = 1_000_000;
  const ship = (over: object) => ({ ts_ms: now, region: 'tokyo', ship: [{ route: 't-v', state: 'running', lag_ms: 0, in_queue: 0, throughput: 12, reason: null, ...over }] });
  const dest = (age: number) => ({ ts_ms: now, region: 'virginia', receive: [{ route: 't-v', last_seen_age_ms: age, recent_count: 3, recent_p99_ms: 41 }] });
  const view = (src: object | null, d: object, alerts: object[] = []) => S.routeView('t-v', src, d, alerts, SEV, now);
  const ok = view(ship({}), dest(100));
  assert.equal(ok.state, 'running');
  assert.equal(ok.p99Ms, 41);
  assert.equal(view(ship({ state: 'paused', reason: 'paused by the operator' }), dest(100)).state, 'paused');
  assert.equal(view(ship({ lag_ms: 9000 }), dest(100)).state, 'lagging');
  assert.equal(view(ship({}), dest(100), [{ rule: 'xdr_lag', target: 't-v' }]).state, 'lagging');
  assert.equal(view(ship({}), dest(8000)).state, 'stalled');
  assert.equal(view(ship({ state: 'erroring' }), dest(100)).state, 'erroring');
  const dead = view({ ...ship({}), ts_ms: now - 30_000 }, dest(30_000));
  assert.equal(dead.state, 'stalled');
  assert.match(dead.reason, /tokyo is not answering since/);
  assert.equal(S.human(12_345, 'rec'), '12.3 k rec');
  assert.equal(S.human(null, 's'), '–');
  assert.equal(S.human(2, 'objects'), '2 objects');
  assert.equal(S.human(1.25, 's'), '1.3 s');
});

test("the page's fallback thresholds are the alert defaults (xdr/alerts), until the gateway sends the deployment's", () => {
  for (const [name, value] of Object.entries(S.THRESHOLDS_DEFAULT)) {
    if (name === 'disabled') assert.deepEqual(Array.from(value as string[]), [...ALERT_DEFAULTS.disabled]);
    else assert.equal(value, ALERT_DEFAULTS[name as keyof typeof ALERT_DEFAULTS], name);
  }
});

test("red cells and arrow states follow the deployment's alert thresholds, and a disabled rule marks nothing", () => {
  const ns = { memory_used_pct: 70, storage_used_pct: 60, stop_writes: false, latency: { read: { count: 5, p99_ms: 3 }, write: { count: 5, p99_ms: 12 } } };
  const flags = (t?: object) => ({ ...S.healthFlags(ns, t) });
  assert.deepEqual(flags(), { memory: false, storage: false, stopWrites: false, readP99: false, writeP99: true });
  const strict = { ...ALERT_DEFAULTS, memoryUsedPct: 50, storageUsedPct: 50, readP99Ms: 2, writeP99Ms: 20 };
  assert.deepEqual(flags(strict), { memory: true, storage: true, stopWrites: false, readP99: true, writeP99: false });
  assert.deepEqual(flags({ ...strict, disabled: ['memory_used_pct', 'read_p99'] }), { memory: false, storage: true, stopWrites: false, readP99: false, writeP99: false });

  const now = 1_000_000;
  const src = { ts_ms: now, region: 'tokyo', ship: [{ route: 't-v', state: 'running', lag_ms: 7000, in_queue: 0, throughput: 1, reason: null }] };
  const dest = (age: number) => ({ ts_ms: now, region: 'virginia', receive: [{ route: 't-v', last_seen_age_ms: age, recent_count: 0 }] });
  const view = (t: object | undefined, age = 100) => S.routeView('t-v', src, dest(age), [], SEV, now, t).state;
  assert.equal(view(undefined), 'lagging');
  assert.equal(view({ ...ALERT_DEFAULTS, xdrLagMs: 10_000 }), 'running');
  assert.equal(view({ ...ALERT_DEFAULTS, disabled: ['xdr_lag'] }), 'running');
  assert.equal(view({ ...ALERT_DEFAULTS, xdrLagMs: 10_000 }, 4000), 'stalled');
  assert.equal(view({ ...ALERT_DEFAULTS, xdrLagMs: 10_000, heartbeatsMissed: 5 }, 4000), 'running');
});

test('an hour and more of live per-second samples leaves the 24 h window its minute samples (a cap per resolution)', () => {
  const h = S.emptyHistory();
  const t0 = 1_000_000_000;
  // The 24 h window opens: 1440 minute samples, the newest a minute ago.
  for (let i = 0; i < 1440; i++) assert.equal(S.addToHistory(h, { ts_ms: t0 + i * 60_000 }, 'minute'), true);
  const liveFrom = t0 + 1440 * 60_000;
  // Then 90 minutes live, one sample a second (the page polls the per-second stream).
  for (let i = 0; i < 90 * 60; i++) S.addToHistory(h, { ts_ms: liveFrom + i * 1000 }, 'second');
  assert.equal(h.second.length, S.HISTORY_CAPS.second);
  assert.equal(h.minute.length, 1440, 'no minute sample was pushed out by per-second ones');
  const drawn = S.historySamples(h);
  const firstSecondMs = h.second[0].ts_ms;
  assert.equal(drawn[0].ts_ms, t0, 'the window still starts 24 h back');
  assert.ok(drawn.every((s: { ts_ms: number }, i: number) => i === 0 || s.ts_ms > drawn[i - 1].ts_ms), 'oldest first, no overlap');
  assert.equal(drawn.filter((s: { ts_ms: number }) => s.ts_ms >= firstSecondMs).length, S.HISTORY_CAPS.second);
  assert.equal(S.newestSample(h).ts_ms, liveFrom + (90 * 60 - 1) * 1000);
  // A duplicate from an overlapping read is refused; the minute list keeps its own cap too.
  assert.equal(S.addToHistory(h, { ts_ms: h.second[h.second.length - 1].ts_ms }, 'second'), false);
  S.addToHistory(h, { ts_ms: liveFrom + 100 * 60_000 }, 'minute');
  assert.equal(h.minute.length, 1440);
  assert.equal(S.newestSample(S.emptyHistory()), null);
});
