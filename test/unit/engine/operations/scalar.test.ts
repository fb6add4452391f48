import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations, opsInputFromVersion, type OpsRecordInput } from '../../../../engine/operations/index.js';
import { DELETE_HORIZON_BIN } from '../../../../record/index.js';
import type { Operation } from '../../../../engine/api.js';
import { thrownCode } from '../../../helpers/error-code.js';

const ctx = { lut: 5000, contributor: '1' };

function record(bins: OpsRecordInput['bins'], binLuts: Record<string, number> = {}): OpsRecordInput {
  const luts: Record<string, number> = { ...binLuts };
  for (const bin of Object.keys(bins)) luts[bin] ??= 1000;
  return { bins, binLuts: luts };
}

test('read returns stored values and null for absent bins; reading alone does not mutate', () => {
  const out = applyOperations(record({ a: 1, s: 'x' }), [{ op: 'read', bin: 'a' }, { op: 'read', bin: 'nope' }], ctx);
  assert.deepEqual(out.results, [1, null]);
  assert.equal(out.mutated, false);
});

test('later steps see earlier ones, results are snapshots', () => {
  const ops: Operation[] = [
    { op: 'write', bin: 'l', value: [1, 2] },
    { op: 'read', bin: 'l' },
    { op: 'list-append', bin: 'l', value: 3 },
    { op: 'read', bin: 'l' },
  ];
  const out = applyOperations(null, ops, ctx);
  assert.deepEqual(out.results, [null, [1, 2], 3, [1, 2, 3]]);
  assert.deepEqual(out.bins, { l: [1, 2, 3] });
  assert.equal(out.binLuts.l, ctx.lut);
  assert.equal(out.mutated, true);
});

test('write of null and delete-bin remove the bin and leave a bin tombstone', () => {
  let out = applyOperations(record({ a: 1, b: 2, c: 3 }), [{ op: 'write', bin: 'a', value: null }, { op: 'delete-bin', bin: 'b' }], ctx);
  assert.deepEqual(out.bins, { c: 3 });
  assert.deepEqual(out.binLuts, { a: ctx.lut, b: ctx.lut, c: 1000 });
  assert.equal(out.deleted, false);
  // Removing the last bin turns the record into a tombstone that names its delete horizon (0: nothing was deleted whole).
  out = applyOperations(record({ a: 1 }), [{ op: 'delete-bin', bin: 'a' }], ctx);
  assert.equal(out.deleted, true);
  assert.deepEqual(out.binLuts, { a: ctx.lut, [DELETE_HORIZON_BIN]: 0 });
});

test('a tombstone starts from no bins and its horizon; increments on it date from the horizon', () => {
  const tomb = opsInputFromVersion({ bins: {}, binLuts: {}, deleted: true, lut: 4000 });
  assert.deepEqual(tomb, { bins: {}, binLuts: { [DELETE_HORIZON_BIN]: 4000 }, live: false });
  assert.equal(thrownCode(() => applyOperations(tomb, [{ op: 'read', bin: 'a' }], ctx)), 'ENGINE_ERR_RECORD_NOT_FOUND');
  const out = applyOperations(tomb, [{ op: 'incr', bin: 'c', value: 2 }], ctx);
  assert.deepEqual(out.counters, { c: { base: 0, baseLut: 4000, p: { '1': 2 }, n: {} } });
  assert.equal(out.deleted, false);
  const live = opsInputFromVersion({ bins: { a: 1 }, binLuts: { a: 3, [DELETE_HORIZON_BIN]: 2 }, deleted: false, lut: 3 });
  assert.deepEqual(live, { bins: { a: 1 }, binLuts: { a: 3, [DELETE_HORIZON_BIN]: 2 } });
  const inc = applyOperations(live, [{ op: 'incr', bin: 'n', value: -1 }], ctx);
  assert.deepEqual(inc.counters, { n: { base: 0, baseLut: 2, p: {}, n: { '1': 1 } } });
  assert.equal(opsInputFromVersion(null), null);
});

test('the input record is never modified', () => {
  const input = record({ a: 1, l: [1], m: { k: 1 } });
  const snapshot = structuredClone(input);
  applyOperations(input, [
    { op: 'incr', bin: 'a', value: 1 },
    { op: 'list-append', bin: 'l', value: 2 },
    { op: 'map-put', bin: 'm', key: 'z', value: 2 },
    { op: 'delete-bin', bin: 'a' },
  ], ctx);
  assert.deepEqual(input, snapshot);
});

