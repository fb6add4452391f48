// Replies byte for byte against the documented layouts (proto header, 22-byte
// AS_MSG header, ops with particle types, MessagePack with particle prefixes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderedList } from '../../../record/index.js';
import {
  ByteWriter, FieldType, beginFrame, buildInfoReply, endFrame, infoFail, partitionBitmap, peersValue, replicasValue, writeBinOp, writeFieldBytes, writeKeyField,
  writeLastReply, writeMsgHeader, writeMsgpack, writeStatusReply, type AsValue,
} from '../../../aerospike-protocol/index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function written(fn: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter(64);
  fn(w);
  return Buffer.from(w.take());
}

test('a status reply is one frame: version 2, type 3, 48-bit size 22, then the header with result, generation and void time', () => {
  assert.deepEqual(
    written((w) => writeStatusReply(w, 2, 7, 0x01020304)),
    hex('02 03 000000000016   16 00 00 00 00 02 00000007 01020304 00000000 0000 0000'),
  );
});

test('the end of a stream is a header with info3 LAST and the stream\'s result', () => {
  assert.deepEqual(written((w) => writeLastReply(w, 0)), hex('02 03 000000000016   16 00 00 01 00 00 00000000 00000000 00000000 0000 0000'));
});

test('a bin op is size, op type, particle type, flags, name length, name, value', () => {
  // size = 4 + 1-byte name + 8-byte integer = 13
  assert.deepEqual(written((w) => writeBinOp(w, 'i', 7)), hex('0000000d 01 01 00 01 69 0000000000000007'));
  assert.deepEqual(written((w) => writeBinOp(w, 's', 'abc')), hex('00000008 01 03 00 01 73 616263'));
  assert.deepEqual(written((w) => writeBinOp(w, 'd', 1.5)), hex('0000000d 01 02 00 01 64 3ff8000000000000'));
  assert.deepEqual(written((w) => writeBinOp(w, 'b', new Uint8Array([1, 2]))), hex('00000007 01 04 00 01 62 0102'));
  assert.deepEqual(written((w) => writeBinOp(w, 't', true)), hex('00000006 01 11 00 01 74 01'));
  assert.deepEqual(written((w) => writeBinOp(w, 'n', null)), hex('00000005 01 00 00 01 6e'));
  assert.deepEqual(written((w) => writeBinOp(w, 'g', -(2n ** 63n))), hex('0000000d 01 01 00 01 67 8000000000000000'));
  // A list is MessagePack: [1, "x"] with the string's particle prefix 03.
  assert.deepEqual(written((w) => writeBinOp(w, 'l', [1, 'x'])), hex('0000000a 01 14 00 01 6c 92 01 a2 03 78'));
});

test('maps are written key-ordered: the ext metadata pair (c7 00 01, nil) first, keys sorted', () => {
  // The exact bytes the official Node client sends for { a: 1, b: 2, c: 3 } (suite test get.ts, raw read).
  assert.deepEqual(written((w) => writeMsgpack(w, { c: 3, a: 1, b: 2 })), hex('84 c70001 c0 a20361 01 a20362 02 a20363 03'));
  assert.deepEqual(written((w) => writeMsgpack(w, {})), hex('81 c70001 c0'));
  // Non-string keys can only come as a JS Map, written unordered in its own order.
  assert.deepEqual(written((w) => writeMsgpack(w, new Map<never, never>([[2 as never, 'x' as never]]))), hex('81 02 a203 78'));
});

test('an ordered list is written as Aerospike returns one: an ext whose type is the order flag (c7 00 01) first, counted in the header; nil elements as nil', () => {
  assert.deepEqual(written((w) => writeMsgpack(w, orderedList([1, 2]) as AsValue)), hex('93 c70001 01 02'));
  assert.deepEqual(written((w) => writeMsgpack(w, orderedList([]) as AsValue)), hex('91 c70001'));
  assert.deepEqual(written((w) => writeMsgpack(w, [1, null])), hex('92 01 c0'));
});

