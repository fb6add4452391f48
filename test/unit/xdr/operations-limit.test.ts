// Every front end takes the operations-per-request limit from the engine
// (OPERATIONS_MAX) and refuses a longer request before decoding its steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Info2, MsgView, OpType, decodeMsg } from '../../../aerospike-protocol/index.js';
import { OPERATIONS_MAX } from '../../../engine/index.js';
import { planOperate } from '../../../xdr/aerospike/operate-plan.js';
import { decodeOperations } from '../../../xdr/http/operations.js';
import { keyFields, msgBody } from '../../helpers/aerospike-wire.js';

test('the HTTP API takes OPERATIONS_MAX operations and refuses one more', () => {
  const ops = (n: number) => Array.from({ length: n }, () => ({ op: 'read', bin: 'a' }));
  assert.equal(decodeOperations(ops(OPERATIONS_MAX)).length, OPERATIONS_MAX);
  assert.throws(() => decodeOperations(ops(OPERATIONS_MAX + 1)), (err: unknown) =>
    (err as { code?: string }).code === 'XDR_ERR_BAD_REQUEST' && (err as Error).message.includes(`at most ${OPERATIONS_MAX}`));
});

test('the Aerospike service takes OPERATIONS_MAX ops in a message and refuses one more', () => {
  const view = (n: number) => {
    const v = new MsgView();
    const ops = Array.from({ length: n }, () => ({ type: OpType.READ, name: 'a' }));
    decodeMsg(v, msgBody({ info2: Info2.RESPOND_ALL_OPS, fields: keyFields('test', 's', 'k'), ops }), { fieldsMax: 64, opsMax: 4096 });
    return v;
  };
  assert.equal(planOperate(view(OPERATIONS_MAX)).steps.length, OPERATIONS_MAX);
  assert.throws(() => planOperate(view(OPERATIONS_MAX + 1)), (err: unknown) =>
    (err as { code?: string }).code === 'XDR_ERR_SERVICE_BAD_REQUEST' && (err as Error).message.includes(`at most ${OPERATIONS_MAX}`));
});
