// A get decodes only the bins of a stored body (engine/body-bins.ts); the result
// must equal decodeBody(...).bins value for value, or the fast path must decline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBody, encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import { binsFast, bodyFast, decodeBins } from '../../../../../engine/storage/record-format/body-bins.js';
import type { Bins } from '../../../../../record/index.js';

/** The body as a device block holds it: copied out of encodeBody's reused buffer, somewhere inside a bigger buffer. */
function stored(bins: Bins, counters = false): { buf: Buffer; start: number; stop: number } {
  const body = encodeBody(bins, Object.fromEntries(Object.keys(bins).map((k, i) => [k, 2 ** 40 + i])),
    counters ? { c: { base: 1, baseLut: 5, p: { 1: 2 }, n: {} } } : undefined);
  const buf = Buffer.alloc(body.length + 64, 0xee);
  buf.set(body, 32);
  return { buf, start: 32, stop: 32 + body.length };
}

function reference(s: { buf: Buffer; start: number; stop: number }): Bins {
  return decodeBody(s.buf.subarray(s.start, s.stop)).bins;
}

test('a 1 KiB record of scalars takes the fast path and decodes as msgpackr does', () => {
  const s = stored({ name: 'user-7', plan: 'premium', last_seen: 1_737_500_007, payload: 'p'.repeat(940), ratio: 0.25, neg: -3, big: 70_000, on: true, off: false, none: null });
  const fast = binsFast(s.buf, s.start, s.stop);
  assert.notEqual(fast, null);
  assert.deepStrictEqual(fast, reference(s));
  // Twice: the second read of each bin name comes from the key cache.
  assert.deepStrictEqual(binsFast(s.buf, s.start, s.stop), reference(s));
});

test('nested lists and maps, UTF-8 strings of every length class and counters decode on the fast path', () => {
  const s = stored({
    list: [1, 'two', [3, { four: 4 }], -0.5, null], map: { 'ключ': 'значение', e: '', emoji: '😀'.repeat(30) },
    str8: 'é'.repeat(100), str16: 'x'.repeat(300), str32: 'y'.repeat(70_000), int16: -30_000, int32: -2_000_000_000, u32: 4_000_000_000,
  }, true);
  const fast = binsFast(s.buf, s.start, s.stop);
  assert.notEqual(fast, null);
  assert.deepStrictEqual(fast, reference(s));
});

test('tokens msgpackr decodes its own way leave for the slow path, which gives the same bins', () => {
  const cases: Bins[] = [
    { big: 2 ** 40 }, // float64 or 64-bit integer: stays exact through msgpackr
    { huge: 2n ** 63n - 1n },
    { bytes: new Uint8Array([1, 2, 3]) },
    JSON.parse('{"__proto__": 1, "a": 2}') as Bins, // an own property named __proto__: msgpackr renames it
    { lone: 'a\ud800b' }, // a lone surrogate: msgpackr keeps it, a UTF-8 decoder would not
  ];
  for (const bins of cases) {
    const s = stored(bins);
    assert.deepStrictEqual(decodeBins(s.buf, s.start, s.stop), reference(s));
  }
  const s = stored({ bytes: new Uint8Array([1, 2, 3]) });
  assert.equal(binsFast(s.buf, s.start, s.stop), null);
});

const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.maxSafeInteger(),
  fc.constantFrom(0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -32, -33, -128, -129, -32768, -32769, 2 ** 53, -0),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.uint8Array({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
);
const { bin } = fc.letrec((tie) => ({
  bin: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('bin'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('bin'), { maxKeys: 4 })),
}));
const binName = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 14 }), fc.constantFrom('1', '10', 'a1', '__proto__', 'x'.repeat(40)));

test('any bins: the fast path equals decodeBody(...).bins or declines', () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.dictionary(binName, bin, { maxKeys: 6 }), fc.boolean(), (bins, counters) => {
      const s = stored(bins as Bins, counters);
      const fast = binsFast(s.buf, s.start, s.stop);
      if (fast !== null) taken++;
      assert.deepStrictEqual(decodeBins(s.buf, s.start, s.stop), reference(s));
      if (fast !== null) assert.deepStrictEqual(fast, reference(s));
    }),
    { numRuns: 3000 },
  );
  // Declining everything would pass the property trivially.
  assert.ok(taken > 500, `fast path taken ${taken} times of 3000`);
});

test('a body in shared memory (a write block of a SharedArrayBuffer slab) decodes the same as in ordinary memory', () => {
  const bins: Bins = { s: 'é'.repeat(300), list: [1, 'two', [3]], map: { k: 'v' }, n: 7 };
  const s = stored(bins, true);
  const shared = Buffer.from(new SharedArrayBuffer(s.buf.length));
  s.buf.copy(shared);
  const fromShared = decodeBody(shared.subarray(s.start, s.stop));
  assert.deepStrictEqual(fromShared, decodeBody(s.buf.subarray(s.start, s.stop)));
  assert.deepStrictEqual(fromShared.bins, bins);
  assert.deepStrictEqual(decodeBins(shared, s.start, s.stop), bins);
});

test('any body without counters: bodyFast equals decodeBody (bins and bin luts) or declines; with counters it declines', () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.dictionary(binName, bin, { maxKeys: 6 }), fc.boolean(), fc.boolean(), (bins, counters, tombstoneHorizon) => {
      const luts: Record<string, number> = Object.fromEntries(Object.keys(bins).map((k, i) => [k, 2 ** 40 + i * 4097]));
      if (tombstoneHorizon) luts['!record-deleted-at'] = 2 ** 41 + 3;
      const body = encodeBody(bins as Bins, luts, counters ? { c: { base: 1, baseLut: 5, p: { 1: 2 }, n: {} } } : undefined);
      const buf = Buffer.alloc(body.length + 16, 0xee);
      buf.set(body, 8);
      const fast = bodyFast(buf, 8, 8 + body.length);
      if (counters) assert.equal(fast, null);
      if (fast === null) return;
      taken++;
      assert.deepStrictEqual(fast, decodeBody(buf.subarray(8, 8 + body.length)));
    }),
    { numRuns: 3000 },
  );
  assert.ok(taken > 300, `fast path taken ${taken} times of 3000`);
});
