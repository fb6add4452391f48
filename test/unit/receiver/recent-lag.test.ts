// The recent end-to-end lag covers only the window (time and count bounded),
// so a spike shows and then leaves, unlike the whole-life histogram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentLag } from '../../../receiver/index.js';

test('quantiles over the samples inside the window; old ones drop out', () => {
  const r = new RecentLag(10_000, 2048);
  for (let i = 1; i <= 100; i++) r.add(i, 1000);
  assert.deepEqual(r.snapshot(1000), { count: 100, p50_ms: 50, p90_ms: 90, p99_ms: 99, max_ms: 100 });
  r.add(5000, 9000); // a spike later
  assert.equal(r.snapshot(9000).max_ms, 5000);
  assert.deepEqual(r.snapshot(12_000), { count: 1, p50_ms: 5000, p90_ms: 5000, p99_ms: 5000, max_ms: 5000 }, 'the first hundred left the window');
  assert.equal(r.snapshot(30_000).count, 0);
});

test('at most `capacity` samples are kept (fixed memory)', () => {
  const r = new RecentLag(60_000, 8);
  for (let i = 0; i < 100; i++) r.add(i, 0);
  const s = r.snapshot(0);
  assert.equal(s.count, 8);
  assert.equal(s.max_ms, 99);
  assert.equal(s.p50_ms, 95, 'only the newest eight (92..99)');
  r.reset();
  assert.equal(r.snapshot(0).count, 0);
});
