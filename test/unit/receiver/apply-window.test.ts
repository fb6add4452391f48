// Concurrent apply of a partition's window: each record's messages in offset
// order whatever the completion order of the applies, and the handled prefix
// stops at the first failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { processWindow } from '../../../receiver/apply-window.js';
import type { InboundMessage } from '../../../receiver/transport.js';

function message(offset: number, key: string | null): InboundMessage {
  return { offset: String(offset), key: key === null ? null : Buffer.from(key), value: null, timestampMs: 0 };
}

/** Resolves after `turns` macrotask turns: applies that finish in an order the test chooses. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

test('property: each record is applied in offset order under any completion order, different records overlap', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', null), delay: fc.nat(4) }), { minLength: 1, maxLength: 40 }), async (specs) => {
      const window = specs.map((s, i) => message(i, s.key));
      const started: number[] = [];
      const finished: number[] = [];
      let running = 0;
      let overlapMax = 0;
      const { handled, error } = await processWindow(window, async (m) => {
        const i = Number(m.offset);
        started.push(i);
        running++;
        overlapMax = Math.max(overlapMax, running);
        await turns(specs[i]!.delay);
        running--;
        finished.push(i);
      });
      assert.equal(handled, window.length);
      assert.equal(error, null);
      assert.equal(finished.length, window.length);
      // Per key (null keys share one chain): a message starts only after the previous one of its key finished.
      const byKey = new Map<string | null, number[]>();
      specs.forEach((s, i) => byKey.set(s.key, [...(byKey.get(s.key) ?? []), i]));
      for (const offsets of byKey.values()) {
        for (let j = 1; j < offsets.length; j++) {
          assert.ok(finished.indexOf(offsets[j - 1]!) < started.indexOf(offsets[j]!), `offset ${offsets[j]} started before ${offsets[j - 1]} of the same record finished`);
        }
      }
      if (byKey.size > 1) assert.ok(overlapMax > 1, 'messages of different records ran at once');
    }),
    { numRuns: 200 },
  );
});

test('a failure ends the handled prefix there; later messages of the same record are not applied', async () => {
  const window = [message(0, 'a'), message(1, 'b'), message(2, 'a'), message(3, 'c')];
  const applied: string[] = [];
  const boom = new Error('engine closed');
  const { handled, error } = await processWindow(window, async (m) => {
    await turns(m.offset === '1' ? 2 : 0);
    if (m.offset === '1') throw boom;
    applied.push(m.offset);
  });
  assert.equal(handled, 1);
  assert.equal(error, boom);
  // Offset 2 (record a) and 3 (record c) do not depend on b: applied, and delivered again after the failure (re-applying is harmless).
  assert.deepEqual(applied.sort(), ['0', '2', '3']);
});

test("a record's message after its failed one is not applied", async () => {
  const window = [message(0, 'a'), message(1, 'a'), message(2, 'b')];
  const applied: string[] = [];
  const { handled } = await processWindow(window, async (m) => {
    if (m.offset === '0') throw new Error('stop');
    applied.push(m.offset);
  });
  assert.equal(handled, 0);
  assert.deepEqual(applied, ['2']);
});
