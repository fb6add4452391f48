// The pure step between operate and the write path: which version operate stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReadOnly, nextVersionForOperate } from '../../../../engine/operations/operate.js';
import type { WriteContext } from '../../../../engine/operations/record-rules.js';
import type { OperateResult } from '../../../../engine/api.js';
import type { RecordVersion } from '../../../../record/index.js';

const digest = new Uint8Array(20);
const ctx: WriteContext = { ns: 'n', set: 's', digest, key: 'k', lut: 9000, region: 2, counterContributor: '2', nowSec: 1000, defaultTtlSec: 50 };
const key = { ns: 'n', set: 's', key: 'k' };

function version(over: Partial<RecordVersion>): RecordVersion {
  return { ns: 'n', set: 's', digest, generation: 3, voidTime: 0, lut: 5000, region: 1, deleted: false, bins: { a: 1 }, binLuts: { a: 5000 }, ...over };
}

test('a changing operate stores generation + 1, the namespace ttl, the key and the step results', () => {
  const result: { value?: OperateResult } = {};
  const next = nextVersionForOperate(version({}), key, [{ op: 'incr', bin: 'a', value: 1 }, { op: 'read', bin: 'a' }], {}, ctx, result)!;
  assert.equal(next.generation, 4);
  assert.equal(next.voidTime, 1050);
  assert.equal(next.lut, 9000);
  assert.equal(next.region, 2);
  assert.equal(next.key, 'k');
  assert.deepEqual(next.bins, { a: 2 });
  assert.deepEqual(next.counters, { a: { base: 1, baseLut: 5000, p: { '2': 1 }, n: {} } });
  assert.deepEqual(result.value, { generation: 4, ttl: 50, lut: 9000, region: 2, results: [null, 2] });
});

test('nothing is stored when no step changed anything, or when an absent record would only lose bins', () => {
  const result: { value?: OperateResult } = {};
  assert.equal(nextVersionForOperate(version({}), key, [{ op: 'map-remove', bin: 'm', key: 'x' }], {}, ctx, result), null);
  assert.equal(result.value?.generation, 3);
  assert.equal(nextVersionForOperate(null, key, [{ op: 'delete-bin', bin: 'a' }], {}, ctx, result), null);
  assert.equal(result.value?.generation, 0);
});

test('writing on a tombstone continues its generation and dates increments from its delete', () => {
  const result: { value?: OperateResult } = {};
  const tomb = version({ deleted: true, bins: {}, binLuts: {}, lut: 7000, generation: 6 });
  const next = nextVersionForOperate(tomb, key, [{ op: 'incr', bin: 'c', value: 5 }], { exists: 'create' }, ctx, result)!;
  assert.equal(next.generation, 7);
  assert.equal(next.deleted, false);
  assert.deepEqual(next.binLuts, { '!record-deleted-at': 7000, c: 9000 });
  assert.equal(next.counters?.c?.baseLut, 7000);
});

test('a removal of every bin stores a tombstone that never expires and keeps the sendKey choice', () => {
  const result: { value?: OperateResult } = {};
  const next = nextVersionForOperate(version({ key: 'stored' }), key, [{ op: 'delete-bin', bin: 'a' }], { ttl: 100, sendKey: false }, ctx, result)!;
  assert.equal(next.deleted, true);
  assert.equal(next.voidTime, 0);
  assert.equal(next.key, 'stored');
  assert.equal(next.counters, undefined);
});

test('policy errors come before any step runs', () => {
  const result: { value?: OperateResult } = {};
  assert.throws(() => nextVersionForOperate(version({}), key, [{ op: 'touch' }], { exists: 'create' }, ctx, result), { code: 'ENGINE_ERR_RECORD_EXISTS' });
  assert.throws(() => nextVersionForOperate(version({}), key, [{ op: 'touch' }], { ttl: 1.5 }, ctx, result), { code: 'ENGINE_ERR_INVALID_ARGUMENT' });
  assert.throws(() => nextVersionForOperate(version({}), key, [{ op: 'touch' }], { generation: { mode: 'gt', value: 3 } }, ctx, result), { code: 'ENGINE_ERR_GENERATION_MISMATCH' });
});

test('read-only classification', () => {
  assert.equal(isReadOnly([{ op: 'read', bin: 'a' }, { op: 'map-get-range', bin: 'm', from: 'a', to: 'b' }]), true);
  assert.equal(isReadOnly([{ op: 'read', bin: 'a' }, { op: 'touch' }]), false);
  assert.equal(isReadOnly([{ op: 'list-sort', bin: 'l' }]), false);
});
