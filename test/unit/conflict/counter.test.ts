// Examples of convergent counters under bin-lww: PN-counter per region inside a
// reset epoch (record/'s algebra), local changes made by the engine's own write
// path (test/helpers/local-writes.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binLww, mergeVersions, type Version } from '../../../conflict/index.js';
import { isEngineError } from '../../../engine/index.js';
import { applyLocalIncrement, counterContributor, counterValue, DELETE_HORIZON_BIN, mergeSameEpoch, openCounterEpoch } from '../../../record/index.js';
import { del, incr, put } from '../../helpers/local-writes.js';
import { DIGEST, counter } from './fixtures.js';

const at = (region: number, lut: number) => ({ digest: DIGEST, region, lut });
const localIncrement = (current: Version | null, bin: string, delta: number, where: ReturnType<typeof at>) => incr(current, bin, delta, where);
const localWrite = (current: Version | null, bins: Version['bins'], where: ReturnType<typeof at>) => put(current, bins, where);
const localDelete = (current: Version, where: ReturnType<typeof at>) => del(current, where)!;

test('value = base + Σp − Σn', () => {
  assert.equal(counterValue(counter(10, 5, { 1: 3, 2: 4 }, { 2: 1 })), 16);
  assert.equal(counterValue(counter(0, 0)), 0);
});

test('integer sums are exact past 2^53 (as a bigint), doubles are summed in ascending region order', () => {
  assert.equal(counterValue(counter(Number.MAX_SAFE_INTEGER, 0, { 1: 1 })), 2n ** 53n);
  // Region "10" after "9": numeric order, not string order. The result is the same in every region.
  const c = counter(0.1, 0, { 10: 0.2, 9: 0.7 });
  assert.equal(counterValue(c), 0.1 + (0.7 + 0.2));
});

test('applyLocalIncrement books positives in p and negatives in n of the local region, without changing its input', () => {
  const start = openCounterEpoch(5, 100);
  const a = applyLocalIncrement(start, '2', 3);
  const b = applyLocalIncrement(a, '2', -4);
  assert.deepEqual(start, counter(5, 100));
  assert.deepEqual(b, counter(5, 100, { 2: 3 }, { 2: 4 }));
  assert.equal(counterValue(b), 4);
  assert.deepEqual(applyLocalIncrement(start, '1', 0), counter(5, 100, { 1: 0 }));
  // Callers validate increments (the engine answers ENGINE_ERR_INVALID_ARGUMENT); a NaN here is a programmer error.
  assert.throws(() => applyLocalIncrement(start, '1', Number.NaN), RangeError);
});

test('concurrent increments in two regions both count (where LWW would lose one)', () => {
  const tokyo = localIncrement(null, 'hits', 5, at(1, 100));
  const virginia = localIncrement(null, 'hits', 7, at(2, 101));
  const t = mergeVersions(tokyo, virginia);
  const v = mergeVersions(virginia, tokyo);
  assert.deepEqual(t, v);
  assert.equal(t.bins.hits, 12);
  assert.deepEqual(t.counters!.hits, counter(0, 0, { 1: 5, 2: 7 }));
  // Redelivering an older state of one region changes nothing (max, not sum).
  const tokyo2 = localIncrement(tokyo, 'hits', 1, at(1, 102));
  const again = mergeVersions(mergeVersions(t, tokyo2), tokyo);
  assert.equal(again.bins.hits, 13);
});

test('a plain write opens a new epoch: concurrent increments of the old epoch are dropped, later ones count', () => {
  const inc = localIncrement(null, 'c', 5, at(1, 100));
  const reset = localWrite(inc, { c: 100 }, at(1, 110));
  assert.deepEqual(reset.counters!.c, counter(100, 110));
  const concurrentOld = localIncrement(inc, 'c', 1, at(2, 120)); // region 2 had not seen the reset
  const afterReset = localIncrement(reset, 'c', 2, at(3, 130)); // region 3 had
  const m = mergeVersions(mergeVersions(reset, concurrentOld), afterReset);
  assert.equal(m.bins.c, 102);
});

test('writing a non-number to a counter bin ends the counter; incrementing a string is refused', () => {
  const inc = localIncrement(null, 'c', 5, at(1, 100));
  const s = localWrite(inc, { c: 'text' }, at(1, 110));
  assert.equal(s.counters, undefined);
  // Its state is kept dormant (what the lww and generation merges count; bin-lww only carries it).
  assert.deepEqual(s.dormantCounters, { c: counter(0, 0, { 1: 5 }) });
  assert.throws(() => localIncrement(s, 'c', 1, at(1, 120)), (err) => isEngineError(err, 'ENGINE_ERR_BIN_TYPE_MISMATCH'));
});

test('an increment on a bin written by a plain put opens the epoch of that write', () => {
  const w = localWrite(null, { c: 10 }, at(1, 100));
  const i = localIncrement(w, 'c', 1, at(2, 105));
  assert.deepEqual(i.counters!.c, counter(10, 100, { 2: 1 }));
  const j = localIncrement(w, 'c', 2, at(1, 106));
  assert.equal(mergeVersions(i, j).bins.c, 13);
});

test('increments after a record delete start from the delete and survive it; older ones do not', () => {
  const inc = localIncrement(null, 'c', 5, at(1, 100));
  const del = localDelete(inc, at(1, 200));
  const after = localIncrement(del, 'c', 3, at(1, 210));
  assert.deepEqual(after.counters!.c, counter(0, 200, { 1: 3 }));
  assert.equal(after.binLuts[DELETE_HORIZON_BIN], 200);
  const elsewhere = localIncrement(del, 'c', 4, at(2, 205)); // region 2 also saw the delete
  const late = localIncrement(inc, 'c', 100, at(3, 150)); // region 3 had not
  const m = mergeVersions(mergeVersions(after, late), elsewhere);
  assert.equal(m.bins.c, 7);
  assert.deepEqual(binLww.resolve(m, late, { regionId: 1 }), { action: 'keep-local', reason: 'older' });
});

test('an increment after a bin removal joins the removal epoch, so concurrent increments on it add up', () => {
  const w = localWrite(localWrite(null, { c: 10, k: 1 }, at(1, 100)), { c: null }, at(1, 110));
  const a = localIncrement(w, 'c', 1, at(1, 120));
  const b = localIncrement(w, 'c', 2, at(2, 121));
  const m: Version = mergeVersions(a, b);
  assert.deepEqual(m.counters!.c, counter(0, 110, { 1: 1, 2: 2 }));
  assert.equal(m.bins.c, 3);
});

test('a region that lost its own count books new increments under its next incarnation, and every contribution is summed in one order', () => {
  assert.equal(counterContributor(3, 0), '3');
  assert.equal(counterContributor(3, 2), '3.2');
  // Region 1 had booked 40 (its peer holds that); after a crash it counts again from its next incarnation.
  const peer = counter(0, 0, { 1: 40, 2: 10 });
  const restarted = applyLocalIncrement(openCounterEpoch(0, 0), counterContributor(1, 1), 3);
  assert.equal(counterValue(mergeSameEpoch(peer, restarted)), 53, 'the restart’s 3 are not swallowed by the 40 its peer holds');
  // Ordering: by region, then incarnation ('1.10' after '1.9', both after '1').
  const floats = counter(0, 0, { '1.10': 0.1, 1: 0.2, '1.9': 0.3, 2: 0.4 });
  assert.equal(counterValue(floats), 0.2 + 0.3 + 0.1 + 0.4);
});
