// bin-lww's merge is a join: commutative, associative and idempotent, for any
// well-typed versions that keep the engine's per-bin invariants (not only the
// ones the simulated engine makes), so the receiver converges whatever order and
// duplicates the network delivers. One invariant matters here: a counter bin's
// lut is after its epoch's start exactly when it holds increments. Without it
// (a counter at a delete's epoch with no increments but a later lut) a delete
// drops the state in one grouping and its lut survives in a join in another
// (seed 1954817231 found that once in a CI run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalVersion, mergeVersions, type Bins, type CounterState, type Version } from '../../../conflict/index.js';
import { DELETE_HORIZON_BIN } from '../../../record/index.js';
import { DIGEST } from './fixtures.js';

const small = fc.integer({ min: 1, max: 12 });
const value = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', 'y'), fc.constant(0n));
const regionMap = fc.dictionary(fc.constantFrom('1', '2', '3'), fc.integer({ min: 0, max: 4 }), { maxKeys: 3 });

const versionArb: fc.Arbitrary<Version> = fc
  .record({
    lut: small,
    region: fc.integer({ min: 1, max: 3 }),
    generation: fc.integer({ min: 1, max: 4 }),
    voidTime: fc.integer({ min: 0, max: 2 }),
    deleted: fc.boolean(),
    key: fc.option(fc.constant('k'), { nil: undefined }),
    bins: fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 }),
    removed: fc.uniqueArray(fc.constantFrom('a', 'b', 'd'), { maxLength: 2 }),
    luts: fc.array(small, { minLength: 6, maxLength: 6 }),
    horizon: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    counter: fc.option(fc.record({ base: fc.integer({ min: 0, max: 2 }), baseLut: fc.integer({ min: 0, max: 12 }), p: regionMap, n: regionMap }), { nil: undefined }),
    // Dormant counter states (a local delete keeps them): bin-lww joins them apart from the bins.
    dormant: fc.dictionary(fc.constantFrom('c', 'd'), fc.record({ base: fc.integer({ min: 0, max: 2 }), baseLut: fc.integer({ min: 0, max: 12 }), p: regionMap, n: regionMap }), { maxKeys: 2 }),
  })
  .map((r) => {
    const bins: Bins = r.deleted ? {} : { ...r.bins };
    const binLuts: Record<string, number> = {};
    let i = 0;
    for (const name of Object.keys(bins)) binLuts[name] = Math.min(r.lut, r.luts[i++]!);
    for (const name of r.removed) if (!Object.hasOwn(bins, name)) binLuts[name] = Math.min(r.lut, r.luts[i++]!);
    if (r.horizon !== undefined) binLuts[DELETE_HORIZON_BIN] = Math.min(r.lut, r.horizon);
    const v: Version = { ns: 'test', set: 's', digest: DIGEST, generation: r.generation, voidTime: r.voidTime, lut: r.lut, region: r.region, deleted: r.deleted, bins, binLuts };
    if (r.key !== undefined) v.key = r.key;
    if (r.counter !== undefined && Object.hasOwn(bins, 'c')) {
      // The engine's invariant on a counter bin: its lut is after its epoch's
      // start exactly when it holds increments (each increment is a later change
      // and leaves a contribution; a plain write starts an epoch at its own lut).
      const incremented = Object.keys(r.counter.p).length + Object.keys(r.counter.n).length > 0;
      const binLut = binLuts.c!;
      const baseLut = incremented ? Math.min(r.counter.baseLut, binLut - 1) : binLut;
      const c: CounterState = { ...r.counter, baseLut };
      v.counters = { c };
    }
    if (Object.keys(r.dormant).length > 0) v.dormantCounters = r.dormant;
    return v;
  });

const text = (v: Version): string => canonicalVersion(v);

test('merge is commutative', () => {
  fc.assert(fc.property(versionArb, versionArb, (x, y) => assert.equal(text(mergeVersions(x, y)), text(mergeVersions(y, x)))), { numRuns: 3_000 });
});

test('merge is associative', () => {
  fc.assert(
    fc.property(versionArb, versionArb, versionArb, (x, y, z) => {
      assert.equal(text(mergeVersions(mergeVersions(x, y), z)), text(mergeVersions(x, mergeVersions(y, z))));
    }),
    { numRuns: 3_000 },
  );
});

test('merge is idempotent on its results', () => {
  fc.assert(
    fc.property(versionArb, versionArb, (x, y) => {
      const m = mergeVersions(x, y);
      assert.equal(text(mergeVersions(m, m)), text(m));
      assert.equal(text(mergeVersions(m, x)), text(m));
      assert.equal(text(mergeVersions(m, y)), text(m));
    }),
    { numRuns: 3_000 },
  );
});
