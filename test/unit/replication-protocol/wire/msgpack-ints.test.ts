// The transcoder's integer tokens must be msgpackr's, with encode.ts's wideInt
// (int64 beyond 32 bits): byte for byte, for every safe integer width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packr } from '../../../../replication-protocol/wire/v1/codec.js';
import { INT_TOKEN_BYTES_MAX, writeInt, writeInt64 } from '../../../../replication-protocol/wire/v1/msgpack-ints.js';

function wide(n: number): number | bigint {
  return n > 0xffffffff || n < -0x80000000 ? BigInt(n) : n;
}

function tokenOf(write: (buf: Uint8Array, at: number) => number): string {
  const buf = new Uint8Array(3 + INT_TOKEN_BYTES_MAX).fill(0xee);
  const end = write(buf, 3);
  assert.ok(end - 3 <= INT_TOKEN_BYTES_MAX);
  assert.ok(buf.subarray(end).every((b) => b === 0xee), 'nothing written past the token');
  return Buffer.from(buf.subarray(3, end)).toString('hex');
}

const edges = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, -1, -0x20, -0x21, -0x80, -0x81, -0x8000, -0x8001, -0x80000000, -0x80000001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

test('writeInt writes what msgpackr packs (wideInt beyond 32 bits), at the edges of every width', () => {
  for (const n of edges) assert.equal(tokenOf((b, at) => writeInt(b, at, n)), Buffer.from(packr.pack(wide(n))).toString('hex'), `n = ${n}`);
});

test('writeInt and writeInt64 agree with msgpackr on random safe integers', () => {
  fc.assert(
    fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (n) => {
      assert.equal(tokenOf((b, at) => writeInt(b, at, n)), Buffer.from(packr.pack(wide(n))).toString('hex'));
      assert.equal(tokenOf((b, at) => writeInt64(b, at, n)), Buffer.from(packr.pack(BigInt(n))).toString('hex'));
    }),
    { numRuns: 5000 },
  );
});
