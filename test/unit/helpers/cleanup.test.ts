// defer() exists because node:test runs t.after hooks first-in, first-out; these
// tests pin down the order it promises instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defer } from '../../helpers/cleanup.js';

/** A stand-in TestContext whose after hooks can be run on demand. */
function fakeScope(): { after(fn: () => unknown): void; runAfter(): Promise<void> } {
  const hooks: Array<() => unknown> = [];
  return {
    after: (fn) => void hooks.push(fn),
    async runAfter() {
      for (const hook of hooks) await hook();
    },
  };
}

test('defer unwinds last-in, first-out and registers one after hook', async () => {
  const scope = fakeScope();
  const order: string[] = [];
  defer(scope, () => order.push('broker closed'));
  defer(scope, async () => order.push('producer disconnected'));
  defer(scope, () => order.push('consumer disconnected'));
  await scope.runAfter();
  assert.deepEqual(order, ['consumer disconnected', 'producer disconnected', 'broker closed']);
});

test('defer runs every cleanup even when one throws, then reports the failure', async () => {
  const scope = fakeScope();
  const order: string[] = [];
  defer(scope, () => order.push('first'));
  defer(scope, () => {
    throw new Error('disconnect failed');
  });
  await assert.rejects(scope.runAfter(), /disconnect failed/);
  assert.deepEqual(order, ['first']);
});

test('defer in a real test: cleanups run in reverse order after the test', async (t) => {
  const order: number[] = [];
  await t.test('inner', (tt) => {
    defer(tt, () => order.push(1));
    defer(tt, () => order.push(2));
  });
  assert.deepEqual(order, [2, 1]);
});
