// What a client can send that the codec must refuse: every refusal is a
// ProtocolError with a stable code, and framing errors say the connection is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldType, FrameSplitter, MsgView, ParticleType, ProtocolError, decodeBatch, decodeCdtCall, decodeMsg, decodeMsgpack, readParticle, readScanRequest, readUserKey,
  type ProtocolErrorCode,
} from '../../../aerospike-protocol/index.js';
import { NODE_CLIENT_FRAMES, capturedBody } from './fixtures.js';
import { GeoJson, isOrderedList } from '../../../record/index.js';

const LIMITS = { fieldsMax: 64, opsMax: 4096 };
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function refuses(fn: () => unknown, code: ProtocolErrorCode, framingLost = false): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProtocolError, `expected a ProtocolError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.framingLost, framingLost);
    return true;
  });
}

function msg(header: string, rest = ''): Buffer {
  return hex(header + rest);
}

test('a header with another version, or a size over the limit, loses the framing before the body is waited for', () => {
  const s = new FrameSplitter({ maxBodyBytes: 1000 });
  s.push(hex('0103000000000016'));
  refuses(() => s.next(), 'PROTO_ERR_BAD_VERSION', true);
  const big = new FrameSplitter({ maxBodyBytes: 1000 });
  big.push(hex('02030000000003e9'));
  refuses(() => big.next(), 'PROTO_ERR_FRAME_TOO_LARGE', true);
  // 48-bit sizes: the top bytes count too.
  const huge = new FrameSplitter({ maxBodyBytes: 1000 });
  huge.push(hex('0203010000000000'));
  refuses(() => huge.next(), 'PROTO_ERR_FRAME_TOO_LARGE', true);
  const empty = new FrameSplitter({ maxBodyBytes: 1000 });
  empty.push(hex('0201000000000000'));
  assert.deepEqual(empty.next(), { type: 1, body: Buffer.alloc(0) });
});

test('AS_MSG headers and counts are checked', () => {
  const v = new MsgView();
  refuses(() => decodeMsg(v, hex('16 00 00'), LIMITS), 'PROTO_ERR_MALFORMED');
  refuses(() => decodeMsg(v, msg('15 00000000 00 00000000 00000000 00000000 0000 0000'), LIMITS), 'PROTO_ERR_MALFORMED');
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0041 0000'), LIMITS), 'PROTO_ERR_LIMIT');
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0000 1001'), LIMITS), 'PROTO_ERR_LIMIT');
  // A field of size 0 (it must count its type byte), one running past the end, trailing bytes.
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0001 0000', '00000000 00'), LIMITS), 'PROTO_ERR_MALFORMED');
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0001 0000', '00000009 00 74657374'), LIMITS), 'PROTO_ERR_MALFORMED');
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0000 0000', 'ff'), LIMITS), 'PROTO_ERR_MALFORMED');
  // An op whose size cannot hold its name.
  refuses(() => decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0000 0001', '00000004 01 00 00 05 6162636465'), LIMITS), 'PROTO_ERR_MALFORMED');
});

test('every truncation of every captured request is refused as malformed, never misread', () => {
  const v = new MsgView();
  for (const frame of NODE_CLIENT_FRAMES.filter((f) => f.type === 3)) {
    const body = frame.bytes.subarray(8);
    for (let n = 0; n < body.length; n += Math.max(1, Math.floor(body.length / 300))) {
      refuses(() => decodeMsg(v, body.subarray(0, n), LIMITS), 'PROTO_ERR_MALFORMED');
    }
  }
});

test('batch rows: the key limit, a leading REPEAT row, truncated rows', () => {
  const v = new MsgView();
  decodeMsg(v, capturedBody('batch'), LIMITS);
  const [start, end] = [v.fields.start[FieldType.BATCH_INDEX]!, v.fields.end[FieldType.BATCH_INDEX]!];
  refuses(() => decodeBatch(v.body, start, end, { ...LIMITS, keysMax: 1 }), 'PROTO_ERR_BATCH_TOO_LARGE');
  for (let n = 5; n < end - start; n += 7) refuses(() => decodeBatch(v.body, start, start + n, { ...LIMITS, keysMax: 10 }), 'PROTO_ERR_MALFORMED');
  const repeatFirst = hex(`00000001 08 00000000 ${'00'.repeat(20)} 01`);
  refuses(() => decodeBatch(repeatFirst, 0, repeatFirst.length, { ...LIMITS, keysMax: 10 }), 'PROTO_ERR_MALFORMED');
});

test('particles: sizes, unknown types, short GeoJSON and HyperLogLog values, bad UTF-8', () => {
  refuses(() => readParticle(ParticleType.INTEGER, hex('000000000000000001'), 0, 9), 'PROTO_ERR_MALFORMED');
  refuses(() => readParticle(ParticleType.DOUBLE, hex('00000000000000'), 0, 7), 'PROTO_ERR_MALFORMED');
  refuses(() => readParticle(ParticleType.BOOL, hex('0101'), 0, 2), 'PROTO_ERR_MALFORMED');
  refuses(() => readParticle(99, hex('00'), 0, 1), 'PROTO_ERR_BAD_VALUE');
  refuses(() => readParticle(ParticleType.GEOJSON, hex('00'), 0, 1), 'PROTO_ERR_MALFORMED');
  // A HyperLogLog that is not a well-formed sketch is a PARAMETER error, as Aerospike's hll_from_wire answers.
  refuses(() => readParticle(ParticleType.HLL, hex('00'), 0, 1), 'PROTO_ERR_BAD_VALUE');
  refuses(() => readParticle(ParticleType.STRING, hex('c328'), 0, 2), 'PROTO_ERR_BAD_VALUE');
  refuses(() => readParticle(ParticleType.LIST, hex('81a2036101'), 0, 5), 'PROTO_ERR_BAD_VALUE');
  // Short integers are sign-extended (legacy clients).
  assert.equal(readParticle(ParticleType.INTEGER, hex('ff'), 0, 1), -1);
  assert.equal(readParticle(ParticleType.INTEGER, hex('0100'), 0, 2), 256);
});

test('MessagePack: lengths are checked against the bytes there, nesting and ext types are bounded', () => {
  refuses(() => decodeMsgpack(hex('dd ffffffff')), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(hex('df ffffffff 00')), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(hex('db 7fffffff 03')), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(Buffer.alloc(100, 0x91)), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(hex('cf ffffffffffffffff')), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(hex('d4 05 01')), 'PROTO_ERR_UNSUPPORTED');
  refuses(() => decodeMsgpack(hex('c1')), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeMsgpack(hex('01 02')), 'PROTO_ERR_BAD_VALUE');
  // GeoJSON inside a list or map: the text behind particle type 23 (checked as GeoJSON by the engine, not here).
  assert.deepEqual(decodeMsgpack(hex('a3 17 7b7d')), new GeoJson('{}'));
  // An ordered list (metadata ext type 1) keeps its flag; other list flags and a key-ordered map's metadata are skipped.
  const ordered = decodeMsgpack(hex('93 d401 00 01 02'));
  assert.ok(isOrderedList(ordered));
  assert.deepEqual([...(ordered as number[])], [1, 2]);
  const flagged = decodeMsgpack(hex('93 d410 00 01 02'));
  assert.ok(!isOrderedList(flagged));
  assert.deepEqual(flagged, [1, 2]);
  assert.deepEqual(decodeMsgpack(hex('82 c70001 c0 a20361 01')), { a: 1 });
  assert.deepEqual(decodeMsgpack(hex('81 01 a20378')), new Map([[1, 'x']]));
});

test('CDT calls, user keys and scan requests refuse what they cannot mean', () => {
  refuses(() => decodeCdtCall(hex('90'), 0, 1), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeCdtCall(hex('91 a20361'), 0, 4), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeCdtCall(hex('93 ccff 91 10 91 11'), 0, 8), 'PROTO_ERR_BAD_VALUE');
  refuses(() => decodeCdtCall(hex('9a 01 01 01 01 01 01 01 01 01 01'), 0, 11), 'PROTO_ERR_BAD_VALUE');
  refuses(() => readUserKey(hex('02 3ff0000000000000'), 0, 9), 'PROTO_ERR_UNSUPPORTED');
  refuses(() => readUserKey(hex('13 00'), 0, 2), 'PROTO_ERR_BAD_VALUE');
  refuses(() => readUserKey(hex(''), 0, 0), 'PROTO_ERR_MALFORMED');
  const v = new MsgView();
  // A scan of namespace "test" with one more field.
  const scan = (field: string) => {
    decodeMsg(v, msg('16 01000000 00 00000000 00000000 00000000 0002 0000', `00000005 00 74657374 ${field}`), LIMITS);
    return readScanRequest(v);
  };
  refuses(() => scan('00000003 0b 0010'), 'PROTO_ERR_BAD_VALUE');
  refuses(() => scan('00000002 0b 00'), 'PROTO_ERR_MALFORMED');
  refuses(() => scan('00000004 0c 000102'), 'PROTO_ERR_MALFORMED');
  // An index range with two filters (the server takes one).
  refuses(() => scan('0000001d 16 02 01 69 01 00000008 0000000000000001 00000008 0000000000000002'), 'PROTO_ERR_BAD_VALUE');
});
