// The shipped position writers of a `shipped` namespace wait on (shipper/shipped-position.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isShipError } from '../../../shipper/errors.js';
import { ShippedPosition } from '../../../shipper/shipped-position.js';

test('a wait resolves once its seq is shipped, in seq order, and not before', async () => {
  const p = new ShippedPosition('r', 10);
  const done: number[] = [];
  const waits = [5, 3, 8, 3].map((seq) => p.wait(seq).then(() => done.push(seq)));
  p.advance(2);
  await Promise.resolve();
  assert.deepEqual(done, []);
  p.advance(5);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(done.sort(), [3, 3, 5]);
  assert.equal(p.waiting, 1);
  p.advance(4); // positions only grow
  assert.equal(p.seq, 5);
  p.advance(9);
  await Promise.all(waits);
  assert.equal(p.waiting, 0);
  // Already shipped: resolves at once.
  await p.wait(9);
});

test('waiters are bounded, an aborted wait leaves, and a stop fails the rest', async () => {
  const p = new ShippedPosition('r', 2);
  const ac = new AbortController();
  const a = p.wait(10, ac.signal);
  const b = p.wait(11);
  await assert.rejects(p.wait(12), (err: unknown) => isShipError(err, 'SHIP_ERR_WAITERS_FULL'));
  ac.abort(new Error('timed out'));
  await assert.rejects(a, /timed out/);
  assert.equal(p.waiting, 1);
  p.close();
  await assert.rejects(b, (err: unknown) => isShipError(err, 'SHIP_ERR_STOPPED'));
  await assert.rejects(p.wait(20), (err: unknown) => isShipError(err, 'SHIP_ERR_STOPPED'));
});
