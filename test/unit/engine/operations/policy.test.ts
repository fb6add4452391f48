import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRemovePolicy, checkWritePolicy, resolveVoidTime, ttlFromVoidTime, TTL_SEC_MAX } from '../../../../engine/operations/index.js';
import type { WritePolicy } from '../../../../engine/api.js';
import { thrownCodeOrNull } from '../../../helpers/error-code.js';

const present = { generation: 3, voidTime: 0 };

test('exists policies against present and absent records', () => {
  const cases: Array<[WritePolicy['exists'], string | null, string | null, boolean]> = [
    // policy, when present, when absent, replaces bins
    ['upsert', null, null, false],
    ['create', 'ENGINE_ERR_RECORD_EXISTS', null, false],
    ['update', null, 'ENGINE_ERR_RECORD_NOT_FOUND', false],
    ['replace', null, 'ENGINE_ERR_RECORD_NOT_FOUND', true],
    ['create-or-replace', null, null, true],
  ];
  for (const [exists, whenPresent, whenAbsent, replace] of cases) {
    assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { exists })), whenPresent, `${exists} present`);
    assert.equal(thrownCodeOrNull(() => checkWritePolicy(null, { exists })), whenAbsent, `${exists} absent`);
    if (whenPresent === null) assert.equal(checkWritePolicy(present, { exists }).replace, replace);
  }
  assert.equal(checkWritePolicy(null, undefined).replace, false);
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(null, { exists: 'sometimes' as never })), 'ENGINE_ERR_INVALID_ARGUMENT');
});

test('generation expect-equal and expect-greater; absent records have generation 0', () => {
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'eq', value: 3 } })), null);
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'eq', value: 2 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'gt', value: 4 } })), null);
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'gt', value: 3 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(null, { generation: { mode: 'eq', value: 0 } })), null);
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(null, { generation: { mode: 'eq', value: 1 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal(thrownCodeOrNull(() => checkRemovePolicy(present, { generation: { mode: 'eq', value: 1 } })), 'ENGINE_ERR_GENERATION_MISMATCH');
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'ge', value: 1 } as never })), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCodeOrNull(() => checkWritePolicy(present, { generation: { mode: 'eq', value: 1.5 } })), 'ENGINE_ERR_INVALID_ARGUMENT');
});

test('ttl: namespace default, never, keep, explicit, limits', () => {
  const now = 1_700_000_000;
  assert.equal(resolveVoidTime(undefined, 3600, now, 0), now + 3600);
  assert.equal(resolveVoidTime(0, 3600, now, 0), now + 3600);
  assert.equal(resolveVoidTime(0, 0, now, 0), 0, 'a namespace default of 0 means never');
  assert.equal(resolveVoidTime(-1, 3600, now, now + 5), 0);
  assert.equal(resolveVoidTime(-2, 3600, now, now + 5), now + 5);
  assert.equal(resolveVoidTime(86400 * 30, 3600, now, 0), now + 86400 * 30);
  for (const bad of [-3, 1.5, TTL_SEC_MAX + 1, Number.NaN]) {
    assert.equal(thrownCodeOrNull(() => resolveVoidTime(bad, 0, now, 0)), 'ENGINE_ERR_INVALID_ARGUMENT', String(bad));
  }
  assert.equal(ttlFromVoidTime(0, now), -1);
  assert.equal(ttlFromVoidTime(now + 10, now), 10);
});
