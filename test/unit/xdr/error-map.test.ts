import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_ERRORS, EngineError } from '../../../engine/index.js';
import { CONFLICT_ERRORS } from '../../../conflict/index.js';
import { SHIP_ERRORS } from '../../../shipper/index.js';
import { RECV_ERRORS } from '../../../receiver/index.js';
import { CONFIG_ERRORS } from '../../../xdr/config/index.js';
import { XDR_ERRORS } from '../../../xdr/errors.js';
import { INFRA_ERRORS } from '../../../xdr/infra/index.js';
import { REPLICATION_ERRORS } from '../../../xdr/replication/index.js';
import { DASHBOARD_ERRORS } from '../../../xdr/dashboard/index.js';
import { VERIFY_ERRORS } from '../../../xdr/verify/index.js';
import { mappedCodes, statusFor, toErrorReply } from '../../../xdr/http/index.js';
import { WIRE_ERRORS } from '../../../replication-protocol/index.js';

test("every module's error codes have an explicit HTTP status", () => {
  const mapped = new Set(mappedCodes());
  const registries = [ENGINE_ERRORS, WIRE_ERRORS, CONFLICT_ERRORS, SHIP_ERRORS, RECV_ERRORS, CONFIG_ERRORS, XDR_ERRORS, INFRA_ERRORS, REPLICATION_ERRORS, DASHBOARD_ERRORS, VERIFY_ERRORS];
  const missing = registries.flatMap((r) => Object.keys(r)).filter((c) => !mapped.has(c));
  assert.deepEqual(missing, [], `add these codes to xdr/http/error-map.ts: ${missing.join(', ')}`);
});

test('codes added later fall back on their name and retriable flag', () => {
  assert.equal(statusFor('SHIP_ERR_SOMETHING_NOT_FOUND'), 404);
  assert.equal(statusFor('ENGINE_ERR_INDEX_EXISTS'), 409);
  assert.equal(statusFor('RECV_ERR_WHATEVER', true), 503);
  assert.equal(statusFor('RECV_ERR_WHATEVER', false), 500);
});

test('errors become {code, message}; unknown failures hide their details', () => {
  const r = toErrorReply(new EngineError('ENGINE_ERR_RECORD_EXISTS', 'the record exists'));
  assert.deepEqual(r, { status: 409, body: { code: 'ENGINE_ERR_RECORD_EXISTS', message: 'the record exists' }, internal: false });
  const boom = toErrorReply(new TypeError('x is undefined'));
  assert.equal(boom.status, 500);
  assert.equal(boom.body.code, 'XDR_ERR_INTERNAL');
  assert.ok(!boom.body.message.includes('undefined'));
});
