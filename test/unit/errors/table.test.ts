// The one error table: every code the product raises is declared there, and
// the HTTP layer, the service port and the module classes read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DURABILITY_ERRORS, ENGINE_ERRORS, PROTO_ERRORS, SERVICE_ERRORS, WIRE_ERRORS, ResultCode, defineErrors, errorCodes, errorSpec, httpStatusOf, isRetriable, resultCodeFor } from '../../../errors/index.js';
import { EngineError, isEngineError } from '../../../engine/index.js';
import { ShipError, isShipError } from '../../../shipper/index.js';
import { ConfigError, invalidConfig } from '../../../xdr/config/errors.js';
import { ProtocolError } from '../../../aerospike-protocol/index.js';
import { toErrorReply } from '../../../xdr/http/index.js';
import { sourceFiles } from '../../helpers/source-files.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sourceFolders = ['record', 'replication-protocol', 'engine', 'conflict', 'shipper', 'receiver', 'aerospike-protocol', 'xdr', 'bin', 'scripts'];

test('every error code the source raises is declared in a table', async () => {
  const undeclared = new Set<string>();
  for (const folder of sourceFolders) {
    for (const file of await sourceFiles(path.join(root, folder), /\.(ts|js|mjs)$/)) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/['"`]([A-Z]+_ERR_[A-Z0-9_]+)['"`]/g)) {
        if (!m[1]!.startsWith('FST_') && errorSpec(m[1]!) === undefined) undeclared.add(`${m[1]} (${path.relative(root, file)})`);
      }
    }
  }
  assert.deepEqual([...undeclared], [], 'declare these codes in a table under errors/');
  assert.ok(errorCodes().length >= 90, `expected every module's codes, found ${errorCodes().length}`);
});

test('every code a client of the service port can meet has a result code', () => {
  // Wire codes come from reading the replication stream, never from a client request.
  const codes = [ENGINE_ERRORS, PROTO_ERRORS, SERVICE_ERRORS, DURABILITY_ERRORS].flatMap((t) => Object.keys(t)).filter((c) => !(c in WIRE_ERRORS));
  assert.deepEqual(codes.filter((c) => errorSpec(c)?.resultCode === undefined), []);
});

test('a code answers its declared HTTP status and result code; undeclared ones a generic server error', () => {
  assert.equal(httpStatusOf('ENGINE_ERR_RECORD_NOT_FOUND'), 404);
  assert.equal(httpStatusOf('ENGINE_ERR_IO'), 503);
  assert.equal(httpStatusOf('XDR_ERR_SHIP_ACK_TIMEOUT'), 504);
  assert.equal(httpStatusOf('RECV_ERR_WHATEVER', true), 503);
  assert.equal(httpStatusOf('RECV_ERR_WHATEVER', false), 500);
  assert.deepEqual(resultCodeFor(new EngineError('ENGINE_ERR_STOP_WRITES', 'full')), { resultCode: ResultCode.OUT_OF_SPACE, known: true });
  assert.deepEqual(resultCodeFor(new ProtocolError('PROTO_ERR_BATCH_TOO_LARGE', 'too many')), { resultCode: ResultCode.BATCH_MAX_REQUESTS, known: true });
  // Declared without a result code (no client request meets it): 1, and the service port logs it.
  assert.deepEqual(resultCodeFor(new ShipError('SHIP_ERR_STOPPED', 'stopped')), { resultCode: ResultCode.UNKNOWN, known: false });
  assert.deepEqual(resultCodeFor(new TypeError('x is undefined')), { resultCode: ResultCode.UNKNOWN, known: false });
});

test('errors become {code, message}; unknown failures hide their details', () => {
  const r = toErrorReply(new EngineError('ENGINE_ERR_RECORD_EXISTS', 'the record exists'));
  assert.deepEqual(r, { status: 409, body: { code: 'ENGINE_ERR_RECORD_EXISTS', message: 'the record exists' }, internal: false });
  const boom = toErrorReply(new TypeError('x is undefined'));
  assert.equal(boom.status, 500);
  assert.equal(boom.body.code, 'XDR_ERR_INTERNAL');
  assert.ok(!boom.body.message.includes('undefined'));
});

test('a module class takes retriable and the default message from its table, and keeps name, details and cause', () => {
  const cause = new Error('EIO');
  const err = new EngineError('ENGINE_ERR_IO', undefined, { file: 'log' }, { cause });
  assert.ok(err instanceof EngineError && err instanceof Error);
  assert.equal(err.name, 'EngineError');
  assert.equal(EngineError.name, 'EngineError');
  assert.equal(err.message, ENGINE_ERRORS.ENGINE_ERR_IO.message);
  assert.equal(err.retriable, true);
  assert.deepEqual(err.details, { file: 'log' });
  assert.equal(err.cause, cause);
  assert.ok(isEngineError(err, 'ENGINE_ERR_IO'));
  assert.ok(!isEngineError(err, 'ENGINE_ERR_CLOSED'));
  assert.ok(!isShipError(err));
  assert.equal(new ShipError('SHIP_ERR_PAUSED', 'paused').retriable, false);
  const config = invalidConfig('a.yaml', [{ path: 'routes.0.name', message: 'required' }]);
  assert.ok(config instanceof ConfigError);
  assert.equal(config.name, 'ConfigError');
  assert.deepEqual(config.problems, [{ path: 'routes.0.name', message: 'required' }]);
  const proto = new ProtocolError('PROTO_ERR_FRAME_TOO_LARGE', 'too big', { framingLost: true });
  assert.equal(proto.framingLost, true);
  assert.equal(proto.name, 'ProtocolError');
});

test('isRetriable reads the flag; a failure without one counts as retriable', () => {
  assert.equal(isRetriable(new ShipError('SHIP_ERR_SEND_FAILED', 'no ack')), true);
  assert.equal(isRetriable(new ShipError('SHIP_ERR_RECORD_TOO_LARGE', 'big')), false);
  assert.equal(isRetriable(Object.assign(new Error('kafkajs'), { retriable: false })), false);
  assert.equal(isRetriable(new Error('ECONNRESET')), true);
  assert.equal(isRetriable('thrown string'), true);
});

test('a declaration refuses a code without the module prefix or a status that is not an error', () => {
  assert.throws(() => defineErrors({ NOT_A_CODE: { message: 'm', status: 400, retriable: false, fix: 'f' } }), /PREFIX_ERR_NAME/);
  assert.throws(() => defineErrors({ X_ERR_OK: { message: 'm', status: 200, retriable: false, fix: 'f' } }), /not an error status/);
  assert.throws(() => defineErrors({ X_ERR_BIG: { message: 'm', status: 500, resultCode: 300, retriable: false, fix: 'f' } }), /not one byte/);
});
