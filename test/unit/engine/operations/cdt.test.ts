// Aerospike's list and map operations (the 'cdt' operate step): selections and
// return types, write flags, context paths, ordered lists, nils inside
// collections, and what the engine's data model refuses (non-string map keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CdtSpecial, CTX, ListOp, MapOp, ReturnType, applyOperations, type CdtArg, type OpsRecordInput } from '../../../../engine/operations/index.js';
import type { Operation } from '../../../../engine/api.js';
import { isOrderedList, orderedList, type BinValue } from '../../../../record/index.js';
import { thrownCode } from '../../../helpers/error-code.js';

const ctx = { lut: 5000, contributor: '1' };

function cdt(bin: string, code: number, args: CdtArg[], path: Array<{ type: number; value: CdtArg }> = []): Operation {
  return { op: 'cdt', bin, step: { code, args, ctx: path } };
}

function run(bins: OpsRecordInput['bins'], ...ops: Operation[]) {
  return applyOperations({ bins, binLuts: {} }, ops, ctx);
}

test('list selections by index, rank, value, interval and relative rank, with return types and INVERTED', () => {
  const l = [10, 40, 20, 30, 20];
  const results = run(
    { l },
    cdt('l', ListOp.GET_BY_INDEX_RANGE, [ReturnType.VALUE, 1, 2]),
    cdt('l', ListOp.GET_BY_RANK_RANGE, [ReturnType.VALUE, 0, 3]),
    cdt('l', ListOp.GET_ALL_BY_VALUE, [ReturnType.INDEX, 20]),
    cdt('l', ListOp.GET_BY_VALUE_INTERVAL, [ReturnType.COUNT, 20, 40]),
    cdt('l', ListOp.GET_BY_VALUE_INTERVAL, [ReturnType.VALUE, 25, CdtSpecial.INF]),
    cdt('l', ListOp.GET_BY_VALUE_REL_RANK_RANGE, [ReturnType.VALUE, 25, -1, 2]),
    cdt('l', ListOp.GET_BY_INDEX_RANGE, [ReturnType.VALUE | ReturnType.INVERTED, 0, 2]),
    cdt('l', ListOp.GET_BY_RANK, [ReturnType.REVERSE_RANK, -1]),
    cdt('l', ListOp.GET_BY_VALUE_LIST, [ReturnType.EXISTS, [99, 30]]),
  ).results;
  assert.deepEqual(results, [[40, 20], [10, 20, 20], [2, 4], 3, [40, 30], [20, 30], [20, 30, 20], 0, true]);
});

