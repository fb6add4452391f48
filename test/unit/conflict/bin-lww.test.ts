// Examples of bin-lww: per-bin merges, bin and record tombstones, the delete horizon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binLww, mergeVersions, type Decision, type Version } from '../../../conflict/index.js';
import { DELETE_HORIZON_BIN } from '../../../record/index.js';
import { del, put } from '../../helpers/local-writes.js';
import { DIGEST, counter, tombstone, version } from './fixtures.js';

const ctx = { regionId: 1 };

function merged(d: Decision): Version {
  assert.equal(d.action, 'merge');
  return (d as Extract<Decision, { action: 'merge' }>).version;
}

test('concurrent updates of different bins in two regions both survive', () => {
  const base = { a: 1, b: 1 };
  const inTokyo = version({ lut: 200, region: 1, generation: 2, bins: { ...base, a: 2 }, binLuts: { a: 200, b: 100 } });
  const inVirginia = version({ lut: 201, region: 2, generation: 2, bins: { ...base, b: 3 }, binLuts: { a: 100, b: 201 } });
  const atTokyo = merged(binLww.resolve(inTokyo, inVirginia, ctx));
  const atVirginia = merged(binLww.resolve(inVirginia, inTokyo, { regionId: 2 }));
  assert.deepEqual(atTokyo.bins, { a: 2, b: 3 });
  assert.deepEqual(atTokyo, atVirginia);
  // Metadata: lut and region of the newest side, generation the max (not +1: a merge is not a write).
  assert.equal(atTokyo.lut, 201);
  assert.equal(atTokyo.region, 2);
  assert.equal(atTokyo.generation, 2);
  assert.deepEqual(atTokyo.binLuts, { a: 200, b: 201 });
});

