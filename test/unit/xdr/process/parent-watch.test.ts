// The parent watch of a gateway started with XDRGATE_PARENT_PID: the variable
// is a pid or refused with its code; the watch fires once when the parent pid
// changes (the process was orphaned), at once when it already has, never
// while the parent lives, and not after it was stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPidFromEnv, watchParent } from '../../../../xdr/process/index.js';
import { waitFor } from '../../../helpers/wait.js';

test('XDRGATE_PARENT_PID: unset or empty is no parent; a pid is read; anything else is XDR_ERR_PARENT_PID_INVALID', () => {
  assert.equal(parentPidFromEnv({}), undefined);
  assert.equal(parentPidFromEnv({ XDRGATE_PARENT_PID: '' }), undefined);
  assert.equal(parentPidFromEnv({ XDRGATE_PARENT_PID: '4242' }), 4242);
  for (const bad of ['0', '-1', 'abc', '12.5', ' 12', '99999999999']) {
    assert.throws(() => parentPidFromEnv({ XDRGATE_PARENT_PID: bad }), (err: Error & { code?: string }) => err.code === 'XDR_ERR_PARENT_PID_INVALID' && err.message.includes(JSON.stringify(bad)), bad);
  }
});

test('the watch fires once when the parent pid changes, and never while it stays', async () => {
  let ppid = 100;
  let gone = 0;
  const stop = watchParent({ parentPid: 100, pollMs: 5, ppid: () => ppid, onGone: () => gone++ });
  await sleep(30);
  assert.equal(gone, 0, 'the parent lives');
  ppid = 1; // re-parented to init
  await waitFor(() => gone === 1, { timeoutMs: 2000, intervalMs: 5, what: 'the watch to fire' });
  await sleep(30);
  assert.equal(gone, 1, 'once');
  stop();
});

test('an already orphaned process is told at once; a stopped watch stays silent', async () => {
  let gone = 0;
  watchParent({ parentPid: 100, ppid: () => 1, onGone: () => gone++ });
  assert.equal(gone, 1, 'synchronously, before any poll');
  let ppid = 100;
  let quiet = 0;
  const stop = watchParent({ parentPid: 100, pollMs: 5, ppid: () => ppid, onGone: () => quiet++ });
  stop();
  ppid = 1;
  await sleep(30);
  assert.equal(quiet, 0);
});

test('the real process: its parent (this test runner) is alive, so the watch stays quiet', async () => {
  let gone = 0;
  const stop = watchParent({ parentPid: process.ppid, pollMs: 5, onGone: () => gone++ });
  await sleep(30);
  stop();
  assert.equal(gone, 0);
});
