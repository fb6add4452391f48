import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SET_NAME_BYTES_MAX, SETS_MAX, SetTable } from '../../../../engine/primary-index/index.js';
import { isEngineError } from '../../../../engine/errors.js';

test('names get stable ids, the empty name is 0', () => {
  const sets = new SetTable();
  assert.equal(sets.idOf(''), 0);
  assert.equal(sets.idOf('users'), 1);
  assert.equal(sets.idOf('élan'), 2);
  assert.equal(sets.idOf('users'), 1);
  assert.equal(sets.find('nope'), -1);
  assert.equal(sets.nameOf(2), 'élan');
  assert.equal(sets.size, 3);
  assert.throws(() => sets.nameOf(3), /not in the set table/);
});

test('encode and decode round-trip', () => {
  const sets = new SetTable();
  for (const name of ['a', 'b', 'x'.repeat(SET_NAME_BYTES_MAX), '集合']) sets.idOf(name);
  const back = SetTable.decode(sets.encode());
  assert.equal(back.size, sets.size);
  for (let id = 0; id < sets.size; id++) assert.equal(back.nameOf(id), sets.nameOf(id));
  assert.equal(back.idOf('new'), sets.size);
});

test('limits: name length and set count', () => {
  const sets = new SetTable();
  assert.throws(() => sets.idOf('x'.repeat(SET_NAME_BYTES_MAX + 1)), (err) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
  for (let i = 1; i < SETS_MAX; i++) sets.idOf(`s${i}`);
  assert.throws(() => sets.idOf('one-too-many'), (err) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
});

test('malformed encodings are corrupted storage', () => {
  const good = new SetTable();
  good.idOf('abc');
  good.idOf('de');
  const bytes = good.encode();
  const cases = [
    new Uint8Array(1),
    Uint8Array.of(0, 0),
    bytes.subarray(0, bytes.length - 1),
    Uint8Array.of(...bytes, 0),
    Uint8Array.of(3, 0, 1, 0x61, 1, 0x61), // duplicate name
    Uint8Array.of(2, 0, 1, 0xff), // invalid UTF-8
  ];
  for (const c of cases) assert.throws(() => SetTable.decode(c), (err) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE'));
});
