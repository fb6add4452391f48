// Counters under lww and generation (conflict/counting.ts): counter bins merge
// as counters, every other bin follows the resolver's pick. Versions are made
// by the engine's own write path (test/helpers/local-writes.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalVersion, compareLww, generation, lww, type Decision, type Resolver, type Version } from '../../../conflict/index.js';
import { counterStatesOf } from '../../../record/index.js';
import { del, incr, put } from '../../helpers/local-writes.js';
import { DIGEST } from './fixtures.js';

const at = (region: number, lut: number) => ({ digest: DIGEST, region, lut });
const A = 1;
const B = 2;

/** What a region stores after the decision. */
function apply(resolver: Resolver, local: Version | null, incoming: Version): Version | null {
  const d: Decision = resolver.resolve(local, incoming, { regionId: 0 });
  return d.action === 'take-incoming' ? incoming : d.action === 'merge' ? d.version : local;
}

/** Both regions receive every version of the other, in creation order; returns what each ends with. */
function exchange(resolver: Resolver, fromA: Version[], fromB: Version[]): [Version, Version] {
  let a: Version | null = fromA.at(-1) ?? null;
  let b: Version | null = fromB.at(-1) ?? null;
  for (const v of fromB) a = apply(resolver, a, v);
  for (const v of fromA) b = apply(resolver, b, v);
  return [a!, b!];
}

