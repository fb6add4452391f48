import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EXPORT_EXPONENT_FIRST, EXPORT_EXPONENT_LAST, LatencyHistogram } from '../../../../engine/stats/index.js';

test('buckets(): 18 cumulative counts at 2^16 .. 2^33 ns, count and sum', () => {
  const h = new LatencyHistogram();
  h.record(1_000); // 1 µs: below every bound
  h.record(2 ** 16 - 1); // just below the first bound
  h.record(2 ** 16); // at the first bound: counted from the next one (le is exact but for a sample of exactly 2^e ns)
  h.record(1e9); // 1 s: below 2^30 ns
  h.record(60e9); // a minute: above every bound, in the count only (+Inf)
  const b = h.buckets();
  assert.equal(b.below.length, EXPORT_EXPONENT_LAST - EXPORT_EXPONENT_FIRST + 1);
  assert.equal(b.below.length, 18);
  assert.equal(b.below[0], 2);
  assert.equal(b.below[1], 3);
  assert.equal(b.below[30 - EXPORT_EXPONENT_FIRST - 1], 3); // below 2^29 ns ≈ 0.54 s
  assert.equal(b.below[30 - EXPORT_EXPONENT_FIRST], 4); // below 2^30 ns ≈ 1.07 s
  assert.equal(b.below.at(-1), 4);
  assert.equal(b.count, 5);
  assert.equal(b.sumNs, 1_000 + 2 ** 16 - 1 + 2 ** 16 + 1e9 + 60e9);
});

test('property: buckets() counts exactly the samples below each power of two', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 36 }), { maxLength: 300 }), (samples) => {
      const h = new LatencyHistogram();
      for (const s of samples) h.record(s);
      const b = h.buckets();
      for (let e = EXPORT_EXPONENT_FIRST; e <= EXPORT_EXPONENT_LAST; e++) {
        assert.equal(b.below[e - EXPORT_EXPONENT_FIRST], samples.filter((s) => s < 2 ** e).length, `below 2^${e}`);
      }
      assert.equal(b.count, samples.length);
    }),
    { numRuns: 200 },
  );
});
