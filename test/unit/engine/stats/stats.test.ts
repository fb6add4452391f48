import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BUCKETS, LatencyHistogram, OpsStats, RECENT_WINDOW_MS, SUB_BITS, bucketBounds, bucketOf } from '../../../../engine/stats/index.js';

test('buckets cover values contiguously and in order', () => {
  let prevHigh = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const [low, high] = bucketBounds(b);
    assert.equal(low, prevHigh, `bucket ${b} starts where ${b - 1} ended`);
    assert.ok(high > low);
    assert.equal(bucketOf(low), b);
    assert.equal(bucketOf(high - 1), b);
    prevHigh = high;
  }
  assert.equal(bucketOf(-5), 0);
  assert.equal(bucketOf(Number.NaN), 0);
  assert.equal(bucketOf(1e30), BUCKETS - 1);
});

test('property: percentiles are within the bucket resolution of the exact ones', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 400 }), fc.constantFrom(50, 90, 99, 99.9), (samples, pct) => {
      const h = new LatencyHistogram();
      for (const s of samples) h.record(s);
      const sorted = [...samples].sort((a, b) => a - b);
      const exact = sorted[Math.max(0, Math.ceil((pct / 100) * sorted.length) - 1)]!;
      const got = h.percentileNs(pct);
      assert.ok(Math.abs(got - exact) <= Math.max(1, exact / 2 ** SUB_BITS), `p${pct}: got ${got}, exact ${exact}`);
    }),
    { numRuns: 300 },
  );
});

test('snapshot in microseconds; merge and reset', () => {
  const a = new LatencyHistogram();
  for (let i = 1; i <= 1000; i++) a.record(i * 1000); // 1..1000 µs
  const s = a.snapshot();
  assert.equal(s.count, 1000);
  assert.ok(Math.abs(s.p50Us - 500) <= 500 / 32, `p50 ${s.p50Us}`);
  assert.ok(Math.abs(s.p99Us - 990) <= 990 / 32, `p99 ${s.p99Us}`);
  assert.ok(s.p999Us <= s.maxUs);
  assert.equal(s.maxUs, 1000);
  assert.equal(s.meanUs, 500.5);
  const b = new LatencyHistogram();
  b.record(5_000_000);
  a.merge(b);
  assert.equal(a.count, 1001);
  assert.equal(a.snapshot().maxUs, 5000);
  a.reset();
  assert.deepEqual(a.snapshot(), { count: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0, meanUs: 0 });
});

test('per-op counters, error codes and per-set objects', () => {
  const stats = new OpsStats();
  stats.record('read', 'success', 1000);
  stats.record('read', 'not-found', 1000);
  stats.record('write', 'error', 2000, 'ENGINE_ERR_RECORD_EXISTS');
  stats.record('write', 'error', 2000);
  const snap = stats.snapshot();
  assert.deepEqual([snap.ops.read.success, snap.ops.read.notFound, snap.ops.read.error], [1, 1, 0]);
  assert.deepEqual(snap.ops.write.errorsByCode, { ENGINE_ERR_RECORD_EXISTS: 1, other: 1 });
  assert.equal(snap.ops.write.latency.count, 2);
  assert.equal(snap.ops.query.latency.count, 0);
  stats.onObjectChange(null, 'profiles');
  stats.onObjectChange(null, 'profiles');
  stats.onObjectChange(null, '');
  stats.onObjectChange('profiles', 'profiles');
  stats.onObjectChange('profiles', null);
  assert.deepEqual(stats.snapshot().setObjects, { '': 1, profiles: 1 });
  stats.onObjectChange('', null);
  assert.deepEqual(stats.snapshot().setObjects, { profiles: 1 });
  for (let i = 0; i < 100; i++) stats.record('scan', 'error', 1, `CODE_${i}`);
  assert.ok(Object.keys(stats.snapshot().ops.scan.errorsByCode).length <= 65, 'error codes are bounded');
});

test('recent latency covers the last window only: old samples leave it, the lifetime histogram keeps them', () => {
  let nowMs = 1_000_000;
  const stats = new OpsStats(() => nowMs);
  for (let i = 0; i < 10; i++) stats.record('write', 'success', 9_000_000);
  assert.equal(stats.snapshot().ops.write.recent.count, 10);
  nowMs += RECENT_WINDOW_MS + 1;
  stats.record('write', 'success', 1_000_000);
  let w = stats.snapshot().ops.write;
  assert.equal(w.recent.count, 11, 'the previous window still counts');
  nowMs += RECENT_WINDOW_MS + 1;
  w = stats.snapshot().ops.write;
  assert.equal(w.recent.count, 1, 'samples two windows old are gone');
  assert.ok(w.recent.p99Us < 1100, `recent p99 ${w.recent.p99Us}`);
  assert.equal(w.latency.count, 11);
  nowMs += 5 * RECENT_WINDOW_MS;
  assert.equal(stats.snapshot().ops.write.recent.count, 0, 'an idle namespace has no recent latency');
});
