import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32, crc32Js, crc32Range } from '../../../../../engine/storage/checksum.js';
import { encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import { computeDigest, keyBytes, keyTypeOf } from '../../../../../engine/digest.js';
import {
  FLAG_HAS_KEY, HeaderStatus, alignUp, bodyIntact, bodyOf, newHeaderView, parseHeader, restampRecord, setNameOf, userKeyOf, writeRecord,
} from '../../../../../engine/storage/record-format/record-codec.js';
import type { Bins, UserKey } from '../../../../../record/index.js';

function encode(set: string, key: UserKey, bins: Bins, blockSeq = 7): Buffer {
  const buf = Buffer.alloc(4096);
  const body = encodeBody(bins, Object.fromEntries(Object.keys(bins).map((b) => [b, 42])));
  writeRecord(buf, 16, { changeSeq: 9, generation: 3, voidTime: 1_800_000_000, lut: 123_456_789, region: 2, flags: FLAG_HAS_KEY },
    computeDigest(set, key), Buffer.from(set), keyTypeOf(key), keyBytes(key), body, blockSeq);
  return buf;
}

test('the JS CRC-32 fallback agrees with the native one', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => assert.equal(crc32Js(bytes), crc32(bytes))));
  assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
});

test('crc32Range (slicing-by-8 in JS below the native cut-over) agrees with the native CRC-32 on any range', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const buf = Buffer.from(bytes);
      const start = a % (buf.length + 1);
      const end = start + (b % (buf.length - start + 1));
      assert.equal(crc32Range(buf, start, end), crc32(buf.subarray(start, end)));
    }),
    { numRuns: 3000 },
  );
});

test('a record round-trips: header fields, set, key, bins', () => {
  const bins: Bins = { name: 'Alice Chen', n: 2n ** 62n, f: 1.5, list: ['a', 1, [true]], map: { x: Buffer.from([1, 2]) } };
  const buf = encode('profiles', 'user:1001', bins);
  const h = newHeaderView();
  assert.equal(parseHeader(buf, 16, buf.length, 7, h), HeaderStatus.Ok);
  assert.equal(h.generation, 3);
  assert.equal(h.voidTime, 1_800_000_000);
  assert.equal(h.lut, 123_456_789);
  assert.equal(h.region, 2);
  assert.equal(setNameOf(buf, h), 'profiles');
  assert.equal(userKeyOf(buf, h), 'user:1001');
  assert.deepEqual(Buffer.from(buf.subarray(h.digestAt, h.digestAt + 20)), Buffer.from(computeDigest('profiles', 'user:1001')));
  assert.ok(bodyIntact(buf, h, 16));
  const body = bodyOf(buf, h, 16);
  assert.deepEqual(body.bins, { ...bins, map: { x: Buffer.from([1, 2]) } });
  assert.equal(body.binLuts.name, 42);
  assert.equal(alignUp(h.totalBytes) % 16, 0);
});

test('integer and bytes keys come back with their types', () => {
  for (const key of [5, -(2n ** 63n), new Uint8Array([9, 8, 7])] as UserKey[]) {
    const buf = encode('s', key, { a: 1 });
    const h = newHeaderView();
    assert.equal(parseHeader(buf, 16, buf.length, 7, h), HeaderStatus.Ok);
    assert.deepEqual(userKeyOf(buf, h), key);
  }
});

test('another block use, zeros and bad checksums are told apart', () => {
  const buf = encode('s', 'k', { a: 'x'.repeat(100) });
  const h = newHeaderView();
  assert.equal(parseHeader(buf, 16, buf.length, 8, h), HeaderStatus.End, 'stale record of an earlier block use');
  assert.equal(parseHeader(buf, 512, buf.length, 7, h), HeaderStatus.End, 'zeros');
  assert.equal(parseHeader(buf, 16, buf.length, -1, h), HeaderStatus.Ok, 'any block use');
  const hdrFlip = Buffer.from(buf);
  hdrFlip[16 + 22] ^= 1;
  assert.equal(parseHeader(hdrFlip, 16, hdrFlip.length, 7, h), HeaderStatus.Bad);
  const bodyFlip = Buffer.from(buf);
  assert.equal(parseHeader(bodyFlip, 16, bodyFlip.length, 7, h), HeaderStatus.Ok);
  bodyFlip[h.bodyStart + 5] ^= 0x40;
  assert.equal(bodyIntact(bodyFlip, h, 16), false);
  assert.equal(parseHeader(buf, 16, 16 + 100, 7, h), HeaderStatus.Bad, 'cut short');
});

test('restamping a moved record keeps it valid under its new block use', () => {
  const buf = encode('s', 'k', { a: 1 }, 7);
  restampRecord(buf, 16, 99);
  const h = newHeaderView();
  assert.equal(parseHeader(buf, 16, buf.length, 99, h), HeaderStatus.Ok);
  assert.ok(bodyIntact(buf, h, 16));
});
