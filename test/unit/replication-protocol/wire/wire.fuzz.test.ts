// Fuzzing the wire decoder (what a receiver does with whatever sits on a
// route's topic): random bytes, truncations and bit flips of valid messages,
// and well-formed MessagePack of the wrong shape either decode into a valid
// message — which re-encodes and decodes to the same thing — or throw a
// WireError with an WIRE_ERR_ code. Nothing else, ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pack } from 'msgpackr';
import { computeDigest } from '../../../../engine/index.js';
import { type RecordVersion } from '../../../../record/index.js';
import { decodeMessage, encodeHeartbeat, encodeRecord, isWireError } from '../../../../replication-protocol/index.js';
import { fuzzAssert } from '../../../helpers/fuzz.js';

/** Bytes as hex and bigints as text: Buffer and Uint8Array views of the same bytes compare equal. */
function comparable(x: unknown): unknown {
  if (x instanceof Uint8Array) return `bytes:${Buffer.from(x).toString('hex')}`;
  if (typeof x === 'bigint') return `${x}n`;
  if (Array.isArray(x)) return x.map(comparable);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, comparable(v)]));
  return x;
}

function decodeOrWireError(bytes: Uint8Array, what: string): void {
  let message;
  try {
    message = decodeMessage(bytes);
  } catch (err) {
    assert.ok(isWireError(err), `${what}: ${(err as Error)?.stack ?? String(err)}`);
    assert.match(err.code, /^WIRE_ERR_/);
    return;
  }
  // Whatever decodes must be a message the encoder reproduces.
  const again = message.kind === 'record' ? encodeRecord(message.version) : encodeHeartbeat(message.heartbeat);
  assert.deepEqual(comparable(decodeMessage(again)), comparable(message), `${what}: decode(encode(decode(x))) differs`);
}

const lut = 1_800_000_000_000 * 1024;

/** msgpackr refuses some values (bigints beyond 64 bits); those never reach a topic, so there is nothing to decode. */
function packOrNull(x: unknown): Uint8Array | null {
  try {
    return Uint8Array.from(pack(x));
  } catch {
    return null;
  }
}
const version = fc.record({
  key: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.uint8Array({ maxLength: 8 })),
  set: fc.string({ maxLength: 10 }),
  generation: fc.nat({ max: 1000 }),
  deleted: fc.boolean(),
  bins: fc.dictionary(fc.string({ minLength: 1, maxLength: 14 }), fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 30 }), fc.boolean(), fc.array(fc.integer(), { maxLength: 4 })), { maxKeys: 4 }),
}).map(({ key, set, generation, deleted, bins }): RecordVersion => ({
  ns: 'user_data', set, digest: computeDigest(set, key), key, generation, voidTime: 0, lut, region: 1, deleted,
  bins: deleted ? {} : bins, binLuts: Object.fromEntries(Object.keys(bins).map((b) => [b, lut])),
}));

test('random bytes decode or fail with a WireError', async (t) => {
  await fuzzAssert(t, fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => decodeOrWireError(bytes, 'random bytes')), { numRunsDefault: 500 });
});

test('valid messages truncated or with flipped bytes decode or fail with a WireError', async (t) => {
  await fuzzAssert(
    t,
    fc.property(version, fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), (v, cut, flips) => {
      const bytes = Uint8Array.from(encodeRecord(v));
      decodeOrWireError(bytes.subarray(0, cut % bytes.length), `truncated at ${cut % bytes.length}/${bytes.length}`);
      for (const [at, x] of flips) bytes[at % bytes.length] ^= x;
      decodeOrWireError(bytes, `flipped ${JSON.stringify(flips)}`);
    }),
    { numRunsDefault: 500 },
  );
});

test('well-formed MessagePack of the wrong shape fails with a WireError', async (t) => {
  const field = fc.constantFrom('v', 'kind', 'ns', 'set', 'digest', 'generation', 'voidTime', 'lut', 'region', 'deleted', 'bins', 'binLuts', 'key', 'counters', 'route', 'hlc', 'backlog');
  await fuzzAssert(
    t,
    fc.property(version, fc.dictionary(field, fc.anything({ maxDepth: 3, withBigInt: true, withTypedArray: true, withNullPrototype: true })), (v, overrides) => {
      const valid = decodeMessage(encodeRecord(v));
      assert.equal(valid.kind, 'record');
      const map = { ...(JSON.parse(JSON.stringify({ v: 1, kind: 'record' })) as object), ...overrides };
      const bytes = packOrNull(map);
      if (bytes !== null) decodeOrWireError(bytes, `overrides ${Object.keys(overrides).join(',')}`);
    }),
    { numRunsDefault: 500 },
  );
  await fuzzAssert(t, fc.property(fc.anything({ maxDepth: 4, withBigInt: true, withTypedArray: true, withMap: true, withSet: true, withDate: true }), (x) => {
    const bytes = packOrNull(x);
    if (bytes !== null) decodeOrWireError(bytes, 'anything');
  }), { numRunsDefault: 500 });
});

test('deep nesting is refused, not a stack overflow', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const v = { v: 1, kind: 'record', ns: 'n', set: 's', digest: new Uint8Array(20), generation: 1, voidTime: 0, lut, region: 1, deleted: false, bins: { b: deep }, binLuts: { b: lut } };
  let bytes: Uint8Array;
  try {
    bytes = pack(v);
  } catch {
    return; // msgpackr itself refuses to pack it; nothing to decode
  }
  decodeOrWireError(bytes, '10,000 nested lists');
});

test('regression: a bigint inside a wrong-typed field is a WireError, not a TypeError from the error message', () => {
  for (const map of [{ v: { x: 2n ** 60n } }, { v: 1, kind: 'record', ns: [1n] }, { v: 1, kind: 'heartbeat', route: { r: -5n } }]) {
    assert.throws(() => decodeMessage(pack(map)), (err: unknown) => isWireError(err));
  }
});
