// Wire format v1: round trips, strict validation, a byte fixture that pins the
// format, and proof that an independent MessagePack decoder reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decode as plainDecode, encode as plainEncode } from '@msgpack/msgpack';
import { decodeMessage, encodeHeartbeat, encodeRecord, isWireError } from '../../../../replication-protocol/index.js';
import { canonicalValue, isOrderedList, orderedList, type BinValue, type RecordVersion } from '../../../../record/index.js';
import { FIXTURE_HEX, fixtureVersion } from './fixture.js';

function toPlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  return value;
}

test('a record version round-trips with all its metadata', () => {
  const v = fixtureVersion();
  const out = decodeMessage(encodeRecord(v));
  assert.equal(out.kind, 'record');
  assert.deepEqual(toPlain(out.kind === 'record' ? out.version : null), toPlain(v));
});

test('the v1 bytes of the fixture version are stable (docs/wire-format.md shows them)', () => {
  assert.equal(encodeRecord(fixtureVersion()).toString('hex'), FIXTURE_HEX);
});

test('an independent decoder (@msgpack/msgpack) reads v1 as plain MessagePack', () => {
  const map = plainDecode(encodeRecord(fixtureVersion()), { useBigInt64: true }) as Record<string, unknown>;
  assert.equal(map.v, 1);
  assert.equal(map.kind, 'record');
  assert.equal(map.ns, 'user_data');
  assert.equal(map.lut, BigInt(fixtureVersion().lut));
  assert.deepEqual(Array.from(map.digest as Uint8Array), Array.from(fixtureVersion().digest));
  assert.deepEqual((map.bins as Record<string, unknown>).name, 'Ada');
  assert.equal((map.bins as Record<string, unknown>).big, 2n ** 40n);
  const hb = plainDecode(encodeHeartbeat({ route: 'r1', region: 2, hlc: 1_800_000_000_000 * 1024, backlog: 7 }), { useBigInt64: true }) as Record<string, unknown>;
  assert.deepEqual(hb, { v: 1, kind: 'heartbeat', route: 'r1', region: 2, hlc: BigInt(1_800_000_000_000 * 1024), backlog: 7 });
});

test('dormant counters travel under the optional key dormantCounters; versions without them keep their bytes', () => {
  const dormant = { gone: { base: 2, baseLut: 1_800_000_000_000 * 1024, p: { '1': 5 }, n: { '3': 1 } } };
  const v: RecordVersion = { ...fixtureVersion(), dormantCounters: dormant };
  const bytes = encodeRecord(v);
  const out = decodeMessage(bytes);
  assert.ok(out.kind === 'record');
  assert.deepEqual(toPlain(out.version), toPlain(v));
  // Between counters and bins, as any MessagePack reader sees it; an empty map is not sent.
  const map = plainDecode(bytes, { useBigInt64: true }) as Record<string, unknown>;
  assert.deepEqual(Object.keys(map).slice(-3), ['counters', 'dormantCounters', 'bins']);
  assert.equal(encodeRecord({ ...fixtureVersion(), dormantCounters: {} }).toString('hex'), FIXTURE_HEX);
  // A v1 decoder ignores keys it does not know: a receiver built before dormant counters reads the version without them.
  const unknown = plainEncode({ ...(plainDecode(encodeRecord(fixtureVersion()), { useBigInt64: true }) as object), someLaterKey: { x: 1 } }, { useBigInt64: true });
  const old = decodeMessage(unknown);
  assert.ok(old.kind === 'record');
  assert.deepEqual(toPlain(old.version), toPlain(fixtureVersion()));
  // Checked like counters.
  const bad = plainDecode(bytes, { useBigInt64: true }) as Record<string, unknown>;
  (bad.dormantCounters as Record<string, Record<string, unknown>>).gone!.p = { '0': 1 };
  assert.throws(() => decodeMessage(plainEncode(bad, { useBigInt64: true })), (err) => isWireError(err) && err.details.field === 'dormantCounters.gone.p.0');
});

