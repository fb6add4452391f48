// record/hll/: Aerospike's HyperLogLog sketches, byte for byte. The reference
// sketch is the one the official client suite checks a record against (the set
// jaguar, leopard, lion, tiger at 8 index bits, built by an Aerospike server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hll } from '../../../../record/index.js';
import * as sketchLayout from '../../../../record/hll/sketch.js';
import { hllCats, stringElement } from '../../../helpers/hll.js';

test('adding strings gives the bytes an Aerospike server gives', () => {
  const { sketch, added } = hll.addElements(hll.emptySketch(8, 0), ['jaguar', 'tiger', 'tiger', 'leopard', 'lion', 'jaguar'].map(stringElement));
  assert.equal(added, 4);
  assert.deepEqual(sketch, hllCats);
  assert.equal(hll.estimateCount(sketch), 4);
});

test('union, intersection and similarity of two small sets', () => {
  const other = hll.addElements(hll.emptySketch(8, 0), ['leopard', 'lynx', 'tiger', 'tiger', 'cheetah', 'lynx'].map(stringElement)).sketch;
  assert.equal(hll.estimateUnionCount([other, hllCats]), 6);
  assert.equal(hll.estimateIntersectCount([other, hllCats]), 2);
  assert.equal(hll.estimateSimilarity([other, hllCats]), 2 / 6);
});

test('sizes and validation follow the layout', () => {
  assert.equal(hll.sketchBytes(8, 0), 11 + 192);
  assert.equal(hll.sketchBytes(4, 4), 11 + 20);
  assert.equal(hll.sketchProblem(hllCats), null);
  assert.match(hll.sketchProblem(hllCats.subarray(0, 100))!, /203 bytes/);
  assert.match(hll.sketchProblem(Uint8Array.from([1, ...hllCats.subarray(1)]))!, /flags/);
  assert.match(hll.sketchProblem(hll.emptySketch(17, 0))!, /out of range/);
  assert.equal(hll.validBits(16, 48), true);
  assert.equal(hll.validBits(16, 49), false);
  assert.equal(hll.validMinhashBits(3), false);
});

test('compact element forms hash alike: 7 as uint8 is 7 as fixint, a short str8 is a fixstr', () => {
  assert.deepEqual(hll.compactElement(Uint8Array.from([0xcc, 7])), Uint8Array.from([7]));
  assert.deepEqual(hll.compactElement(Uint8Array.from([0xd1, 0xff, 0xfe])), Uint8Array.from([0xfe]));
  assert.deepEqual(hll.compactElement(Uint8Array.from([0xd9, 2, 3, 0x61])), Uint8Array.from([0xa2, 3, 0x61]));
  assert.deepEqual(hll.compactElement(Uint8Array.from([0xc4, 2, 4, 0x61])), Uint8Array.from([0xa2, 4, 0x61]));
});

test('fold keeps what was counted, at lower precision', () => {
  const elements = Array.from({ length: 500 }, (_, i) => stringElement(`e${i}`));
  const big = hll.addElements(hll.emptySketch(12, 0), elements).sketch;
  const folded = hll.foldSketch(big, 6);
  assert.equal(hll.indexBitsOf(folded), 6);
  const direct = hll.addElements(hll.emptySketch(6, 0), elements).sketch;
  assert.deepEqual(folded, direct);
});

test('the cached count is what a count reads until the next add', () => {
  const s = hll.addElements(hll.emptySketch(10, 0), ['a', 'b', 'c'].map(stringElement)).sketch;
  const { sketch, count } = hll.withCachedCount(s);
  assert.equal(count, 3);
  assert.notDeepEqual(sketch.subarray(3, 11), new Uint8Array(8));
  const after = hll.addElements(sketch, [stringElement('d')]).sketch;
  assert.deepEqual(after.subarray(3, 11), new Uint8Array(8));
  assert.equal(hll.estimateCount(after), 4);
});

const distinctStrings = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 400 });

