import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyOperations, type OpsRecordInput } from '../../../../engine/operations/index.js';
import type { Operation } from '../../../../engine/api.js';
import { isOrderedList, orderedList, type BinValue } from '../../../../record/index.js';
import { thrownCode } from '../../../helpers/error-code.js';

const ctx = { lut: 5000, contributor: '1' };
const rec = (bins: OpsRecordInput['bins']): OpsRecordInput => ({ bins, binLuts: {} });

function run(bins: OpsRecordInput['bins'], ...ops: Operation[]) {
  return applyOperations(rec(bins), ops, ctx);
}

test('list append, insert (negative, at the end), set, size', () => {
  const out = run(
    { l: ['a', 'b', 'c'] },
    { op: 'list-append', bin: 'l', value: 'd' },
    { op: 'list-insert', bin: 'l', index: -1, value: 'x' },
    { op: 'list-insert', bin: 'l', index: 0, value: 'first' },
    { op: 'list-set', bin: 'l', index: -2, value: 'y' },
    { op: 'list-insert', bin: 'l', index: 6, value: 'end' },
    { op: 'list-size', bin: 'l' },
  );
  assert.deepEqual(out.results, [4, 5, 6, null, 7, 7]);
  assert.deepEqual(out.bins.l, ['first', 'a', 'b', 'c', 'y', 'd', 'end']);
});