test('list writes: append-items with add-unique and no-fail partial, insert beyond the end, pop-range, trim, sort', () => {
  const out = run(
    { l: [3, 1] },
    cdt('l', ListOp.APPEND_ITEMS, [[1, 5, 5, 7], 0, 1 | 4 | 8]),
    cdt('l', ListOp.INSERT, [1, 9]),
    cdt('l', ListOp.POP_RANGE, [-2, 5]),
    cdt('l', ListOp.SORT, [1]),
  );
  assert.deepEqual(out.results, [4, 5, [5, 7], null]);
  assert.deepEqual(out.bins.l, [9, 3, 1]);
  assert.equal(thrownCode(() => run({ l: [1] }, cdt('l', ListOp.APPEND, [1, 0, 1]))), 'ENGINE_ERR_ELEMENT_EXISTS');
  assert.equal(thrownCode(() => run({ l: [1] }, cdt('l', ListOp.INSERT, [3, 9, 2]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ l: [1] }, cdt('l', ListOp.GET, [5]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ m: { a: 1 } }, cdt('m', ListOp.APPEND, [1]))), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
});

test('ordered lists: set-order sorts and keeps the flag, append adds in order, increment re-places, insert and set are not applicable', () => {
  const out = run(
    { l: [3, 1, 2] },
    cdt('l', ListOp.SET_TYPE, [1]),
    cdt('l', ListOp.APPEND, [0]),
    cdt('l', ListOp.APPEND_ITEMS, [[9, 2, 5], 1, 1 | 4 | 8]),
    cdt('l', ListOp.INCREMENT, [1, 10]),
    cdt('l', ListOp.SORT, [1 | 2]),
    cdt('l', ListOp.GET_BY_VALUE_REL_RANK_RANGE, [ReturnType.VALUE, 5, 0, 2]),
    cdt('l', ListOp.REMOVE_BY_RANK_RANGE, [ReturnType.VALUE, -1, 1]),
  );
  assert.deepEqual(out.results, [null, 4, 6, 11, null, [5, 9], [11]]);
  assert.deepEqual([...(out.bins.l as BinValue[])], [0, 2, 3, 5, 9]);
  assert.ok(isOrderedList(out.bins.l), 'every change keeps the order flag');
  const ordered = out.bins.l as BinValue[];
  assert.equal(thrownCode(() => run({ l: ordered }, cdt('l', ListOp.INSERT, [0, 1]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ l: ordered }, cdt('l', ListOp.SET, [0, 1]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  // Created ordered (the create type of an append), and back to unordered with set-order 0.
  const created = run({}, cdt('l', ListOp.APPEND_ITEMS, [[3, 1], 1, 0]));
  assert.ok(isOrderedList(created.bins.l));
  assert.deepEqual([...(created.bins.l as BinValue[])], [1, 3]);
  const plain = run({ l: ordered }, cdt('l', ListOp.SET_TYPE, [0]), cdt('l', ListOp.APPEND, [1]));
  assert.ok(!isOrderedList(plain.bins.l));
  assert.deepEqual(plain.bins.l, [0, 2, 3, 5, 9, 1]);
  // A list created ordered by a context, and a nested ordered list re-placed in its ordered parent.
  const nested = run({ m: {} }, cdt('m', ListOp.SET_TYPE, [1], [{ type: CTX.MAP_KEY | 0x40, value: 'k' }]));
  assert.ok(isOrderedList((nested.bins.m as Record<string, BinValue>).k));
  const createdParent = run({}, cdt('l', ListOp.APPEND, [5], [{ type: CTX.LIST_INDEX | 0xc0, value: 0 }]));
  assert.ok(isOrderedList(createdParent.bins.l));
  const parent = run({ l: orderedList([[1], [5]]) }, cdt('l', ListOp.APPEND, [9], [{ type: CTX.LIST_INDEX, value: 0 }]));
  assert.deepEqual([...(parent.bins.l as BinValue[])], [[1, 9], [5]]);
  const moved = run({ l: orderedList([[1], [5]]) }, cdt('l', ListOp.SET, [0, 7], [{ type: CTX.LIST_INDEX, value: 0 }]));
  assert.deepEqual([...(moved.bins.l as BinValue[])], [[5], [7]]);
});

test('nils inside lists and maps are elements; insert, set, increment and a padding context fill with nils; non-string map keys stay refused', () => {
  const out = run(
    { l: [1] },
    cdt('l', ListOp.APPEND, [null]),
    cdt('l', ListOp.INSERT, [4, 'x']),
    cdt('l', ListOp.SET, [6, 'y']),
    cdt('l', ListOp.INCREMENT, [8, 2]),
  );
  assert.deepEqual(out.bins.l, [1, null, null, null, 'x', null, 'y', null, 2]);
  assert.equal(thrownCode(() => run({ l: [1] }, cdt('l', ListOp.INSERT, [3, 9, 2]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  const padded = run({ l: [1, 2] }, cdt('l', ListOp.SET_TYPE, [0], [{ type: CTX.LIST_INDEX | 0x80, value: 4 }]));
  assert.deepEqual(padded.bins.l, [1, 2, null, null, []]);
  assert.equal(
    thrownCode(() => run({ l: [1, 2] }, cdt('l', ListOp.SET_TYPE, [0], [{ type: CTX.LIST_INDEX | 0x40, value: 4 }]))),
    'ENGINE_ERR_OP_NOT_APPLICABLE',
  );
  const map = run({ m: { a: 1 } }, cdt('m', MapOp.PUT, ['b', null, 0]));
  assert.deepEqual(map.bins.m, { a: 1, b: null });
  assert.equal(thrownCode(() => run({}, cdt('m', MapOp.PUT, [1, 'x', 0]))), 'ENGINE_ERR_UNSUPPORTED');
});

test('map operations: puts under write flags, selections by key, index, rank and value, KEY_VALUE as a flat list', () => {
  const out = run(
    { m: { c: 3, a: 1 } },
    cdt('m', MapOp.PUT, ['b', 2, 0]),
    cdt('m', MapOp.PUT_ITEMS, [{ a: 9, d: 4 }, 0, 1 | 4 | 8]),
    cdt('m', MapOp.INCREMENT, ['d', 6, 0]),
    cdt('m', MapOp.GET_BY_INDEX_RANGE, [ReturnType.KEY, 1, 2]),
    cdt('m', MapOp.GET_BY_RANK, [ReturnType.KEY_VALUE, -1]),
    cdt('m', MapOp.GET_BY_KEY_INTERVAL, [ReturnType.ORDERED_MAP, 'b', 'd']),
    cdt('m', MapOp.REMOVE_BY_VALUE_INTERVAL, [ReturnType.COUNT, null, 3]),
    cdt('m', MapOp.SIZE, []),
  );
  assert.deepEqual(out.results, [3, 4, 10, ['b', 'c'], ['d', 10], { b: 2, c: 3 }, 2, 2]);
  assert.deepEqual(out.bins.m, { c: 3, d: 10 });
  assert.equal(thrownCode(() => run({ m: {} }, cdt('m', MapOp.REPLACE, ['x', 1]))), 'ENGINE_ERR_ELEMENT_NOT_FOUND');
  assert.equal(thrownCode(() => run({ m: { x: 1 } }, cdt('m', MapOp.ADD, ['x', 2]))), 'ENGINE_ERR_ELEMENT_EXISTS');
});

test('context paths: into nested lists and maps, creating missing levels only for changes, copying stored values', () => {
  const stored = { m: { a: [1, 2], b: { c: [] as BinValue[] } } };
  const out = run(
    stored,
    cdt('m', ListOp.APPEND, [3], [{ type: CTX.MAP_KEY, value: 'a' }]),
    cdt('m', ListOp.APPEND, [7], [{ type: CTX.MAP_KEY, value: 'b' }, { type: CTX.MAP_KEY, value: 'c' }]),
    cdt('m', MapOp.PUT, ['z', 1, 0], [{ type: CTX.MAP_KEY | 0x40, value: 'new' }]),
    cdt('m', ListOp.GET, [-1], [{ type: CTX.MAP_INDEX, value: 0 }]),
  );
  assert.deepEqual(out.results, [3, 1, 1, 3]);
  assert.deepEqual(out.bins.m, { a: [1, 2, 3], b: { c: [7] }, new: { z: 1 } });
  assert.deepEqual(stored.m.a, [1, 2], 'the stored value was not changed in place');
  assert.equal(thrownCode(() => run(stored, cdt('m', ListOp.APPEND, [1], [{ type: CTX.MAP_KEY, value: 'nope' }]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  // A read through a path that leads nowhere creates nothing.
  assert.equal(thrownCode(() => run(stored, cdt('m', ListOp.SIZE, [], [{ type: CTX.MAP_KEY | 0x40, value: 'nope' }]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
});

test('an operate is atomic: a failing CDT step after a successful one stores nothing', () => {
  assert.equal(thrownCode(() => run({ l: [1] }, cdt('l', ListOp.APPEND, [2]), cdt('l', ListOp.GET, [9]))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
});

test('get-by-index-range with any index and count returns the slice Aerospike defines', () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 12 }), fc.integer({ min: -15, max: 15 }), fc.option(fc.nat(15), { nil: undefined }), (l, index, count) => {
      const args: CdtArg[] = count === undefined ? [ReturnType.VALUE, index] : [ReturnType.VALUE, index, count];
      const got = run({ l }, cdt('l', ListOp.GET_BY_INDEX_RANGE, args)).results[0];
      // Aerospike: a negative index counts from the end; the part before the start is dropped (from the count).
      let start = index < 0 ? index + l.length : index;
      let n = count ?? Infinity;
      if (start < 0) {
        n += start;
        start = 0;
      }
      const expected = start >= l.length || n <= 0 ? [] : l.slice(start, start + n);
      assert.deepEqual(got, expected);
    }),
  );
});
