// A put encodes flat bodies by hand (engine/body-encode.ts); the bytes must be
// exactly msgpackr's (the shipper copies stored tokens to the wire), or the
// fast path must decline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { encodeBodyFast } from '../../../../../engine/storage/record-format/body-encode.js';
import { decodeBody, encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import type { Bins } from '../../../../../record/index.js';

// bin-codec.ts's options: the definition of the stored body.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' as 'bigint', copyBuffers: true, variableMapSize: true });

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

function lutsOf(bins: Bins): Record<string, number> {
  return Object.fromEntries(Object.keys(bins).map((k, i) => [k, 1_737_500_000_000 * 65536 + i]));
}

test('a 1 KiB record takes the fast path with msgpackr bytes', () => {
  const bins: Bins = { name: 'user-7', plan: 'premium', last_seen: 1_737_500_007, payload: 'p'.repeat(940), on: true, off: false, none: null, ratio: 0.5 };
  const fast = hex(encodeBodyFast(bins, lutsOf(bins)));
  assert.notEqual(fast, null);
  assert.equal(fast, hex(packr.pack([bins, lutsOf(bins)])));
  // encodeBody (what store() calls) returns the same bytes, and they decode back.
  assert.equal(hex(encodeBody(bins, lutsOf(bins))), fast);
  assert.deepStrictEqual(decodeBody(encodeBody(bins, lutsOf(bins))).bins, bins);
});

test('every integer width, strings at every header boundary, non-ASCII and lone surrogates match msgpackr', () => {
  const values = [0, -0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, -1, -32, -33, -128, -129, -32768, -32769,
    -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 0.1, NaN, Infinity, -Infinity];
  const strings = ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(65535), 'x'.repeat(65536),
    'é', 'é'.repeat(15), 'é'.repeat(16), 'é'.repeat(128), '😀', 'a\ud800b', '\udc00', 'x'.repeat(40) + '\ud800'];
  for (const v of [...values, ...strings]) {
    const bins: Bins = { v };
    assert.equal(hex(encodeBodyFast(bins, lutsOf(bins))), hex(packr.pack([bins, lutsOf(bins)])), `value ${JSON.stringify(v)}`);
  }
  for (const k of strings.slice(1, 6)) {
    const bins: Bins = { [k]: 1 };
    assert.equal(hex(encodeBodyFast(bins, lutsOf(bins))), hex(packr.pack([bins, lutsOf(bins)])), `bin name of ${k.length}`);
  }
});

test('what the fast path does not write is declined, and encodeBody still writes it with msgpackr', () => {
  const declined: Bins[] = [
    { list: [1, 2] }, { map: { a: 1 } }, { big: 2n ** 60n }, { bytes: new Uint8Array([1]) },
    Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`b${i}`, i])) as Bins,
    Object.assign(Object.create(null) as Bins, { a: 1 }),
  ];
  for (const bins of declined) {
    assert.equal(encodeBodyFast(bins, lutsOf(bins)), null);
    assert.equal(hex(encodeBody(bins, lutsOf(bins))), hex(packr.pack([bins, lutsOf(bins)])));
  }
});

const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.integer(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double(),
  fc.maxSafeInteger(),
  fc.boolean(),
  fc.constant(null),
);
const binName = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 14 }), fc.constantFrom('1', '10', 'a1', '__proto__', 'x'.repeat(40), 'constructor'));

test('any flat bins: the fast path writes msgpackr bytes or declines', () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.dictionary(binName, fc.oneof({ arbitrary: scalar, weight: 30 }, { arbitrary: fc.array(scalar, { maxLength: 2 }), weight: 1 }), { maxKeys: 17 }), (raw) => {
      const bins = raw as Bins;
      const luts = lutsOf(bins);
      const fast = encodeBodyFast(bins, luts);
      if (fast !== null) {
        taken++;
        assert.equal(hex(fast), hex(packr.pack([bins, luts])));
      }
    }),
    { numRuns: 3000 },
  );
  // Declining everything would pass the property trivially.
  assert.ok(taken > 500, `fast path taken ${taken} times of 3000`);
});
