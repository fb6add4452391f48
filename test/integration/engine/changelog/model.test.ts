import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ChangeLog } from '../../../../engine/changelog/index.js';
import { assertEventIs, eventFor, NS } from './helpers.js';

type Op =
  | { op: 'append'; n: number }
  | { op: 'read'; cursor: number; max: number }
  | { op: 'commit'; cursor: number }
  | { op: 'rewind'; cursor: number }
  | { op: 'seek'; cursor: number; back: number }
  | { op: 'sync' }
  | { op: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('read' as const), cursor: fc.integer({ min: 0, max: 2 }), max: fc.integer({ min: 1, max: 700 }) }),
  fc.record({ op: fc.constant('commit' as const), cursor: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('rewind' as const), cursor: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constant('seek' as const), cursor: fc.integer({ min: 0, max: 2 }), back: fc.integer({ min: 0, max: 300 }) }),
  fc.constant({ op: 'sync' as const }),
  fc.constant({ op: 'reopen' as const }),
);

const OPTIONS = { ns: NS, segmentBytes: 8192, chunkBytes: 4096, tailBytesMax: 8192, retainBytesMax: 1 << 30, readVisibility: 'appended' as const };

test('the log behaves like a simple model over random operation sequences (reopens included)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-changelog-model-'));
      let log = await ChangeLog.open({ dir, ...OPTIONS });
      try {
        let head = 0;
        const committed = [0, 0, 0];
        const readPos = [0, 0, 0];
        const names = ['a', 'b', 'c'];
        // A cursor holds segments back only once it exists: open all three up front,
        // as a shipper opens its route's cursor before the route's writes start.
        for (const name of names) await log.cursor(name);
        for (const o of ops) {
          switch (o.op) {
            case 'append':
              for (let i = 0; i < o.n; i++) assert.equal(log.append(eventFor(head + 1)), ++head);
              break;
            case 'read': {
              const c = await log.cursor(names[o.cursor]!);
              const b = await c.read(o.max);
              assert.ok(!b.overflow, 'no overflow without a cap');
              const want = Math.min(o.max, head - readPos[o.cursor]!);
              assert.equal(b.events.length, want);
              b.events.forEach((e, k) => assertEventIs(e, readPos[o.cursor]! + 1 + k));
              readPos[o.cursor]! += want;
              break;
            }
            case 'commit': {
              const c = await log.cursor(names[o.cursor]!);
              const seq = readPos[o.cursor]!;
              await c.commit(seq, seq === 0 ? 0 : eventFor(seq).lut);
              committed[o.cursor] = Math.max(committed[o.cursor]!, seq);
              break;
            }
            case 'rewind': {
              const c = await log.cursor(names[o.cursor]!);
              c.rewindToCommitted();
              readPos[o.cursor] = committed[o.cursor]!;
              break;
            }
            case 'seek': {
              const c = await log.cursor(names[o.cursor]!);
              // Seeking back below what other cursors committed may find segments gone: stay above the minimum.
              const floor = Math.min(...committed);
              const seq = Math.max(floor, head - o.back);
              await c.seek(seq);
              committed[o.cursor] = seq;
              readPos[o.cursor] = seq;
              break;
            }
            case 'sync':
              await log.sync();
              assert.equal(log.durableSeq(), head);
              break;
            case 'reopen':
              await log.close();
              log = await ChangeLog.open({ dir, ...OPTIONS });
              assert.equal(log.headSeq(), head);
              for (let k = 0; k < 3; k++) readPos[k] = committed[k]!;
              break;
          }
          for (let k = 0; k < 3; k++) {
            if (log.cursorNames().includes(names[k]!)) assert.equal((await log.cursor(names[k]!)).committedSeq(), committed[k]);
          }
        }
      } finally {
        await log.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 100 },
  );
});
