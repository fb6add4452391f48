// Aerospike's HyperLogLog operations (the 'hll' operate step): what each op
// builds and returns, the write flags, and the result codes Aerospike answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HllOp, HllWriteFlags, applyOperations, type HllStep, type OpsRecordInput } from '../../../../engine/operations/index.js';
import type { Operation } from '../../../../engine/api.js';
import { HllValue, hll } from '../../../../record/index.js';
import { thrownCode } from '../../../helpers/error-code.js';
import { hllCats, stringElement } from '../../../helpers/hll.js';

const ctx = { lut: 5000, contributor: '1' };

function op(code: number, fields: Omit<HllStep, 'code'> = {}, bin = 'h'): Operation {
  return { op: 'hll', bin, step: { code, ...fields } };
}

const add = (names: string[], indexBits?: number, flags?: number) =>
  op(HllOp.ADD, { elements: names.map(stringElement), ...(indexBits === undefined ? {} : { indexBits }), ...(flags === undefined ? {} : { flags }) });

function run(bins: OpsRecordInput['bins'] | null, ...ops: Operation[]) {
  return applyOperations(bins === null ? null : { bins, binLuts: {} }, ops, ctx);
}

test('add creates the sketch Aerospike creates and returns how many registers rose', () => {
  const out = run({ foo: 'bar' }, add(['jaguar', 'tiger', 'tiger', 'leopard', 'lion', 'jaguar'], 8));
  assert.deepEqual(out.results, [4]);
  assert.ok(out.bins.h instanceof HllValue);
  assert.deepEqual((out.bins.h as HllValue).bytes, hllCats);
});

test('init, describe, count, union count, intersect count, similarity, may-contain, get-union', () => {
  const out = run(
    { foo: 'bar' },
    op(HllOp.INIT, { indexBits: 10, minhashBits: 6 }),
    op(HllOp.DESCRIBE),
    op(HllOp.INIT, { indexBits: 8 }),
    add(['leopard', 'lynx', 'tiger', 'tiger', 'cheetah', 'lynx']),
    op(HllOp.COUNT),
    op(HllOp.UNION_COUNT, { sketches: [hllCats] }),
    op(HllOp.INTERSECT_COUNT, { sketches: [hllCats] }),
    op(HllOp.SIMILARITY, { sketches: [hllCats] }),
    op(HllOp.MAY_CONTAIN, { elements: [stringElement('lynx')] }),
    op(HllOp.GET_UNION, { sketches: [hllCats] }),
  );
  assert.deepEqual(out.results.slice(0, 9), [null, [10, 6], null, 4, 4, 6, 2, 2 / 6, 1]);
  assert.equal(hll.estimateCount((out.results[9] as HllValue).bytes), 6);
});

test('set-union, fold and refresh-count', () => {
  const out = run(
    { foo: 'bar' },
    add(['tiger', 'lynx', 'cheetah', 'tiger'], 8),
    op(HllOp.SET_UNION, { sketches: [hllCats] }),
    op(HllOp.COUNT),
    op(HllOp.FOLD, { indexBits: 6 }),
    op(HllOp.DESCRIBE),
    op(HllOp.REFRESH_COUNT),
  );
  assert.deepEqual(out.results, [3, null, 6, null, [6, 0], 6]);
});

test('write flags: create-only, update-only, no-fail, allow-fold', () => {
  assert.equal(thrownCode(() => run({}, add(['a'], 8), op(HllOp.INIT, { indexBits: 10, flags: HllWriteFlags.CREATE_ONLY }))), 'ENGINE_ERR_BIN_EXISTS');
  assert.equal(thrownCode(() => run({ foo: 1 }, op(HllOp.INIT, { indexBits: 10, flags: HllWriteFlags.UPDATE_ONLY }))), 'ENGINE_ERR_BIN_NOT_FOUND');
  const kept = run({}, add(['a', 'b'], 8), op(HllOp.INIT, { indexBits: 12, flags: HllWriteFlags.CREATE_ONLY | HllWriteFlags.NO_FAIL }), op(HllOp.COUNT));
  assert.deepEqual(kept.results, [2, null, 2]);
  const skipped = run({ foo: 1 }, op(HllOp.SET_UNION, { sketches: [hllCats], flags: HllWriteFlags.UPDATE_ONLY | HllWriteFlags.NO_FAIL }));
  assert.deepEqual(skipped.bins, { foo: 1 });
  assert.equal(thrownCode(() => run({}, add(['a'], 12), op(HllOp.SET_UNION, { sketches: [hllCats] }))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  const folded = run({}, add(['a'], 12), op(HllOp.SET_UNION, { sketches: [hllCats], flags: HllWriteFlags.ALLOW_FOLD }), op(HllOp.DESCRIBE));
  assert.deepEqual(folded.results[2], [8, 0]);
});

test('result codes: wrong bin type, bad arguments, ops that do not apply', () => {
  assert.equal(thrownCode(() => run({ h: 'not a sketch' }, add(['a'], 8))), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => run({ foo: 1 }, add(['a']))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ foo: 1 }, add(['a'], 17))), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCode(() => run({ foo: 1 }, add([], 8))), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCode(() => run({ foo: 1 }, op(HllOp.INIT, { indexBits: 8, flags: HllWriteFlags.ALLOW_FOLD }))), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCode(() => run({ foo: 1 }, op(HllOp.INIT, { indexBits: 16, minhashBits: 8 }), op(HllOp.FOLD, { indexBits: 8 }))), 'ENGINE_ERR_OP_NOT_APPLICABLE');
  assert.equal(thrownCode(() => run({ foo: 1 }, op(HllOp.FOLD, { indexBits: 8 }))), 'ENGINE_ERR_BIN_NOT_FOUND');
  assert.equal(thrownCode(() => run({ foo: 1 }, op(HllOp.COUNT, { sketches: [Uint8Array.of(1, 2, 3)] }), op(HllOp.UNION_COUNT, { sketches: [Uint8Array.of(0, 8, 0)] }))), 'ENGINE_ERR_INVALID_ARGUMENT');
});

test('a read of a missing bin gives null; an operate that only reads a missing record is not-found', () => {
  assert.deepEqual(run({ foo: 1 }, op(HllOp.COUNT)).results, [null]);
  assert.equal(thrownCode(() => run(null, op(HllOp.COUNT))), 'ENGINE_ERR_RECORD_NOT_FOUND');
});
