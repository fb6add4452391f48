// HyperLogLog bins on wire v1: a MessagePack ext of type 18 holding the sketch,
// pinned by a byte fixture (docs/wire-format.md shows it); an independent
// decoder reads it as an ext; a receiver that knows no ext 18 (every build
// before HyperLogLog bins) refuses the message with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode as plainDecode, ExtData } from '@msgpack/msgpack';
import { decodeMessage, encodeRecord, isWireError } from '../../../../replication-protocol/index.js';
import { HllValue, hll, type RecordVersion } from '../../../../record/index.js';
import { stringElement } from '../../../helpers/hll.js';

const LUT = 1_800_000_000_000 * 1024 + 5;

function hllVersion(): RecordVersion {
  const sketch = hll.addElements(hll.emptySketch(4, 0), ['ada', 'grace'].map(stringElement)).sketch;
  return {
    ns: 'user_data', set: 'users', digest: Uint8Array.from(Array.from({ length: 20 }, (_, i) => i)), generation: 1, voidTime: 0, lut: LUT, region: 1,
    deleted: false, bins: { seen: new HllValue(sketch) }, binLuts: { seen: LUT },
  };
}

const HLL_FIXTURE_HEX =
  'de000ca17601a46b696e64a67265636f7264a26e73a9757365725f64617461a3736574a57573657273a6646967657374c414000102030405060708090a0b0c0d0e0f10111213aa67656e65726174696f6e01a8766f696454696d6500a36c7574d300068c6171400005a6726567696f6e01a764656c65746564c2a762696e4c757473de0001a47365656ed300068c6171400005a462696e73de0001a47365656ec717120004000000000000000000000001000000000000040000';

test('an HLL bin is ext 18 on the wire, and its bytes are stable', () => {
  assert.equal(encodeRecord(hllVersion()).toString('hex'), HLL_FIXTURE_HEX);
});

test('an HLL bin round-trips, and an independent decoder reads the sketch as ext 18', () => {
  const v = hllVersion();
  const out = decodeMessage(encodeRecord(v));
  assert.equal(out.kind, 'record');
  const seen = out.kind === 'record' ? out.version.bins.seen : null;
  assert.ok(seen instanceof HllValue);
  assert.deepEqual(seen.bytes, (v.bins.seen as HllValue).bytes);
  assert.equal(hll.estimateCount(seen.bytes), 2);
  const plain = plainDecode(encodeRecord(v), { useBigInt64: true }) as { bins: { seen: ExtData } };
  assert.ok(plain.bins.seen instanceof ExtData);
  assert.equal(plain.bins.seen.type, 18);
  assert.deepEqual(Array.from(plain.bins.seen.data as Uint8Array), Array.from((v.bins.seen as HllValue).bytes));
});

test('a receiver that knows no such ext refuses the message as malformed (what builds before HLL bins do with ext 18)', () => {
  const bytes = Buffer.from(encodeRecord(hllVersion()));
  // The ext header is c7 <len> 12: make the type one no build knows (0x13) to take the same path an old build takes for 0x12.
  const at = bytes.indexOf(Buffer.from([0xc7, 0x17, 0x12]));
  assert.ok(at > 0);
  bytes[at + 2] = 0x13;
  assert.throws(() => decodeMessage(bytes), (err: unknown) => isWireError(err) && err.code === 'WIRE_ERR_MALFORMED');
});

test('an ext 18 that is not a well-formed sketch is refused as invalid', () => {
  const v = hllVersion();
  const bad = { ...v, bins: { seen: new HllValue(Uint8Array.of(0, 4, 0)) } };
  const bytes = encodeRecord(bad);
  assert.throws(() => decodeMessage(bytes), (err: unknown) => isWireError(err) && err.code === 'WIRE_ERR_INVALID');
});