test('written nested values are copies of the caller value and come back equal', () => {
  const nested = { a: [1, { b: new Uint8Array([1, 2]), c: [true, false, 2.5, 10n ** 18n, ''] }], '': 'empty key', e: {}, f: [] };
  const out = applyOperations(null, [{ op: 'write', bin: 'n', value: nested }, { op: 'read', bin: 'n' }], ctx);
  assert.deepEqual(out.results[1], nested);
  (nested.a as unknown[]).push('later');
  assert.notDeepEqual(out.bins.n, nested);
});

test('integer increments: create, add, negative, exact past 2^53, overflow is an error', () => {
  let out = applyOperations(null, [{ op: 'incr', bin: 'c', value: 5 }, { op: 'read', bin: 'c' }], ctx);
  assert.deepEqual(out.results, [null, 5]);
  out = applyOperations(record({ c: 5 }), [{ op: 'incr', bin: 'c', value: -7 }, { op: 'read', bin: 'c' }], ctx);
  assert.equal(out.results[1], -2);
  out = applyOperations(record({ c: Number.MAX_SAFE_INTEGER }), [{ op: 'incr', bin: 'c', value: 2 }, { op: 'read', bin: 'c' }], ctx);
  assert.equal(out.results[1], 2n ** 53n + 1n);
  out = applyOperations(record({ c: 2n ** 62n }), [{ op: 'incr', bin: 'c', value: 2n ** 62n - 1n }, { op: 'read', bin: 'c' }], ctx);
  assert.equal(out.results[1], 2n ** 63n - 1n);
  assert.equal(thrownCode(() => applyOperations(record({ c: 2n ** 63n - 1n }), [{ op: 'incr', bin: 'c', value: 1 }], ctx)), 'ENGINE_ERR_INCR_OVERFLOW');
  assert.equal(thrownCode(() => applyOperations(record({ c: -(2n ** 63n) }), [{ op: 'incr', bin: 'c', value: -1 }], ctx)), 'ENGINE_ERR_INCR_OVERFLOW');
  out = applyOperations(record({ c: 2n ** 60n }), [{ op: 'incr', bin: 'c', value: -(2n ** 60n) + 3n }, { op: 'read', bin: 'c' }], ctx);
  assert.equal(out.results[1], 3, 'results back in the safe range are numbers');
});

test('double increments and type mismatches', () => {
  let out = applyOperations(record({ d: 1.5 }), [{ op: 'incr', bin: 'd', value: 0.25 }, { op: 'read', bin: 'd' }], ctx);
  assert.equal(out.results[1], 1.75);
  out = applyOperations(record({ d: 1.5 }), [{ op: 'incr', bin: 'd', value: 2 }, { op: 'read', bin: 'd' }], ctx);
  assert.equal(out.results[1], 3.5);
  assert.equal(thrownCode(() => applyOperations(record({ s: 'x' }), [{ op: 'incr', bin: 's', value: 1 }], ctx)), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => applyOperations(record({ l: [] }), [{ op: 'incr', bin: 'l', value: 1.5 }], ctx)), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => applyOperations(record({ b: 2n ** 60n }), [{ op: 'incr', bin: 'b', value: 0.5 }], ctx)), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => applyOperations(record({ d: 1e308 }), [{ op: 'incr', bin: 'd', value: 1e308 }], ctx)), 'ENGINE_ERR_INCR_OVERFLOW');
  assert.equal(thrownCode(() => applyOperations(null, [{ op: 'incr', bin: 'x', value: Number.NaN }], ctx)), 'ENGINE_ERR_INVALID_ARGUMENT');
});

test('increments keep a counter state under the local region; a plain write opens a new epoch', () => {
  let out = applyOperations(record({ c: 10 }, { c: 700 }), [{ op: 'incr', bin: 'c', value: 5 }, { op: 'incr', bin: 'c', value: -2 }], ctx);
  assert.equal(out.bins.c, 13);
  assert.deepEqual(out.counters, { c: { base: 10, baseLut: 700, p: { '1': 5 }, n: { '1': 2 } } });
  out = applyOperations({ bins: out.bins, binLuts: out.binLuts, counters: out.counters! }, [{ op: 'write', bin: 'c', value: 100 }], { lut: 9000, contributor: '2' });
  assert.deepEqual(out.counters, { c: { base: 100, baseLut: 9000, p: {}, n: {} } });
  out = applyOperations({ bins: out.bins, binLuts: out.binLuts, counters: out.counters! }, [{ op: 'write', bin: 'c', value: 'text' }], ctx);
  assert.equal(out.counters, undefined);
});

