// The lww and generation merges with counters (conflict/counting.ts) are a join:
// commutative, associative and idempotent, over versions the engine's own write
// path makes (put, operate increments, durable delete, replace) in random
// histories at 2–3 regions, merged with one another on the way. fast-check prints
// the seed and the shrunk history of any failure; replay with { seed, path }.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalVersion, compareGeneration, compareLww, generation, lww, mergeCounting, type Resolver, type Version } from '../../../conflict/index.js';
import { historyOpsArb, playHistory } from './history.js';

const RUNS = 1_500;

const cases: Array<[Resolver, (a: Version, b: Version) => number]> = [
  [lww, compareLww],
  [generation, compareGeneration],
];

/** A history and three picks into the versions it made. */
const arb = fc.record({ h: historyOpsArb, i: fc.nat(), j: fc.nat(), k: fc.nat() });

for (const [resolver, compare] of cases) {
  const merge = (a: Version, b: Version): Version => mergeCounting(a, b, compare);
  const text = canonicalVersion;

  test(`${resolver.name} with counters: merge is commutative`, () => {
    fc.assert(
      fc.property(arb, ({ h, i, j }) => {
        const pool = playHistory(h, resolver);
        if (pool.length === 0) return;
        const x = pool[i % pool.length]!;
        const y = pool[j % pool.length]!;
        assert.equal(text(merge(x, y)), text(merge(y, x)));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${resolver.name} with counters: merge is associative`, () => {
    fc.assert(
      fc.property(arb, ({ h, i, j, k }) => {
        const pool = playHistory(h, resolver);
        if (pool.length === 0) return;
        const [x, y, z] = [pool[i % pool.length]!, pool[j % pool.length]!, pool[k % pool.length]!];
        assert.equal(text(merge(merge(x, y), z)), text(merge(x, merge(y, z))));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${resolver.name} with counters: merge is idempotent on its results, which absorb their inputs`, () => {
    fc.assert(
      fc.property(arb, ({ h, i, j }) => {
        const pool = playHistory(h, resolver);
        if (pool.length === 0) return;
        const x = pool[i % pool.length]!;
        const y = pool[j % pool.length]!;
        const m = merge(x, y);
        assert.equal(text(merge(m, m)), text(m));
        assert.equal(text(merge(m, x)), text(m));
        assert.equal(text(merge(m, y)), text(m));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${resolver.name} with counters: what a region stores says the same as the merge`, () => {
    fc.assert(
      fc.property(arb, ({ h, i, j }) => {
        const pool = playHistory(h, resolver);
        if (pool.length === 0) return;
        const local = pool[i % pool.length]!;
        const incoming = pool[j % pool.length]!;
        const d = resolver.resolve(local, incoming, { regionId: 1 });
        const stored = d.action === 'take-incoming' ? incoming : d.action === 'merge' ? d.version : local;
        // Normal forms (a version merged with itself) agree, whichever decision stored what.
        assert.equal(text(merge(stored, stored)), text(merge(local, incoming)));
      }),
      { numRuns: RUNS },
    );
  });
}
