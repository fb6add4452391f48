import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Hlc, ManualClock, hlcFromMs, isBeyondMaxOffset, logicalOf, physicalMs } from '../../../record/index.js';

test('timestamps follow the wall clock and pack ms × 1024 + logical', () => {
  const clock = new ManualClock(1_700_000_000_000);
  const hlc = new Hlc(clock);
  const a = hlc.now();
  assert.equal(physicalMs(a), 1_700_000_000_000);
  assert.equal(logicalOf(a), 0);
  const b = hlc.now();
  assert.equal(b, a + 1, 'same millisecond: the logical counter advances');
  clock.advance(5);
  assert.equal(hlc.now(), hlcFromMs(1_700_000_000_005));
});

test('monotonic when the wall clock steps back', () => {
  const clock = new ManualClock(1_700_000_000_000);
  const hlc = new Hlc(clock);
  const a = hlc.now();
  clock.advance(-60_000);
  const b = hlc.now();
  assert.ok(b > a);
  assert.equal(physicalMs(b), physicalMs(a));
});

test('update() moves past a remote timestamp that is ahead', () => {
  const clock = new ManualClock(1_700_000_000_000);
  const hlc = new Hlc(clock);
  const remote = hlcFromMs(1_700_000_000_500, 7);
  const after = hlc.update(remote);
  assert.ok(after > remote);
  assert.ok(hlc.now() > after);
  assert.equal(isBeyondMaxOffset(remote, clock.nowMs(), 100), true);
  assert.equal(isBeyondMaxOffset(remote, clock.nowMs(), 1000), false);
});

test('a floor from disk keeps a restarted clock ahead of what it issued before', () => {
  const clock = new ManualClock(1_000);
  const hlc = new Hlc(clock, hlcFromMs(5_000, 3));
  assert.ok(hlc.now() > hlcFromMs(5_000, 3));
});

test('property: any mix of clock moves, now() and update() yields strictly increasing timestamps', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.record({ step: fc.integer({ min: -1000, max: 1000 }) }), fc.record({ remoteAheadMs: fc.integer({ min: -500, max: 500 }) })), { maxLength: 200 }),
      (moves) => {
        const clock = new ManualClock(1_700_000_000_000);
        const hlc = new Hlc(clock);
        let last = 0;
        for (const m of moves) {
          let ts: number;
          if ('step' in m) {
            clock.advance(m.step);
            ts = hlc.now();
          } else {
            const remote = hlcFromMs(clock.nowMs() + m.remoteAheadMs, 3);
            ts = hlc.update(remote);
            assert.ok(ts > remote);
          }
          assert.ok(ts > last);
          last = ts;
        }
      },
    ),
  );
});
