// writeUtf8 and readUtf8 must be exactly Buffer's UTF-8 (lone surrogates and
// invalid bytes as U+FFFD), and
// Utf8Interner must return what its decoder returns, whatever it cached before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Utf8Interner } from '../../../../engine/bytes/utf8-interner.js';
import { readUtf8, writeUtf8 } from '../../../../engine/bytes/utf8.js';

const anyString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }));

test('writeUtf8 writes the bytes Buffer writes, at the offset given, and returns their count', () => {
  fc.assert(
    fc.property(anyString, fc.nat({ max: 16 }), (s, at) => {
      const buf = Buffer.alloc(at + 3 * s.length + 8, 0xee);
      const n = writeUtf8(buf, at, s);
      const expected = Buffer.from(s, 'utf8');
      assert.equal(n, expected.length);
      assert.deepEqual(buf.subarray(at, at + n), expected);
      assert.ok(buf.subarray(0, at).every((b) => b === 0xee), 'bytes before the offset untouched');
    }),
  );
});

test('readUtf8 decodes as buf.toString does, invalid sequences included', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 64 }), fc.nat({ max: 64 }), (bytes, a, b) => {
      const buf = Buffer.from(bytes);
      const start = Math.min(a, b, buf.length);
      const end = Math.min(Math.max(a, b), buf.length);
      assert.equal(readUtf8(buf, start, end), buf.toString('utf8', start, end));
    }),
  );
});

test('Utf8Interner returns the decoded text of the bytes asked for, across hits, collisions and long runs', () => {
  const decoded: string[] = [];
  const interner = new Utf8Interner(4, 8, (buf, start, end) => {
    const text = Buffer.from(buf.subarray(start, end)).toString('utf8');
    decoded.push(text);
    return text;
  });
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 30 }), (names) => {
      for (const name of names) {
        const bytes = Buffer.from(`..${name}..`, 'utf8');
        assert.equal(interner.text(bytes, 2, bytes.length - 2), Buffer.from(name, 'utf8').toString('utf8'));
        // The cache holds copies: reusing the source buffer must not change a later hit.
        bytes.fill(0x41);
      }
    }),
  );
  const before = decoded.length;
  const same = Buffer.from('users');
  interner.text(same, 0, same.length);
  interner.text(same, 0, same.length);
  assert.equal(decoded.length - before <= 1, true, 'a repeated short run is decoded at most once');
});

test('Utf8Interner refuses a size that is not a power of two', () => {
  assert.throws(() => new Utf8Interner(100, 8, () => ''), RangeError);
});