for (const resolver of [lww, generation]) {
  test(`${resolver.name}: concurrent increments in two regions both count`, () => {
    const a1 = incr(null, 'hits', 5, at(A, 100));
    const b1 = incr(null, 'hits', 7, at(B, 101));
    const [a, b] = exchange(resolver, [a1], [b1]);
    assert.equal(a.bins.hits, 12);
    assert.equal(canonicalVersion(a), canonicalVersion(b));
    // Non-counter bins follow the pick; the counter is the sum.
    const a2 = incr(put(a1, { name: 'tokyo' }, at(A, 102)), 'hits', 1, at(A, 103));
    const b2 = incr(put(b1, { name: 'virginia' }, at(B, 104)), 'hits', 2, at(B, 105));
    const [x, y] = exchange(resolver, [a1, a2], [b1, b2]);
    assert.deepEqual(x.bins, { hits: 15, name: 'virginia' });
    assert.equal(canonicalVersion(x), canonicalVersion(y));
  });

  test(`${resolver.name}: a bin overwritten by a non-number keeps its counter dormant, so a concurrent increment that wins still counts it`, () => {
    const a1 = incr(null, 'c', 1, at(A, 1));
    const a2 = put(a1, { c: 'text' }, at(A, 2));
    assert.equal(a2.counters, undefined);
    assert.deepEqual(a2.dormantCounters, { c: { base: 0, baseLut: 0, p: { [A]: 1 }, n: {} } });
    // B never saw a1: its increment is in the same epoch (the bin's start), concurrent. B's version
    // wins the pick (under generation too: B wrote another bin first, so the generations tie and lww decides).
    const b1 = incr(put(null, { k: 0 }, at(B, 1)), 'c', 1, at(B, 3));
    // Only A's newest version reaches B (hot-key coalescing ships the current version).
    const [a, b] = exchange(resolver, [a2], [b1]);
    assert.equal(a.bins.c, 2);
    assert.equal(canonicalVersion(a), canonicalVersion(b));
    // A removal works the same way.
    const [ra, rb] = exchange(resolver, [put(a1, { c: null, k: 1 }, at(A, 2))], [b1]);
    assert.equal(ra.bins.c, 2);
    assert.equal(canonicalVersion(ra), canonicalVersion(rb));
  });

  test(`${resolver.name}: a number written to a counter bin opens a new epoch, which wins over concurrent increments of the old one`, () => {
    const a1 = incr(null, 'c', 1, at(A, 1));
    const a2 = put(a1, { c: 10 }, at(A, 2));
    const b1 = incr(null, 'c', 1, at(B, 3));
    const [a, b] = exchange(resolver, [a2], [b1]);
    assert.equal(a.bins.c, 10);
    assert.equal(canonicalVersion(a), canonicalVersion(b));
  });

  test(`${resolver.name}: a delete keeps its counters dormant; a concurrent increment that wins counts the deleting region's earlier increments`, () => {
    const a1 = incr(null, 'c', 1, at(A, 1));
    const t = del(a1, at(A, 2))!;
    assert.deepEqual(t.dormantCounters, { c: a1.counters!.c });
    const b1 = incr(put(null, { k: 0 }, at(B, 1)), 'c', 1, at(B, 3));
    const [a, b] = exchange(resolver, [t], [b1]);
    assert.equal(a.deleted, false);
    assert.equal(a.bins.c, 2);
    assert.equal(canonicalVersion(a), canonicalVersion(b));
    // Increments made after the delete belong to the delete's epoch: the earlier ones are gone.
    const a3 = incr(t, 'c', 4, at(A, 4));
    assert.deepEqual(a3.counters!.c, { base: 0, baseLut: 2, p: { [A]: 4 }, n: {} });
    const [x, y] = exchange(resolver, [t, a3], [b1]);
    assert.deepEqual(x.bins, { c: 4 });
    assert.equal(canonicalVersion(x), canonicalVersion(y));
  });

  test(`${resolver.name}: a tombstone that wins keeps every counter state dormant; increments after it start from it`, () => {
    const b1 = incr(null, 'c', 3, at(B, 1));
    const t = del(incr(null, 'c', 1, at(A, 2)), at(A, 5))!;
    const [a, b] = exchange(resolver, [t], [b1]);
    assert.equal(a.deleted, true);
    assert.equal(canonicalVersion(a), canonicalVersion(b));
    assert.deepEqual(counterStatesOf(a), { c: { base: 0, baseLut: 0, p: { [A]: 1, [B]: 3 }, n: {} } });
    assert.deepEqual(incr(a, 'c', 1, at(B, 6)).bins, { c: 1 });
  });

  test(`${resolver.name}: duplicates and older versions change nothing`, () => {
    const a1 = incr(null, 'c', 5, at(A, 100));
    const b1 = incr(null, 'c', 7, at(B, 101));
    const merged = apply(resolver, a1, b1)!;
    assert.deepEqual(resolver.resolve(merged, b1, { regionId: A }), { action: 'keep-local', reason: 'older' });
    assert.deepEqual(resolver.resolve(merged, a1, { regionId: A }), { action: 'keep-local', reason: 'older' });
    assert.deepEqual(resolver.resolve(merged, merged, { regionId: A }), { action: 'keep-local', reason: 'identical' });
  });
}

test('versions without counters take the plain pick, as before', () => {
  const a = put(null, { x: 1 }, at(A, 100));
  const b = put(null, { x: 2 }, at(B, 101));
  assert.deepEqual(lww.resolve(a, b, { regionId: A }), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(lww.resolve(b, a, { regionId: B }), { action: 'keep-local', reason: 'older' });
  assert.ok(compareLww(b, a) > 0);
});

test('generation: the counter joins even when the version holding it loses the pick', () => {
  // A wrote three times (generation 3) before B's single increment at a later lut.
  const a3 = put(put(put(null, { x: 1 }, at(A, 1)), { x: 2 }, at(A, 2)), { x: 3 }, at(A, 3));
  const b1 = incr(null, 'c', 2, at(B, 10));
  const d = generation.resolve(a3, b1, { regionId: A });
  assert.equal(d.action, 'merge');
  const m = (d as Extract<Decision, { action: 'merge' }>).version;
  assert.equal(m.generation, 3);
  assert.equal(m.lut, 3);
  assert.deepEqual(m.bins, { x: 3, c: 2 });
  assert.deepEqual(generation.resolve(b1, a3, { regionId: B }), { action: 'merge', reason: 'merged', version: m });
});
