// Examples of the whole-record resolvers (lww, generation) and their order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareLww, generation, isConflictError, lww } from '../../../conflict/index.js';
import { tombstone, version } from './fixtures.js';

const ctx = { regionId: 1 };

test('lww: the higher lut wins, either way round', () => {
  const older = version({ lut: 100, region: 2, bins: { a: 1 } });
  const newer = version({ lut: 101, region: 1, bins: { a: 2 } });
  assert.deepEqual(lww.resolve(older, newer, ctx), { action: 'take-incoming', reason: 'applied' });
  assert.deepEqual(lww.resolve(newer, older, ctx), { action: 'keep-local', reason: 'older' });
});

test('lww: nothing local means the incoming version applies', () => {
  assert.deepEqual(lww.resolve(null, version({}), ctx), { action: 'take-incoming', reason: 'applied' });
});

test('lww: an exact lut tie goes to the higher region id, the same in both regions', () => {
  const r1 = version({ lut: 100, region: 1, bins: { a: 'from 1' } });
  const r2 = version({ lut: 100, region: 2, bins: { a: 'from 2' } });
  assert.equal(lww.resolve(r1, r2, ctx).action, 'take-incoming');
  assert.equal(lww.resolve(r2, r1, { regionId: 2 }).action, 'keep-local');
});

test('lww: a tie on lut and region is broken by content, deterministically', () => {
  const a = version({ lut: 100, region: 1, bins: { a: 1 } });
  const b = version({ lut: 100, region: 1, bins: { a: 2 } });
  assert.equal(Math.sign(compareLww(a, b)), -Math.sign(compareLww(b, a)));
  assert.notEqual(compareLww(a, b), 0);
});

test('lww: the same version again (a duplicate delivery) is identical', () => {
  const v = version({ bins: { a: new Uint8Array([1, 2]), m: { y: 1, x: [1, 'two'] } } });
  const copy = version({ bins: { m: { x: [1, 'two'], y: 1 }, a: Buffer.from([1, 2]) } });
  assert.deepEqual(lww.resolve(v, copy, ctx), { action: 'keep-local', reason: 'identical' });
});

test('lww: a delete wins an exact lut tie, even against a higher region id', () => {
  const write = version({ lut: 100, region: 9, bins: { a: 1 } });
  const del = tombstone(100, 1);
  assert.equal(lww.resolve(write, del, ctx).action, 'take-incoming');
  assert.equal(lww.resolve(del, write, ctx).action, 'keep-local');
});

test('lww: an older write arriving after a delete does not resurrect the record', () => {
  assert.deepEqual(lww.resolve(tombstone(200), version({ lut: 150, region: 2, bins: { a: 1 } }), ctx), { action: 'keep-local', reason: 'older' });
});

test('lww: a write newer than the delete recreates the record', () => {
  assert.equal(lww.resolve(tombstone(200), version({ lut: 201, bins: { a: 1 } }), ctx).action, 'take-incoming');
});

test('generation: the higher generation wins even with an older lut', () => {
  const busy = version({ generation: 7, lut: 100, bins: { a: 1 } });
  const recent = version({ generation: 3, lut: 500, region: 2, bins: { a: 2 } });
  assert.equal(generation.resolve(recent, busy, ctx).action, 'take-incoming');
  assert.equal(generation.resolve(busy, recent, ctx).action, 'keep-local');
});

test('generation: a generation tie falls back to lww', () => {
  const a = version({ generation: 4, lut: 100, bins: { a: 1 } });
  const b = version({ generation: 4, lut: 101, bins: { a: 2 } });
  assert.equal(generation.resolve(a, b, ctx).action, 'take-incoming');
  assert.equal(generation.resolve(b, a, ctx).action, 'keep-local');
});

test('generation: a tombstone beats every version its region had seen (they have lower generations)', () => {
  const seen = version({ generation: 5, lut: 100, bins: { a: 1 } });
  const del = tombstone(120, 1, 6);
  assert.equal(generation.resolve(del, seen, ctx).action, 'keep-local');
  assert.equal(generation.resolve(seen, del, ctx).action, 'take-incoming');
});

test('versions of two different records are a caller bug with a typed error', () => {
  const other = version({ digest: new Uint8Array(20).fill(9) });
  assert.throws(() => lww.resolve(version({}), other, ctx), (err) => isConflictError(err, 'CONFLICT_ERR_RECORD_MISMATCH'));
});