test('a tombstone (with the bin-lww delete horizon entry) and a heartbeat round-trip', () => {
  const tomb: RecordVersion = { ...fixtureVersion(), deleted: true, bins: {}, binLuts: { name: 9, '!record-deleted-at': 12 } };
  delete tomb.counters;
  const out = decodeMessage(encodeRecord(tomb));
  assert.ok(out.kind === 'record' && out.version.deleted && Object.keys(out.version.bins).length === 0);
  assert.deepEqual(out.version.binLuts, { name: 9, '!record-deleted-at': 12 });
  const hb = decodeMessage(encodeHeartbeat({ route: 'tokyo-virginia', region: 1, hlc: 123456789, backlog: 0 }));
  assert.deepEqual(hb, { kind: 'heartbeat', heartbeat: { route: 'tokyo-virginia', region: 1, hlc: 123456789, backlog: 0 } });
});

test('bad input is rejected with typed errors naming the field', () => {
  const cases: Array<[string, Uint8Array, string, string | undefined]> = [
    ['garbage', Buffer.from([0xc1]), 'WIRE_ERR_INVALID', '(message)'],
    ['truncated', encodeRecord(fixtureVersion()).subarray(0, 30), 'WIRE_ERR_MALFORMED', undefined],
    ['trailing bytes', Buffer.concat([encodeRecord(fixtureVersion()), Buffer.from([1])]), 'WIRE_ERR_MALFORMED', undefined],
    ['not a map', Buffer.from([0x93, 1, 2, 3]), 'WIRE_ERR_INVALID', '(message)'],
  ];
  const mutate = (f: (m: Record<string, unknown>) => void): Buffer => {
    const m = plainDecode(encodeRecord(fixtureVersion()), { useBigInt64: true }) as Record<string, unknown>;
    f(m);
    return Buffer.from(encodeWithPlain(m));
  };
  cases.push(['future version', mutate((m) => (m.v = 2)), 'WIRE_ERR_VERSION', 'v']);
  cases.push(['short digest', mutate((m) => (m.digest = new Uint8Array(3))), 'WIRE_ERR_INVALID', 'digest']);
  cases.push(['region 0', mutate((m) => (m.region = 0)), 'WIRE_ERR_INVALID', 'region']);
  cases.push(['lut as string', mutate((m) => (m.lut = '12')), 'WIRE_ERR_INVALID', 'lut']);
  cases.push(['unknown kind', mutate((m) => (m.kind = 'x')), 'WIRE_ERR_INVALID', 'kind']);
  cases.push(['bins in a tombstone', mutate((m) => (m.deleted = true)), 'WIRE_ERR_INVALID', 'bins']);
  cases.push(['long bin name', mutate((m) => ((m.bins as Record<string, unknown>)['a_very_long_bin_name'] = 1)), 'WIRE_ERR_INVALID', 'bins.a_very_long_bin_name']);
  cases.push(['missing ns', mutate((m) => delete m.ns), 'WIRE_ERR_INVALID', 'ns']);
  cases.push(['timestamp ext in a bin', mutate((m) => ((m.bins as Record<string, unknown>).when = new Date(0))), 'WIRE_ERR_INVALID', 'bins.when']);
  for (const [label, bytes, code, field] of cases) {
    assert.throws(() => decodeMessage(bytes), (err: unknown) => {
      assert.ok(isWireError(err), `${label}: ${String(err)}`);
      assert.equal(err.code, code, `${label}: ${err.message}`);
      if (field !== undefined) assert.equal(err.details.field, field, label);
      return true;
    });
  }
});


function encodeWithPlain(m: unknown): Uint8Array {
  return plainEncode(m, { useBigInt64: true });
}

const binValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((b) => b < -(2n ** 53n) || b > 2n ** 53n),
    fc.string(),
    fc.uint8Array({ maxLength: 16 }),
  ),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 3 })),
})).value;

const binName = fc.string({ minLength: 1, maxLength: 15 }).filter((s) => Buffer.byteLength(s) <= 15 && s !== '__proto__');

