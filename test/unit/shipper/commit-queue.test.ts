// The commit queue: one commit at a time, newest position wins, failures retried, flush waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { CommitQueue } from '../../../shipper/commit-queue.js';
import type { ChangeCursor } from '../../../engine/index.js';

function cursor(failFirst = 0) {
  const commits: Array<[number, number]> = [];
  let release: (() => void) | null = null;
  let failures = failFirst;
  const c = {
    commits,
    hold: true,
    releaseOne: () => release?.(),
    async commit(seq: number, lut: number) {
      if (c.hold) await new Promise<void>((r) => (release = r));
      if (failures-- > 0) throw new Error('disk full (test)');
      commits.push([seq, lut]);
    },
  };
  return c;
}

test('commits run one at a time and coalesce to the newest position', async () => {
  const c = cursor();
  const q = new CommitQueue(c as unknown as ChangeCursor, pino({ level: 'silent' }));
  q.schedule(10, 100);
  q.schedule(20, 300);
  q.schedule(30, 200);
  await new Promise((r) => setImmediate(r));
  c.releaseOne();
  c.hold = false;
  await q.flush();
  assert.deepEqual(c.commits, [[10, 100], [30, 300]]);
});

test('a failed commit is kept and retried by the next flush', async () => {
  const c = cursor(1);
  c.hold = false;
  const q = new CommitQueue(c as unknown as ChangeCursor, pino({ level: 'silent' }));
  q.schedule(5, 50);
  await q.flush();
  assert.deepEqual(c.commits, [[5, 50]]);
});
