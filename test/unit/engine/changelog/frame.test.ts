import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkFrame,
  decodeFrame,
  decodeHeader,
  encodeFrame,
  encodeHeader,
  FRAME_BYTES_MAX,
  kindCode,
  parseSegmentFileName,
  segmentFileName,
} from '../../../../engine/changelog/frame.js';
import type { ChangeKind } from '../../../../engine/types.js';

const kinds: ChangeKind[] = ['write', 'delete', 'expire'];

const eventArb = fc.record({
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  kind: fc.constantFrom(...kinds),
  set: fc.string({ maxLength: 60 }),
  digest: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  lut: fc.integer({ min: 0, max: 2 ** 52 }),
  region: fc.integer({ min: 0, max: 255 }),
});

test('a frame decodes to the event that was encoded', () => {
  fc.assert(
    fc.property(eventArb, fc.nat({ max: 64 }), (e, at) => {
      const buf = Buffer.alloc(at + FRAME_BYTES_MAX + 200);
      const n = encodeFrame(buf, at, e.seq, kindCode(e.kind), e.region, e.lut, e.digest, e.set);
      assert.ok(n > 0);
      assert.equal(checkFrame(buf, at, at + n, true), n);
      const decoded = decodeFrame(buf, at, 'ns1');
      // A Buffer of its own: usable as a Kafka key as it is, and not a view of the frame's bytes.
      assert.deepEqual(decoded, { ...e, ns: 'ns1', digest: Buffer.from(e.digest) });
      buf.fill(0xff);
      assert.deepEqual(decoded.digest, Buffer.from(e.digest));
    }),
  );
});

test('any flipped bit in a frame is caught by its checksum or length check', () => {
  fc.assert(
    fc.property(eventArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (e, pos, bit) => {
      const buf = Buffer.alloc(FRAME_BYTES_MAX + 200);
      const n = encodeFrame(buf, 0, e.seq, kindCode(e.kind), e.region, e.lut, e.digest, e.set);
      buf[pos % n]! ^= 1 << bit;
      assert.ok(checkFrame(buf, 0, n, true) < 0);
    }),
  );
});

test('a set name over 255 bytes of UTF-8 is refused', () => {
  const buf = Buffer.alloc(2000);
  assert.equal(encodeFrame(buf, 0, 1, 1, 1, 1, new Uint8Array(20), 'é'.repeat(128)), -1);
});

test('a truncated frame is reported as running past the end', () => {
  const buf = Buffer.alloc(FRAME_BYTES_MAX);
  const n = encodeFrame(buf, 0, 1, 1, 1, 1, new Uint8Array(20), 'set');
  assert.equal(checkFrame(buf, 0, n - 1, true), -3);
  assert.equal(checkFrame(buf, 0, 5, true), -1);
});

test('segment headers round-trip and damaged headers are described', () => {
  const h = encodeHeader({ firstSeq: 12345, baseLut: 99 * 1024 });
  assert.deepEqual(decodeHeader(h), { firstSeq: 12345, baseLut: 99 * 1024 });
  const bad = Buffer.from(h);
  bad[10]! ^= 0x40;
  assert.equal(decodeHeader(bad), 'header checksum mismatch');
  assert.match(String(decodeHeader(h.subarray(0, 10))), /header is 10 bytes/);
  const magic = Buffer.from(h);
  magic[0] = 0;
  assert.equal(decodeHeader(magic), 'bad magic');
});

test('segment file names sort by first seq and parse back', () => {
  assert.equal(segmentFileName(42), '0000000000000042.clog');
  assert.equal(parseSegmentFileName('0000000000000042.clog'), 42);
  assert.equal(parseSegmentFileName('cursors.json'), -1);
  assert.equal(parseSegmentFileName('0000000000000000.clog'), -1);
  assert.ok(segmentFileName(9) < segmentFileName(10));
});
