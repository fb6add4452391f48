// Change-log I/O failures surface as ENGINE_ERR_IO naming the operation and the
// file, with the Node error as cause. Faults are injected (CI runs as root, where
// chmod-based faults do not fail) or provoked with paths no user can create.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ChangeLog } from '../../../../engine/changelog/index.js';
import { ENGINE_ERRORS, isEngineError } from '../../../../engine/index.js';
import { httpStatusOf } from '../../../../errors/index.js';
import { eventFor, NS, openLog, tempDir } from './helpers.js';

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

test('a failed segment write (disk full) is ENGINE_ERR_IO naming op and file, cause kept; the log then refuses appends', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  log.append(eventFor(1));
  const fault = enospc();
  const writeSync = t.mock.method(fs, 'writeSync', () => {
    throw fault;
  });
  const err = await log.sync().then(() => assert.fail('sync should fail'), (e: unknown) => e);
  writeSync.mock.restore();
  assert.ok(isEngineError(err, 'ENGINE_ERR_IO'), String(err));
  assert.equal(err.retriable, true);
  assert.equal(err.details.op, 'write');
  assert.equal(err.details.errno, 'ENOSPC');
  assert.equal(path.dirname(String(err.details.file)), dir);
  assert.equal(err.cause, fault);
  assert.match(err.message, /disk is full/);
  // The first failure sticks: later calls report it, not a raw error.
  await assert.rejects(log.sync(), (e: unknown) => e === err);
  assert.throws(() => log.append(eventFor(2)), (e: unknown) => isEngineError(e));
});

test('opening a log whose directory cannot be created is ENGINE_ERR_IO (op open)', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'not-a-dir');
  fs.writeFileSync(file, 'x');
  const err = await ChangeLog.open({ dir: path.join(file, 'log'), ns: NS }).then(() => assert.fail('open should fail'), (e: unknown) => e);
  assert.ok(isEngineError(err, 'ENGINE_ERR_IO'), String(err));
  assert.equal(err.details.op, 'open');
  assert.equal(err.details.file, path.join(file, 'log'));
  assert.equal((err.cause as NodeJS.ErrnoException).code, 'ENOTDIR');
});

test('ENGINE_ERR_IO is retriable and maps to HTTP 503', () => {
  assert.equal(ENGINE_ERRORS.ENGINE_ERR_IO.retriable, true);
  assert.equal(httpStatusOf('ENGINE_ERR_IO'), 503);
});