test('property: a count is within 4 standard errors (1.04/√m) of the number of distinct elements', () => {
  fc.assert(
    fc.property(distinctStrings, fc.integer({ min: 8, max: 12 }), (strings, indexBits) => {
      const sketch = hll.addElements(hll.emptySketch(indexBits, 0), strings.map(stringElement)).sketch;
      const n = strings.length;
      const bound = 4 * (1.04 / Math.sqrt(2 ** indexBits)) * n + 2;
      assert.ok(Math.abs(hll.estimateCount(sketch) - n) <= bound, `n ${n} estimate ${hll.estimateCount(sketch)} bound ${bound}`);
    }),
    { numRuns: 40 },
  );
});

test('property: union is commutative and equals adding everything to one sketch', () => {
  fc.assert(
    fc.property(distinctStrings, distinctStrings, fc.integer({ min: 4, max: 10 }), fc.constantFrom(0, 4, 8), (a, b, indexBits, minhashBits) => {
      const sa = hll.addElements(hll.emptySketch(indexBits, minhashBits), a.map(stringElement)).sketch;
      const sb = hll.addElements(hll.emptySketch(indexBits, minhashBits), b.map(stringElement)).sketch;
      const ab = hll.unionOf([sa, sb]);
      assert.deepEqual(ab, hll.unionOf([sb, sa]));
      assert.deepEqual(ab, hll.addElements(hll.emptySketch(indexBits, minhashBits), [...a, ...b].map(stringElement)).sketch);
    }),
    { numRuns: 40 },
  );
});

test('property: folding then counting equals counting a sketch built at the folded size', () => {
  fc.assert(
    fc.property(distinctStrings, fc.integer({ min: 4, max: 12 }), fc.integer({ min: 0, max: 8 }), (strings, low, extra) => {
      const high = Math.min(16, low + extra);
      const elements = strings.map(stringElement);
      const folded = hll.foldSketch(hll.addElements(hll.emptySketch(high, 0), elements).sketch, low);
      assert.equal(hll.estimateCount(folded), hll.estimateCount(hll.addElements(hll.emptySketch(low, 0), elements).sketch));
    }),
    { numRuns: 40 },
  );
});

test('property: similarity is within [0, 1] and intersect count at most the smaller count plus the error', () => {
  fc.assert(
    fc.property(distinctStrings, distinctStrings, fc.constantFrom(0, 6), (a, b, minhashBits) => {
      const sa = hll.addElements(hll.emptySketch(10, minhashBits), a.map(stringElement)).sketch;
      const sb = hll.addElements(hll.emptySketch(10, minhashBits), b.map(stringElement)).sketch;
      const j = hll.estimateSimilarity([sa, sb]);
      if (!Number.isNaN(j)) assert.ok(j >= 0 && j <= 1, `similarity ${j}`);
      assert.ok(hll.estimateIntersectCount([sa, sb]) >= 0);
    }),
    { numRuns: 40 },
  );
});

test('property: the integer register path reads and writes what the BigInt path does', () => {
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 10 }), fc.constantFrom(0, 4, 12, 18), fc.integer({ min: 0, max: 2 ** 31 }), (indexBits, minhashBits, seed) => {
      const sketch = hll.emptySketch(indexBits, minhashBits);
      for (let i = 11; i < sketch.length; i++) sketch[i] = (seed * (i + 7) * 2654435761) >>> 24;
      const m = 2 ** indexBits;
      for (let r = 0; r < m; r++) assert.equal(sketchLayout.hllValueAt(sketch, r), Number(sketchLayout.getRegister(sketch, r) >> BigInt(minhashBits)));
      if (minhashBits === 0) {
        const copy = Uint8Array.from(sketch);
        for (let r = 0; r < m; r += 3) {
          sketchLayout.setHllValueAt(sketch, r, (r * 7) % 64);
          sketchLayout.setRegister(copy, r, BigInt((r * 7) % 64));
        }
        assert.deepEqual(sketch, copy);
      }
    }),
    { numRuns: 40 },
  );
});
