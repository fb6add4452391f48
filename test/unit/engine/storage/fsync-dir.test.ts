// The one directory fsync of the engine (sync and async): it syncs, reports a
// missing directory, and closes its descriptor even when the sync fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsyncDir, fsyncDirSync } from '../../../../engine/storage/fsync-dir.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xdrgate-fsync-dir-${Math.random().toString(36).slice(2)}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('both forms sync an existing directory and reject a missing one', async (t) => {
  const dir = tempDir(t);
  fsyncDirSync(dir);
  await fsyncDir(dir);
  assert.throws(() => fsyncDirSync(path.join(dir, 'gone')), { code: 'ENOENT' });
  await assert.rejects(fsyncDir(path.join(dir, 'gone')), { code: 'ENOENT' });
});

test('the sync form closes the directory even when fsync fails', (t) => {
  const dir = tempDir(t);
  const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  t.mock.method(fs, 'fsyncSync', () => {
    throw eio;
  });
  const close = t.mock.method(fs, 'closeSync');
  assert.throws(() => fsyncDirSync(dir), (e: unknown) => e === eio);
  assert.equal(close.mock.callCount(), 1);
});