test('the same bin written in both regions: the higher bin lut wins', () => {
  const a = version({ lut: 300, bins: { x: 'old' } });
  const b = version({ lut: 301, region: 2, bins: { x: 'new' } });
  assert.deepEqual(binLww.resolve(a, b, ctx), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(binLww.resolve(b, a, ctx), { action: 'keep-local', reason: 'older' });
  assert.deepEqual(binLww.resolve(b, b, ctx), { action: 'keep-local', reason: 'identical' });
});

test('a bin tombstone competes like a write and wins an exact tie', () => {
  const removed = version({ lut: 400, bins: { keep: 1 }, binLuts: { keep: 100, gone: 400 } });
  const written = version({ lut: 400, region: 2, bins: { keep: 1, gone: 'v' }, binLuts: { keep: 100, gone: 400 } });
  const out = mergeVersions(removed, written);
  assert.deepEqual(out.bins, { keep: 1 });
  assert.equal(out.binLuts.gone, 400);
  const late = version({ lut: 350, region: 3, bins: { gone: 'late' }, binLuts: { gone: 350 } });
  assert.deepEqual(mergeVersions(out, late).bins, { keep: 1 });
});

test('a record delete removes the bins it is newer than; newer bins survive', () => {
  const live = version({ lut: 500, region: 2, bins: { old: 1, fresh: 2 }, binLuts: { old: 100, fresh: 500 } });
  const del = tombstone(300, 1);
  const out = merged(binLww.resolve(live, del, ctx));
  assert.equal(out.deleted, false);
  assert.deepEqual(out.bins, { fresh: 2 });
  assert.equal(out.binLuts[DELETE_HORIZON_BIN], 300);
  // The horizon keeps removing late older writes, in a record that is live again.
  const late = version({ lut: 250, region: 3, bins: { old: 9, other: 1 }, binLuts: { old: 250, other: 250 } });
  assert.deepEqual(binLww.resolve(out, late, ctx), { action: 'keep-local', reason: 'older' });
});

test('a delete wins an exact lut tie with a write', () => {
  const write = version({ lut: 300, region: 9, bins: { a: 1 } });
  const out = mergeVersions(write, tombstone(300, 1));
  assert.equal(out.deleted, true);
  assert.deepEqual(out.bins, {});
});

test('an older write arriving after a delete does not resurrect the record', () => {
  const d = binLww.resolve(tombstone(300), version({ lut: 200, region: 2, bins: { a: 1 } }), ctx);
  assert.deepEqual(d, { action: 'keep-local', reason: 'older' });
});

test('a tombstone arriving on an older record is applied as it came', () => {
  assert.deepEqual(binLww.resolve(version({ lut: 100, bins: { a: 1 } }), tombstone(300), ctx), { action: 'take-incoming', reason: 'applied' });
});

test('a merged tombstone keeps bin removals newer than its delete, and a write on it keeps them too', () => {
  // Region 2 removed bin x at 350, after region 1 deleted the record at 300 (concurrently).
  const removal = version({ lut: 350, region: 2, bins: {}, binLuts: { x: 350 }, deleted: true });
  removal.binLuts[DELETE_HORIZON_BIN] = 0;
  const t = mergeVersions(tombstone(300), removal);
  assert.equal(t.deleted, true);
  assert.equal(t.binLuts.x, 350);
  assert.equal(t.binLuts[DELETE_HORIZON_BIN], 300);
  // A local write on the merged tombstone carries the removal and the horizon over...
  const w = put(t, { y: 1 }, { digest: DIGEST, lut: 400, region: 1 });
  assert.equal(w.binLuts.x, 350);
  assert.equal(w.binLuts[DELETE_HORIZON_BIN], 300);
  // ...so a late x written at 320 (after the delete, before the removal) stays removed.
  const late = version({ lut: 320, region: 3, bins: { x: 'late' }, binLuts: { x: 320 } });
  assert.deepEqual(mergeVersions(w, late).bins, { y: 1 });
});

test('merging is commutative, associative and idempotent on an example with counters and deletes', () => {
  const a = version({ lut: 10, region: 1, bins: { c: 5, s: 'a' }, binLuts: { c: 10, s: 10 }, counters: { c: counter(0, 0, { 1: 5 }) } });
  const b = version({ lut: 12, region: 2, bins: { c: 3 }, binLuts: { c: 12 }, counters: { c: counter(0, 0, { 2: 3 }) } });
  const c = tombstone(11, 3);
  const ab_c = mergeVersions(mergeVersions(a, b), c);
  const a_bc = mergeVersions(a, mergeVersions(b, c));
  const ca_b = mergeVersions(mergeVersions(c, a), b);
  assert.deepEqual(ab_c, a_bc);
  assert.deepEqual(ab_c, ca_b);
  assert.deepEqual(mergeVersions(ab_c, ab_c), ab_c);
  // The delete at 11 ended epoch (0, 0): both counters' increments were in it, so bin c goes too.
  assert.deepEqual(ab_c.bins, {});
  assert.equal(ab_c.deleted, true);
});

test('a local delete then a write: the tombstone, then a live record that remembers the horizon', () => {
  const change = { digest: DIGEST, region: 1 };
  const w1 = put(null, { a: 1 }, { ...change, lut: 10 });
  const d = del(w1, { ...change, lut: 20 })!;
  assert.deepEqual({ deleted: d.deleted, generation: d.generation, bins: d.bins, binLuts: d.binLuts }, { deleted: true, generation: 2, bins: {}, binLuts: {} });
  const w2 = put(d, { b: 2 }, { ...change, lut: 30 });
  assert.deepEqual(w2.binLuts, { [DELETE_HORIZON_BIN]: 20, b: 30 });
  assert.equal(w2.generation, 3);
});

test('removing the last bin makes a tombstone that deletes nothing else', () => {
  const change = { digest: DIGEST, region: 1 };
  const w = put(put(null, { a: 1 }, { ...change, lut: 10 }), { a: null }, { ...change, lut: 20 });
  assert.equal(w.deleted, true);
  assert.equal(w.binLuts[DELETE_HORIZON_BIN], 0);
  const concurrent = version({ lut: 15, region: 2, bins: { b: 1 }, binLuts: { b: 15 } });
  assert.deepEqual(mergeVersions(w, concurrent).bins, { b: 1 });
});

test('a version carrying redundant metadata (bin luts under its horizon) is still taken as it came', () => {
  const engineTombstone = version({ lut: 300, generation: 3, deleted: true, bins: {}, binLuts: { a: 100, b: 120 } });
  const older = version({ lut: 120, generation: 2, bins: { a: 1, b: 2 }, binLuts: { a: 100, b: 120 } });
  assert.deepEqual(binLww.resolve(older, engineTombstone, ctx), { action: 'take-incoming', reason: 'applied' });
  // The same tombstone without the redundant luts: equal in normal form, and storing it makes the
  // regions byte-identical again, so it is taken.
  assert.deepEqual(binLww.resolve(engineTombstone, tombstone(300, 1, 3), ctx), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(binLww.resolve(tombstone(300, 1, 3), engineTombstone, ctx), { action: 'keep-local', reason: 'older' });
});

test('dormant counters (a local delete keeps them) are joined per bin, apart from the bins', () => {
  const withDormant = (lut: number, region: number, p: Record<string, number>) =>
    ({ ...tombstone(lut, region), dormantCounters: { c: counter(0, 0, p) } }) satisfies Version;
  const a = withDormant(20, 1, { 1: 2 });
  const b = withDormant(21, 2, { 2: 5 });
  const live = version({ lut: 30, region: 3, bins: { x: 1 } });
  const m = mergeVersions(mergeVersions(a, live), b);
  assert.deepEqual(m.dormantCounters, { c: counter(0, 0, { 1: 2, 2: 5 }) });
  assert.deepEqual(m.bins, { x: 1 });
  assert.deepEqual(mergeVersions(b, mergeVersions(live, a)), m);
  assert.deepEqual(binLww.resolve(m, a, ctx), { action: 'keep-local', reason: 'older' });
});