test('property: every valid version round-trips exactly', () => {
  const version = fc.record({
    ns: fc.string({ minLength: 1, maxLength: 31 }),
    set: fc.string({ maxLength: 63 }),
    digest: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    key: fc.option(fc.oneof(fc.string(), fc.maxSafeInteger(), fc.uint8Array({ maxLength: 8 })), { nil: undefined }),
    generation: fc.integer({ min: 1, max: 65535 }),
    voidTime: fc.integer({ min: 0, max: 2 ** 32 }),
    lut: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    region: fc.integer({ min: 1, max: 255 }),
    bins: fc.dictionary(binName, binValue, { maxKeys: 4 }),
    binLuts: fc.dictionary(binName, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxKeys: 4 }),
  });
  fc.assert(
    fc.property(version, (raw) => {
      const v = { ...raw, deleted: false } as RecordVersion;
      if (v.key === undefined) delete v.key;
      const out = decodeMessage(encodeRecord(v));
      assert.ok(out.kind === 'record');
      assert.deepEqual(toPlain(out.version), toPlain(v));
    }),
    { numRuns: 300 },
  );
});

test('encoded messages own their bytes (another Packr reusing msgpackr’s shared buffer cannot change them)', async () => {
  const { Packr } = await import('msgpackr');
  const other = new Packr({ useRecords: false });
  const scratch = Buffer.alloc(64 * 1024);
  // The engine's bin codec does this before each pack; our next pack then lands in `scratch` too.
  other.useBuffer(scratch);
  other.pack({ warm: 1 });
  const first = encodeRecord(fixtureVersion());
  const copy = Buffer.from(first);
  for (let i = 0; i < 5; i++) {
    other.useBuffer(scratch);
    other.pack({ filler: 'x'.repeat(500 + i) });
  }
  assert.ok(first.equals(copy));
});

test('a map bin of more than 65535 entries round-trips (map32 headers)', () => {
  const big: Record<string, number> = {};
  for (let i = 0; i < 70_000; i++) big[`k${i}`] = i;
  const v = { ...fixtureVersion(), bins: { big }, binLuts: { big: 1 } };
  delete v.counters;
  const out = decodeMessage(encodeRecord(v));
  assert.ok(out.kind === 'record');
  assert.equal(Object.keys(out.version.bins.big as object).length, 70_000);
});

test('an ordered list travels with its flag (an ext around its items), and nils inside lists and maps travel as nils', () => {
  const v: RecordVersion = {
    ...fixtureVersion(),
    bins: { o: orderedList([1, 2 ** 40, orderedList(['a', null])]), l: [null, { k: null }] },
    binLuts: {},
  };
  const out = decodeMessage(encodeRecord(v));
  assert.equal(out.kind, 'record');
  const bins = out.kind === 'record' ? out.version.bins : {};
  assert.ok(isOrderedList(bins.o) && isOrderedList((bins.o as BinValue[])[2]));
  assert.ok(!isOrderedList(bins.l));
  assert.equal(canonicalValue(bins as BinValue), canonicalValue(v.bins as BinValue));
  // Identical versions, identical bytes.
  assert.deepEqual(encodeRecord(out.kind === 'record' ? out.version : v), encodeRecord(v));
});

test('an ordered-list ext whose data is not one array is WIRE_ERR_MALFORMED', () => {
  const good = encodeRecord({ ...fixtureVersion(), bins: { o: orderedList([1]) }, binLuts: {} });
  // The ext's data is the packed array [1] (91 01); make it the integer 1 instead (one byte, 01).
  const at = good.indexOf(Buffer.from([0xd5, 0x4f, 0x91, 0x01]));
  assert.ok(at >= 0, 'the ext is written as fixext2 of type 0x4f');
  const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xd4, 0x4f, 0x01]), good.subarray(at + 4)]);
  assert.throws(() => decodeMessage(bad), (err) => isWireError(err) && err.code === 'WIRE_ERR_MALFORMED');
});
