// localWrite and localDelete stamp a new version the same way (they share one
// builder): identity, time, origin, next generation, and the key kept from the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localDelete, localWrite, type Version } from '../../../conflict/index.js';

const digest = new Uint8Array(20).fill(7);
const change = { ns: 'user_data', set: 'users', digest, lut: 5000, region: 2, voidTime: 99 };
const current: Version = { ns: 'user_data', set: 'users', digest, key: 'alice', generation: 4, voidTime: 0, lut: 1000, region: 1, deleted: false, bins: { a: 1 }, binLuts: { a: 1000 } };

test('a write and a delete of the same record get the same header', () => {
  const w = localWrite(current, { b: 2 }, change);
  const d = localDelete(current, change);
  for (const v of [w, d]) {
    assert.deepEqual({ ns: v.ns, set: v.set, digest: v.digest, generation: v.generation, voidTime: v.voidTime, lut: v.lut, region: v.region, key: v.key }, { ns: 'user_data', set: 'users', digest, generation: 5, voidTime: 99, lut: 5000, region: 2, key: 'alice' });
  }
  assert.deepEqual(d, { ...d, deleted: true, bins: {}, binLuts: {} });
  assert.equal('counters' in d, false);
  assert.equal(w.deleted, false);
});

test('a change on no record starts at generation 1; its own key wins over the record\'s', () => {
  assert.equal(localDelete(null, change).generation, 1);
  assert.equal('key' in localDelete(null, change), false);
  assert.equal(localWrite(current, { a: 2 }, { ...change, key: 'bob' }).key, 'bob');
  assert.equal(localDelete(current, { ...change, key: 'bob' }).key, 'bob');
});
