// The route loop's interruptible sleep, its throughput window and its lag figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LagTracker, ThroughputWindow } from '../../../shipper/stats.js';
import { Wakeup } from '../../../shipper/wakeup.js';

test('a sleep ends at wake(), and a signal taken before the wake is aborted by it', async () => {
  const w = new Wakeup();
  const signal = w.signal;
  const t0 = performance.now();
  const sleeping = w.sleep(10_000);
  setTimeout(() => w.wake(), 20);
  await sleeping;
  assert.ok(performance.now() - t0 < 5_000, 'woken long before the 10 s timeout');
  assert.equal(signal.aborted, true);
  assert.equal(w.signal.aborted, false, 'the next signal is fresh');
  const t1 = performance.now();
  await w.sleep(30);
  assert.ok(performance.now() - t1 >= 25, 'an unwoken sleep lasts its time');
});

test('throughput counts the records acknowledged in the window, per second', () => {
  const tw = new ThroughputWindow(5000);
  tw.add(1_000, 500);
  tw.add(4_000, 1_000);
  assert.equal(tw.perSecond(5_000), 300);
  // At 6.5 s the first send (at 1 s) has left the 5 s window.
  assert.equal(tw.perSecond(6_500), 200);
  assert.equal(tw.perSecond(60_000), 0);
});

test('lag counts from the oldest unacknowledged batch, else from caught-up or last shipped, and is 0 when nothing is queued', () => {
  const lag = new LagTracker(1_000);
  assert.equal(lag.lagMs(5_000, 0), 0);
  assert.equal(lag.lagMs(5_000, 3), 4_000, 'queued since the start');
  lag.batchRead(2_000);
  lag.batchRead(3_000);
  assert.equal(lag.lagMs(5_000, 0), 3_000, 'a batch in hand is lag even with an empty queue');
  lag.batchAcked(2_500);
  assert.equal(lag.lagMs(5_000, 5), 2_000, 'from the next batch in hand');
  lag.batchesDropped();
  assert.equal(lag.lagMs(5_000, 5), 2_500, 'from the last shipped change');
  lag.caughtUp(4_000);
  assert.equal(lag.lagMs(5_000, 5), 1_000);
  assert.equal(lag.lagMs(3_000, 5), 0, 'never negative');
});