test('insert and set are bounded (no null padding); append and insert create a list on a missing bin; nils are elements', () => {
  assert.equal(thrownCode(() => run({ l: [1] }, { op: 'list-insert', bin: 'l', index: 2, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(thrownCode(() => run({ l: [1] }, { op: 'list-set', bin: 'l', index: 1, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(thrownCode(() => run({}, { op: 'list-set', bin: 'l', index: 0, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  const out = run({}, { op: 'list-insert', bin: 'l', index: 0, value: 1 }, { op: 'list-append', bin: 'm', value: [1] });
  assert.deepEqual(out.bins, { l: [1], m: [[1]] });
  const nils = run(
    {},
    { op: 'list-append', bin: 'l', value: null },
    { op: 'list-insert', bin: 'l', index: 0, value: [1, null] },
    { op: 'map-put', bin: 'm', key: 'k', value: null },
    { op: 'map-put-items', bin: 'n', items: { k: null } },
  );
  assert.deepEqual(nils.bins, { l: [[1, null], null], m: { k: null }, n: { k: null } });
});

test('an ordered list keeps its order through the list steps: append adds in order, insert and set are not applicable', () => {
  const out = run({ l: orderedList([1, 5]) }, { op: 'list-append', bin: 'l', value: 3 }, { op: 'list-remove', bin: 'l', index: 0 }, { op: 'list-sort', bin: 'l', descending: true });
  assert.ok(isOrderedList(out.bins.l));
  assert.deepEqual([...(out.bins.l as number[])], [3, 5]);
  assert.equal(thrownCode(() => run({ l: orderedList([1]) }, { op: 'list-insert', bin: 'l', index: 0, value: 0 })), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ l: orderedList([1]) }, { op: 'list-set', bin: 'l', index: 0, value: 0 })), 'ENGINE_ERR_OP_NOT_APPLICABLE');
});

test('list get by index (negative too) and out-of-range errors', () => {
  const bins = { l: [10, 20, 30] };
  assert.deepEqual(run(bins, { op: 'list-get', bin: 'l', index: 0 }, { op: 'list-get', bin: 'l', index: -1 }).results, [10, 30]);
  for (const index of [3, -4, 100]) {
    assert.equal(thrownCode(() => run(bins, { op: 'list-get', bin: 'l', index })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE', `index ${index}`);
  }
  assert.equal(thrownCode(() => run(bins, { op: 'list-insert', bin: 'l', index: -4, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(thrownCode(() => run(bins, { op: 'list-set', bin: 'l', index: -4, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(thrownCode(() => run(bins, { op: 'list-remove', bin: 'l', index: 3 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
  assert.equal(thrownCode(() => run(bins, { op: 'list-set', bin: 'l', index: 3, value: 0 })), 'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE');
});

test('list ranges clamp like Aerospike', () => {
  const bins = { l: [0, 1, 2, 3, 4] };
  const ranges: Array<[number, number | undefined, number[]]> = [
    [1, 2, [1, 2]],
    [1, undefined, [1, 2, 3, 4]],
    [-2, undefined, [3, 4]],
    [-2, 1, [3]],
    [-7, 3, [0]],
    [4, 10, [4]],
    [5, 1, []],
    [0, 0, []],
  ];
  for (const [index, count, expected] of ranges) {
    const op: Operation = count === undefined ? { op: 'list-get-range', bin: 'l', index } : { op: 'list-get-range', bin: 'l', index, count };
    assert.deepEqual(run(bins, op).results[0], expected, `range ${index},${count}`);
  }
});

test('list remove single and ranges returns the count removed', () => {
  let out = run({ l: [0, 1, 2, 3, 4] }, { op: 'list-remove', bin: 'l', index: -1 }, { op: 'list-remove', bin: 'l', index: 1, count: 2 });
  assert.deepEqual(out.results, [1, 2]);
  assert.deepEqual(out.bins.l, [0, 3]);
  out = run({ l: [0] }, { op: 'list-remove', bin: 'l', index: 5, count: 2 });
  assert.deepEqual(out.results, [0]);
  assert.equal(out.mutated, false);
});

test('list sort in Aerospike value order, both directions', () => {
  const mixed: BinValue[] = ['b', 2, [1], true, 1.5, { k: 1 }, new Uint8Array([1]), 'a', false, -3n];
  const out = run({ l: mixed }, { op: 'list-sort', bin: 'l' }, { op: 'read', bin: 'l' }, { op: 'list-sort', bin: 'l', descending: true }, { op: 'read', bin: 'l' });
  const asc = [false, true, -3n, 1.5, 2, 'a', 'b', [1], { k: 1 }, new Uint8Array([1])];
  assert.deepEqual(out.results[1], asc);
  assert.deepEqual(out.results[3], [...asc].reverse());
});

test('list steps on a missing bin read null; on another type are mismatches', () => {
  assert.deepEqual(run({ x: 1 }, { op: 'list-get', bin: 'l', index: 0 }, { op: 'list-size', bin: 'l' }, { op: 'list-get-range', bin: 'l', index: 0 }).results, [null, null, null]);
  for (const op of [
    { op: 'list-append', bin: 's', value: 1 },
    { op: 'list-get', bin: 's', index: 0 },
    { op: 'list-sort', bin: 's' },
    { op: 'map-put', bin: 's', key: 'k', value: 1 },
    { op: 'map-size', bin: 'l' },
  ] as Operation[]) {
    assert.equal(thrownCode(() => run({ s: 'text', l: [] }, op)), 'ENGINE_ERR_BIN_TYPE_MISMATCH', op.op);
  }
});

test('map put, put-items, get, remove, size', () => {
  const out = run(
    { m: { a: 1 } },
    { op: 'map-put', bin: 'm', key: 'b', value: { nested: [1] } },
    { op: 'map-put-items', bin: 'm', items: { c: 3, a: 'replaced' } },
    { op: 'map-get', bin: 'm', key: 'b' },
    { op: 'map-get', bin: 'm', key: 'zz' },
    { op: 'map-remove', bin: 'm', key: 'c' },
    { op: 'map-remove', bin: 'm', key: 'zz' },
    { op: 'map-size', bin: 'm' },
  );
  assert.deepEqual(out.results, [2, 3, { nested: [1] }, null, 3, null, 2]);
  assert.deepEqual(out.bins.m, { a: 'replaced', b: { nested: [1] } });
});

test('map increment creates, adds and refuses non-numbers', () => {
  const out = run({ m: { hits: 2 } }, { op: 'map-incr', bin: 'm', key: 'hits', value: 3 }, { op: 'map-incr', bin: 'm', key: 'new', value: 1.5 });
  assert.deepEqual(out.results, [5, 1.5]);
  assert.equal(thrownCode(() => run({ m: { s: 'x' } }, { op: 'map-incr', bin: 'm', key: 's', value: 1 })), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => run({ m: { i: 2n ** 63n - 1n } }, { op: 'map-incr', bin: 'm', key: 'i', value: 1 })), 'ENGINE_ERR_INCR_OVERFLOW');
});

test('map get by key range is [from, to) in byte order', () => {
  const out = run({ m: { b: 2, a: 1, c: 3, d: 4, '\u{1F600}': 5, '\uFFFD': 6 } }, { op: 'map-get-range', bin: 'm', from: 'b', to: 'd' }, { op: 'map-get-range', bin: 'm', from: '\uE000', to: '\u{10FFFF}' });
  assert.deepEqual(out.results[0], { b: 2, c: 3 });
  assert.deepEqual(Object.keys(out.results[0] as object), ['b', 'c']);
  assert.deepEqual(Object.keys(out.results[1] as object), ['\uFFFD', '\u{1F600}'], 'astral characters sort after the BMP, as in UTF-8');
});

// A model of list steps, written independently in the simplest way, to compare against.
function modelGetRange(list: number[], index: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = (index < 0 ? list.length + index : index) + i;
    if (at >= 0 && at < list.length) out.push(list[at]!);
  }
  return out;
}

test('property: list-get-range equals position-by-position selection', () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 12 }), fc.integer({ min: -15, max: 15 }), fc.integer({ min: 0, max: 15 }), (list, index, count) => {
      const got = run({ l: list }, { op: 'list-get-range', bin: 'l', index, count }).results[0];
      assert.deepEqual(got, modelGetRange(list, index, count));
    }),
    { numRuns: 500 },
  );
});

test('property: list-sort yields a sorted permutation, idempotent', () => {
  const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null));
  fc.assert(
    fc.property(fc.array(value, { maxLength: 20 }), (list) => {
      const once = run({ l: list }, { op: 'list-sort', bin: 'l' }).bins.l as BinValue[];
      const twice = run({ l: once }, { op: 'list-sort', bin: 'l' }).bins.l;
      assert.deepEqual(twice, once);
      assert.equal(once.length, list.length);
    }),
    { numRuns: 300 },
  );
});
