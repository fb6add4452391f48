// Every error code a client of the service port can meet has an Aerospike
// result code in the one table (a code without a row answers 1 and is a bug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTO_ERRORS } from '../../../../aerospike-protocol/index.js';
import { ENGINE_ERRORS } from '../../../../engine/index.js';
import { RESULT_CODE_BY_ERROR, SERVICE_ERRORS } from '../../../../xdr/aerospike/index.js';
import { DURABILITY_ERRORS } from '../../../../xdr/durability/index.js';

/** Engine codes a client request cannot raise (they come from reading the replication wire). */
const NOT_ON_THE_REQUEST_PATH = new Set(['ENGINE_ERR_WIRE_MALFORMED', 'ENGINE_ERR_WIRE_VERSION', 'ENGINE_ERR_WIRE_INVALID', 'ENGINE_ERR_WIRE_UNENCODABLE']);

test('every engine, codec, service and durability error code has a result code', () => {
  const codes = [...Object.keys(ENGINE_ERRORS), ...Object.keys(PROTO_ERRORS), ...Object.keys(SERVICE_ERRORS), ...Object.keys(DURABILITY_ERRORS)].filter((c) => !NOT_ON_THE_REQUEST_PATH.has(c));
  const missing = codes.filter((c) => RESULT_CODE_BY_ERROR[c] === undefined);
  assert.deepEqual(missing, [], `add rows to xdr/aerospike/result-map.ts for: ${missing.join(', ')}`);
  for (const [code, result] of Object.entries(RESULT_CODE_BY_ERROR)) assert.ok(Number.isInteger(result) && result > 0 && result < 256, `${code} → ${result}`);
});