test('MessagePack integers take the smallest form; doubles are float64; blobs carry the 04 prefix', () => {
  const cases: Array<[unknown, string]> = [
    [0, '00'], [127, '7f'], [128, 'cc80'], [65535, 'cdffff'], [65536, 'ce00010000'], [2 ** 32, 'cf0000000100000000'],
    [-1, 'ff'], [-32, 'e0'], [-33, 'd0df'], [-32769, 'd2ffff7fff'], [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
    [2n ** 63n - 1n, 'cf7fffffffffffffff'], [1.25, 'cb3ff4000000000000'], [new Uint8Array([9]), 'a2 04 09'], ['', 'a1 03'],
  ];
  for (const [value, expected] of cases) assert.deepEqual(written((w) => writeMsgpack(w, value as never)), hex(expected), String(value));
});

test('a scan record carries digest, namespace, set and key fields; a frame may hold many headers', () => {
  const digest = new Uint8Array(20).fill(0xab);
  const bytes = written((w) => {
    const f = beginFrame(w);
    writeMsgHeader(w, 0, 0, 1, 0, 0, 2, 0);
    writeFieldBytes(w, FieldType.DIGEST, digest);
    writeKeyField(w, 42);
    writeMsgHeader(w, 0x04, 0, 4095, 0, 0, 0, 0);
    endFrame(w, f);
  });
  assert.equal(bytes.readUIntBE(2, 6), bytes.length - 8);
  assert.deepEqual(bytes.subarray(30, 35), hex('00000015 04'));
  assert.deepEqual(bytes.subarray(55, 69), hex('0000000a 02 01 000000000000002a'));
  // The partition-done marker: info3 PARTITION_DONE, generation = partition id.
  assert.equal(bytes[69 + 3], 0x04);
  assert.equal(bytes.readUInt32BE(69 + 6), 4095);
});

test('info replies echo each name, a tab, the value, a newline; errors are FAIL:<code>:<message>', () => {
  assert.equal(buildInfoReply([['status', 'ok'], ['build', '7.2.0.0']]).toString(), 'status\tok\nbuild\t7.2.0.0\n');
  assert.equal(buildInfoReply([['x', 'a\tb\nc']]).toString(), 'x\ta b c\n');
  assert.equal(infoFail(201, 'NO INDEX'), 'FAIL:201:NO INDEX');
});

test('replicas: all 4096 partitions owned is 680 "/" then "//8=" per replica bitmap; peers of a one-node region are empty', () => {
  const all = partitionBitmap(() => true);
  assert.equal(all.length, 512);
  const value = replicasValue([{ ns: 'test', regime: 0, replicas: [all] }]);
  assert.equal(value, `test:0,1,${'/'.repeat(680)}//8=`);
  const none = Buffer.from(partitionBitmap((pid) => pid === 0)).toString('base64');
  assert.equal(none.slice(0, 2), 'gA', 'partition 0 is the most significant bit of byte 0');
  assert.equal(peersValue(3, 3000, []), '3,3000,[]');
  assert.equal(peersValue(1, 3000, [{ nodeId: 'BB9', hosts: ['10.0.0.2:3000'] }]), '1,3000,[[BB9,,[10.0.0.2:3000]]]');
});

test('the writer survives arena growth mid-reply: marks stay valid, nothing the socket holds is overwritten', () => {
  const w = new ByteWriter(16);
  const first = (writeStatusReply(w, 0, 1, 0), w.take());
  const frame = beginFrame(w);
  writeMsgHeader(w, 0, 0, 2, 0, 0, 0, 1);
  writeBinOp(w, 'big', 'x'.repeat(100));
  endFrame(w, frame);
  const second = w.take();
  assert.equal(first.readUInt32BE(8 + 6), 1, 'the first reply is intact');
  assert.equal(second.readUIntBE(2, 6), second.length - 8);
  assert.equal(second.length, 8 + 22 + 8 + 3 + 100);
});
