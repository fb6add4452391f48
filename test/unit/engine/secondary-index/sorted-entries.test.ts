import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SortedEntries, type IndexKey } from '../../../../engine/secondary-index/index.js';

function modelRange(model: Map<string, [IndexKey, number]>, lo: IndexKey, hi: IndexKey): number[] {
  return [...model.values()]
    .filter(([k]) => k >= lo && k <= hi)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .map(([, r]) => r);
}

function readAll(entries: SortedEntries, lo: IndexKey, hi: IndexKey, page: number): number[] {
  const out: number[] = [];
  let cursor = entries.read(lo, hi, null, page, out);
  while (cursor !== null) cursor = entries.read(lo, hi, cursor, page, out);
  return out;
}

test('insert is idempotent, remove of an absent pair is a no-op', () => {
  const e = new SortedEntries();
  assert.equal(e.insert(5, 1), true);
  assert.equal(e.insert(5, 1), false);
  assert.equal(e.remove(5, 2), false);
  assert.equal(e.remove(6, 1), false);
  assert.equal(e.size, 1);
  assert.equal(e.remove(5, 1), true);
  assert.equal(e.size, 0);
});

test('bigint and number keys order together', () => {
  const e = new SortedEntries();
  e.insert(2n ** 60n, 1);
  e.insert(-(2n ** 62n), 2);
  e.insert(7, 3);
  assert.deepEqual(readAll(e, -(2n ** 63n), 2n ** 63n - 1n, 2), [2, 3, 1]);
  assert.deepEqual(readAll(e, 0, 2n ** 61n, 10), [3, 1]);
});

test('property: paged range reads equal a sorted model under random inserts and removes', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('ins' as const), key: fc.integer({ min: -50, max: 50 }), ref: fc.integer({ min: 0, max: 400 }) }),
    fc.record({ kind: fc.constant('del' as const), key: fc.integer({ min: -50, max: 50 }), ref: fc.integer({ min: 0, max: 400 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 1500 }), fc.integer({ min: -60, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 40 }), (ops, lo, width, page) => {
      const e = new SortedEntries();
      const model = new Map<string, [IndexKey, number]>();
      for (const o of ops) {
        const id = `${o.key}:${o.ref}`;
        if (o.kind === 'ins') assert.equal(e.insert(o.key, o.ref), !model.has(id)), model.set(id, [o.key, o.ref]);
        else assert.equal(e.remove(o.key, o.ref), model.delete(id));
      }
      e.checkInvariants();
      assert.equal(e.size, model.size);
      assert.deepEqual(readAll(e, lo, lo + width, page), modelRange(model, lo, lo + width));
    }),
    { numRuns: 150 },
  );
});

test('a reader paging through stays correct while writers change the entries between pages', () => {
  const e = new SortedEntries();
  for (let i = 0; i < 2000; i++) e.insert(i % 100, i);
  const seen: number[] = [];
  let cursor = e.read(0, 99, null, 50, seen);
  let removed = 0;
  while (cursor !== null) {
    // Remove some not-yet-read entries and add some behind the cursor: neither may show up.
    const last = seen[seen.length - 1]!;
    if (e.remove(99, 1999 - removed)) removed++;
    e.insert(-1, 100_000 + last);
    cursor = e.read(0, 99, cursor, 50, seen);
  }
  e.checkInvariants();
  assert.equal(new Set(seen).size, seen.length, 'no ref twice');
  assert.equal(seen.length, 2000 - removed);
});
