// The data-folder lock between real processes: a second owner is refused with
// the first's pid and command line; kill -9 of the owner frees the folder with
// no cleanup; a child that shares the lock keeps the folder taken after its
// launcher died, and the refusal names that child; and where flock is missing,
// the pid record tells a live holder from a dead one and from a reused pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDirLock, isXdrError, type LockHolder } from '../../../../xdr/index.js';
import { LOCK_FILE_NAME, pidAlive, readLockHolder } from '../../../../xdr/process/index.js';
import { spawnTs, type SpawnedTs } from '../../../helpers/spawn.js';
import { tmpDir, type CleanupScope } from '../../../helpers/tmp.js';
import { defer } from '../../../helpers/cleanup.js';
import { waitFor } from '../../../helpers/wait.js';

const holderScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/process/hold-dir-lock.ts');

async function hold(t: CleanupScope, dir: string, ...flags: string[]): Promise<{ proc: SpawnedTs; pid: number }> {
  const proc = spawnTs(t, holderScript, { args: [dir, ...flags] });
  const m = await proc.waitForOutput(/locked (\d+)/, 30_000);
  return { proc, pid: Number(m[1]) };
}

function refusal(dir: string, flockCommand?: string): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    const lock = acquireDirLock(dir, { owner: 'test', advice: 'use another folder.', ...(flockCommand ? { flockCommand } : {}) });
    lock.release();
  } catch (err) {
    return err as Error;
  }
  assert.fail(`${dir} was not refused`);
}

test('a second owner is refused, naming the holder; a clean release frees the folder', async (t) => {
  const dir = await tmpDir(t);
  const first = await hold(t, dir);
  const err = refusal(dir);
  assert.ok(isXdrError(err, 'XDR_ERR_DIR_LOCKED'), String(err));
  assert.match(err.message, new RegExp(`lock test holder: pid ${first.pid} \\(.*hold-dir-lock\\.ts`));
  assert.match(err.message, /since \d{4}-\d\d-\d\dT/);
  assert.match(err.message, /use another folder\.$/);
  assert.equal((err.details!.holder as LockHolder).pid, first.pid);

  const second = spawnTs(t, holderScript, { args: [dir] });
  const m = await second.waitForOutput(/refused (\S+) (.*)/, 30_000);
  assert.equal(m[1], 'XDR_ERR_DIR_LOCKED');
  assert.equal((await second.exited).code, 3);

  await first.proc.stop();
  const lock = acquireDirLock(dir, { owner: 'test', advice: '' });
  assert.equal(lock.kind, 'flock');
  assert.equal(readLockHolder(path.join(dir, LOCK_FILE_NAME))!.pid, process.pid);
  assert.ok(isXdrError(refusal(dir), 'XDR_ERR_DIR_LOCKED'), 'a second acquire in the same process is refused too');
  lock.release();
  acquireDirLock(dir, { owner: 'test', advice: '' }).release();
});

test('kill -9 of the owner frees the folder at once: the stale LOCK file does not block a restart', async (t) => {
  const dir = await tmpDir(t);
  const first = await hold(t, dir);
  await first.proc.kill();
  assert.equal(readLockHolder(path.join(dir, LOCK_FILE_NAME))!.pid, first.pid, 'the dead owner\'s record is still there');
  const restarted = await hold(t, dir);
  assert.notEqual(restarted.pid, first.pid);
  assert.equal(readLockHolder(path.join(dir, LOCK_FILE_NAME))!.pid, restarted.pid);
});

test('a child sharing the lock keeps the folder taken after its launcher dies, and the refusal names the child', async (t) => {
  const dir = await tmpDir(t);
  const launcher = await hold(t, dir, '--share-with-child');
  const childPid = Number((await launcher.proc.waitForOutput(/child (\d+)/))[1]);
  defer(t, () => {
    if (pidAlive(childPid)) process.kill(childPid, 'SIGKILL');
  });
  assert.match(refusal(dir).message, new RegExp(`pid ${launcher.pid} .*with pid ${childPid} \\(sleep 600\\)`));
  await launcher.proc.kill();
  const err = refusal(dir);
  assert.match(err.message, new RegExp(`pid ${childPid} \\(sleep 600\\) \\(taken by lock test holder, pid ${launcher.pid}`));
  process.kill(childPid, 'SIGKILL');
  await waitFor(() => !pidAlive(childPid), { what: 'the child to be gone' });
  acquireDirLock(dir, { owner: 'test', advice: '' }).release();
});

test('without flock, the pid record refuses a live holder and is taken over from a dead one or a reused pid', async (t) => {
  const dir = await tmpDir(t);
  const first = await hold(t, dir, '--no-flock');
  assert.match(first.proc.stdout(), /pid-file/);
  assert.match(refusal(dir, '/nonexistent/flock').message, new RegExp(`pid ${first.pid}`));
  await first.proc.kill();
  const lock = acquireDirLock(dir, { owner: 'test', advice: '', flockCommand: '/nonexistent/flock' });
  assert.equal(lock.kind, 'pid-file');
  lock.release();

  // A record naming a live pid that is a different process (the pid was reused): its start time differs.
  const file = path.join(dir, LOCK_FILE_NAME);
  const stale = JSON.parse(readFileSync(file, 'utf8') || JSON.stringify(lock.holder)) as LockHolder;
  writeFileSync(file, JSON.stringify({ ...stale, pid: process.ppid, startTicks: '1' }));
  const reused = acquireDirLock(dir, { owner: 'test', advice: '', flockCommand: '/nonexistent/flock' });
  assert.equal(reused.holder.pid, process.pid);
  reused.release();
});
