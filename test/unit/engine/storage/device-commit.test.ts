// Group commit of the devices: one round at a time, callers queued before a
// round share it, callers arriving meanwhile share the next; emptied blocks are
// released only by a round that succeeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceCommit, type CommitRoundIo } from '../../../../engine/storage/device-commit.js';
import { isEngineError } from '../../../../engine/errors.js';

function fakeIo(failRound = -1) {
  const log: string[] = [];
  let round = 0;
  let pendingNext = [1];
  const syncGate: Array<() => void> = [];
  const io: CommitRoundIo = {
    takePending: () => {
      const p = pendingNext;
      pendingNext = [];
      return p;
    },
    drained: async () => undefined,
    writeAndSync: () => {
      const r = round++;
      log.push(`round ${r}`);
      if (r === failRound) return [Promise.reject(new Error('EIO'))];
      return [new Promise<void>((resolve) => syncGate.push(resolve))];
    },
    released: (pending) => log.push(`released ${pending.join(',')}`),
    kept: (pending) => {
      log.push(`kept ${pending.join(',')}`);
      pendingNext = [...pending, ...pendingNext];
    },
  };
  return { io, log, openGate: () => syncGate.shift()?.() };
}

const turn = () => new Promise((r) => setImmediate(r));

test('callers of one turn share a round; callers during it share the next', async () => {
  const { io, log, openGate } = fakeIo();
  const commits = new DeviceCommit('t', io);
  const done: number[] = [];
  const first = [commits.request(), commits.request()].map((p, i) => p.then(() => done.push(i)));
  await turn();
  assert.deepEqual(log, ['round 0']);
  assert.equal(commits.busy, true);
  const later = commits.request().then(() => done.push(2));
  openGate();
  await Promise.all(first);
  assert.deepEqual(done.sort(), [0, 1], 'the first round released its two callers only');
  await turn();
  assert.deepEqual(log, ['round 0', 'released 1', 'round 1']);
  openGate();
  await later;
  assert.deepEqual(done, [0, 1, 2]);
  await turn();
  assert.equal(commits.busy, false);
});

test('a failed round rejects its callers with a typed error and keeps the emptied blocks for the next', async () => {
  const { io, log, openGate } = fakeIo(0);
  const commits = new DeviceCommit('t', io);
  await assert.rejects(commits.request(), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && /fdatasync of namespace t failed: EIO/.test((err as Error).message));
  const next = commits.request();
  await turn();
  openGate();
  await next;
  assert.deepEqual(log, ['round 0', 'kept 1', 'round 1', 'released 1']);
});
