import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PrimaryIndex } from '../../../../engine/primary-index/index.js';

/**
 * Random operation sequences against a Map model. Digests come from a pool of
 * 200, so removes and updates often hit present entries, and their hash and
 * tag words take only a few values, so buckets collide, clusters wrap around
 * the table's end and backward-shift deletion is exercised; small chunks and a 16-bucket start make growth and chunk
 * boundaries frequent.
 */
const digestArb = fc
  .record({
    head: fc.integer({ min: 0, max: 3 }),
    hashWord: fc.constantFrom(0, 1, 0x8000_0000, 0xdead_beef, 0xffff_ffff),
    tagWord: fc.constantFrom(0, 0xf800_0000),
    tail: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ head, hashWord, tagWord, tail }) => {
    const d = Buffer.alloc(20);
    d.writeUInt32LE(head * 0x0101_0101, 0);
    d.writeUInt32LE(hashWord, 4);
    d.writeUInt32LE(tagWord, 8);
    d.writeUInt32LE(tail, 12);
    return d;
  });

type Op =
  | { kind: 'upsert'; digest: Buffer; generation: number }
  | { kind: 'remove'; digest: Buffer }
  | { kind: 'find'; digest: Buffer };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('upsert' as const), digest: digestArb, generation: fc.integer({ min: 1, max: 1000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), digest: digestArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('find' as const), digest: digestArb }) },
);

test('the index behaves like a Map over random operation sequences', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300, size: 'max' }), fc.integer({ min: 0, max: 0xffff_ffff }), (ops, seed) => {
      const index = new PrimaryIndex({ chunkBits: 4, initialBuckets: 16, seed });
      const model = new Map<string, number>();
      for (const op of ops) {
        const key = op.digest.toString('hex');
        const slot = index.find(op.digest);
        assert.equal(slot !== -1, model.has(key));
        if (op.kind === 'upsert') {
          const s = index.upsert(op.digest);
          assert.equal(index.lastUpsertCreated, !model.has(key));
          index.setGeneration(s, op.generation);
          model.set(key, op.generation);
        } else if (op.kind === 'remove' && slot !== -1) {
          index.remove(slot);
          model.delete(key);
        } else if (slot !== -1) {
          assert.equal(index.generation(slot), model.get(key));
        }
      }
      assert.equal(index.count, model.size);
      let live = 0;
      index.forEach((s) => {
        live++;
        const key = Buffer.from(index.digestAt(s)).toString('hex');
        assert.equal(index.generation(s), model.get(key));
      });
      assert.equal(live, model.size);
      assert.equal(index.checkStructure(), null);
    }),
    { numRuns: 300 },
  );
});