test('append and prepend on strings and bytes; mismatches are typed errors', () => {
  const out = applyOperations(record({ s: 'mid', b: new Uint8Array([2]) }), [
    { op: 'append', bin: 's', value: '>' },
    { op: 'prepend', bin: 's', value: '<' },
    { op: 'append', bin: 'b', value: new Uint8Array([3]) },
    { op: 'prepend', bin: 'b', value: new Uint8Array([1]) },
    { op: 'append', bin: 'new', value: 'x' },
  ], ctx);
  assert.deepEqual(out.bins, { s: '<mid>', b: new Uint8Array([1, 2, 3]), new: 'x' });
  assert.equal(thrownCode(() => applyOperations(record({ s: 'a' }), [{ op: 'append', bin: 's', value: new Uint8Array(1) }], ctx)), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
  assert.equal(thrownCode(() => applyOperations(record({ n: 1 }), [{ op: 'prepend', bin: 'n', value: 'x' }], ctx)), 'ENGINE_ERR_BIN_TYPE_MISMATCH');
});

test('touch marks the record written; touch or reads of an absent record are not-found', () => {
  assert.equal(applyOperations(record({ a: 1 }), [{ op: 'touch' }], ctx).mutated, true);
  assert.equal(thrownCode(() => applyOperations(null, [{ op: 'touch' }], ctx)), 'ENGINE_ERR_RECORD_NOT_FOUND');
  assert.equal(thrownCode(() => applyOperations(null, [{ op: 'read', bin: 'a' }], ctx)), 'ENGINE_ERR_RECORD_NOT_FOUND');
});

test('replace removes the bins no step wrote', () => {
  const out = applyOperations(record({ a: 1, b: 2 }), [{ op: 'read', bin: 'b' }, { op: 'write', bin: 'a', value: 3 }], ctx, { replace: true });
  assert.deepEqual(out.results, [2, null]);
  assert.deepEqual(out.bins, { a: 3 });
  assert.equal(out.binLuts.b, ctx.lut);
});

test('malformed operations are refused before any step runs', () => {
  const bad: unknown[] = [
    [],
    [{ op: 'nope', bin: 'a' }],
    [{ op: 'read', bin: '' }],
    [{ op: 'write', bin: 'a', value: undefined }],
    [{ op: 'write', bin: 'a', value: new Date() }],
    [{ op: 'write', bin: 'a', value: { x: () => 1 } }],
    [{ op: 'list-get', bin: 'a', index: 1.5 }],
    [{ op: 'list-remove', bin: 'a', index: 0, count: -1 }],
    [{ op: 'map-get', bin: 'a', key: 1 }],
    [{ op: 'append', bin: 'a', value: 1 }],
    Array.from({ length: 1001 }, () => ({ op: 'touch' })),
  ];
  for (const ops of bad) assert.equal(thrownCode(() => applyOperations(record({ a: 1 }), ops as Operation[], ctx)), 'ENGINE_ERR_INVALID_ARGUMENT', JSON.stringify(ops, (_k, v) => (typeof v === 'bigint' ? String(v) : v))?.slice(0, 80));
  assert.equal(thrownCode(() => applyOperations(null, [{ op: 'write', bin: 'sixteen-bytes-xx', value: 1 }], ctx)), 'ENGINE_ERR_BIN_NAME_TOO_LONG');
});

test('bin and map keys named like Object.prototype members are data', () => {
  const out = applyOperations(null, [
    { op: 'write', bin: '__proto__', value: 1 },
    { op: 'map-put', bin: 'm', key: '__proto__', value: 'p' },
    { op: 'map-get', bin: 'm', key: 'toString' },
    { op: 'map-get', bin: 'm', key: '__proto__' },
  ], ctx);
  assert.deepEqual(Object.keys(out.bins).sort(), ['__proto__', 'm']);
  assert.deepEqual(out.results.slice(2), [null, 'p']);
  assert.equal(Object.getPrototypeOf(out.bins.m), Object.prototype);
});
