import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ripemd160 } from '../../../engine/ripemd160.js';

test('the JS RIPEMD-160 agrees with node:crypto on any input, around every padding boundary', () => {
  const check = (data: Uint8Array) => {
    const out = new Uint8Array(20);
    ripemd160(data, data.length, out);
    assert.equal(Buffer.from(out).toString('hex'), createHash('ripemd160').update(data).digest('hex'));
  };
  for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 100_000]) check(new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check));
});

test('the published RIPEMD-160 test vectors', () => {
  // From the RIPEMD-160 home page (Dobbertin, Bosselaers, Preneel).
  const vectors: Array<[string, string]> = [
    ['', '9c1185a5c5e9fc54612808977ee8f548b2258d31'],
    ['abc', '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc'],
    ['message digest', '5d0689ef49d2fae572b881b123a85ffa21595f36'],
  ];
  for (const [input, expected] of vectors) {
    const out = new Uint8Array(20);
    const data = Buffer.from(input);
    ripemd160(data, data.length, out);
    assert.equal(Buffer.from(out).toString('hex'), expected);
  }
});
