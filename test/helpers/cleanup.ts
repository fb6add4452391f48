/**
 * LIFO cleanup for tests. node:test runs `t.after` hooks in the order they were
 * registered (first in, first out), so a broker registered before the producer
 * that uses it would be closed first, and the producer's disconnect would then
 * retry against a dead broker. `defer` keeps one stack per test and unwinds it
 * last-in, first-out, like `defer` in Go or a `using` block. All helpers here use
 * it; tests should too for anything that depends on something created earlier.
 */

/** Anything with node:test's `after` (a TestContext, or a SuiteContext-like object). */
export interface CleanupScope {
  after(fn: () => unknown): void;
}

const stacks = new WeakMap<CleanupScope, Array<() => unknown>>();

/** Runs `fn` when the test ends, before everything deferred earlier in the same test. */
export function defer(t: CleanupScope, fn: () => unknown): void {
  let stack = stacks.get(t);
  if (stack === undefined) {
    const created: Array<() => unknown> = [];
    stack = created;
    stacks.set(t, created);
    t.after(async () => {
      stacks.delete(t);
      const errors: unknown[] = [];
      // Every cleanup runs even if one fails; the failures are reported together.
      for (let fnNext = created.pop(); fnNext !== undefined; fnNext = created.pop()) {
        try {
          await fnNext();
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
    });
  }
  stack.push(fn);
}
