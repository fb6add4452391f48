// record/'s local-update rule, through the engine's own write path (put,
// operate, durable delete): what a region stores for its own client's changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELETE_HORIZON_BIN, counterStatesOf, type BinValue, type CounterState, type RecordVersion } from '../../../record/index.js';
import { del, incr, operate, put } from '../../helpers/local-writes.js';

const digest = new Uint8Array(20).fill(7);
const at = (region: number, lut: number) => ({ ns: 'user_data', set: 'users', digest, region, lut });
const state = (base: number, baseLut: number, p: Record<string, number> = {}, n: Record<string, number> = {}): CounterState => ({ base, baseLut, p, n });

test('a write and a delete of the same record get the same header', () => {
  const current = put(null, { a: 1 }, at(1, 1000));
  const w = put(current, { b: 2 }, at(2, 5000));
  const d = del(current, at(2, 5000))!;
  for (const v of [w, d]) {
    assert.deepEqual({ ns: v.ns, set: v.set, generation: v.generation, lut: v.lut, region: v.region, key: v.key }, { ns: 'user_data', set: 'users', generation: 2, lut: 5000, region: 2, key: 'k' });
  }
  assert.deepEqual({ deleted: d.deleted, bins: d.bins, binLuts: d.binLuts, voidTime: d.voidTime }, { deleted: true, bins: {}, binLuts: {}, voidTime: 0 });
  assert.equal('counters' in d, false);
  assert.equal('dormantCounters' in d, false);
  assert.equal(w.deleted, false);
});

test('a counter bin written with a number opens a new epoch; with anything else, or removed, its state goes dormant', () => {
  const c = incr(incr(null, 'c', 2, at(1, 10)), 'c', 3, at(1, 11));
  assert.deepEqual(c.counters, { c: state(0, 0, { 1: 5 }) });
  const reset = put(c, { c: 7 }, at(1, 20));
  assert.deepEqual(reset.counters, { c: state(7, 20) });
  assert.equal(reset.dormantCounters, undefined, 'the new epoch is newer than every state of the bin: nothing to keep');
  for (const value of ['text', null, 2n ** 60n, [1]] satisfies BinValue[]) {
    const v = put(c, { c: value, keep: 1 }, at(1, 20));
    assert.equal(v.counters, undefined, String(value));
    assert.deepEqual(v.dormantCounters, { c: state(0, 0, { 1: 5 }) }, String(value));
  }
  // operate's write and delete-bin steps follow the same rule.
  const viaOperate = operate(c, [{ op: 'write', bin: 'c', value: 'text' }, { op: 'write', bin: 'k', value: 1 }], at(1, 20))!;
  assert.deepEqual(viaOperate.dormantCounters, { c: state(0, 0, { 1: 5 }) });
  const removed = operate(c, [{ op: 'delete-bin', bin: 'c' }, { op: 'write', bin: 'k', value: 1 }], at(1, 20))!;
  assert.deepEqual(removed.dormantCounters, { c: state(0, 0, { 1: 5 }) });
});

test('a replacing put keeps every counter state dormant and writes plain bins', () => {
  const c = incr(put(null, { a: 1 }, at(1, 10)), 'c', 4, at(1, 11));
  const r = put(c, { c: 9, b: 2 }, at(1, 20), { exists: 'replace' });
  assert.deepEqual(r.bins, { c: 9, b: 2 });
  assert.equal(r.binLuts.a, 20);
  assert.equal(r.counters, undefined);
  assert.deepEqual(r.dormantCounters, { c: state(0, 0, { 1: 4 }) });
});

test('a durable delete keeps every counter state, visible and dormant, joined per bin', () => {
  const v = put(incr(incr(null, 'c', 1, at(1, 10)), 'd', 2, at(1, 11)), { d: 'x' }, at(1, 12));
  const t = del(v, at(1, 20))!;
  assert.deepEqual(t.dormantCounters, { c: state(0, 0, { 1: 1 }), d: state(0, 0, { 1: 2 }) });
  // Writing over the tombstone keeps them and states the horizon.
  const w = put(t, { a: 1 }, at(1, 30));
  assert.deepEqual(w.binLuts, { a: 30, [DELETE_HORIZON_BIN]: 20 });
  assert.deepEqual(w.dormantCounters, t.dormantCounters);
  // Removing the last bin leaves a tombstone that keeps them too.
  const empty = put(w, { a: null }, at(1, 31));
  assert.equal(empty.deleted, true);
  assert.deepEqual(empty.dormantCounters, t.dormantCounters);
});

test('an increment joins a dormant state of its own epoch instead of restarting it, so no increment is dropped or counted twice', () => {
  // A dormant state in the epoch the increment opens: region 1 already holds 5 there (it came back
  // in a merge whose picked version showed the bin otherwise). Starting from p[1] = 0 would store
  // p[1] = 1, which the max-per-region join then drops under the 5 already shipped.
  const v: RecordVersion = {
    ns: 'user_data', set: 'users', digest, generation: 3, voidTime: 0, lut: 50, region: 2, deleted: false,
    bins: { x: 1 }, binLuts: { x: 50, c: 40 }, dormantCounters: { c: state(0, 40, { 1: 5, 2: 1 }) },
  };
  const i = incr(v, 'c', 1, at(1, 60));
  assert.deepEqual(i.counters!.c, state(0, 40, { 1: 6, 2: 1 }));
  assert.equal(i.bins.c, 7);
  // A dormant state of an older epoch is left alone: the increment opens the bin's own epoch.
  const older = { ...v, dormantCounters: { c: state(0, 10, { 1: 5 }) } };
  assert.deepEqual(incr(older, 'c', 1, at(1, 60)).counters!.c, state(0, 40, { 1: 1 }));
  assert.deepEqual(counterStatesOf(incr(older, 'c', 1, at(1, 60)))!.c, state(0, 40, { 1: 1 }));
});
