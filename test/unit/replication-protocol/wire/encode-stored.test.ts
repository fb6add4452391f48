// The shipper's fast path (encodeRecordFromBody) must write exactly the bytes
// encodeRecord writes for the decoded version, or decline (null) so the caller
// takes the slow path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeRecord, encodeRecordFromBody, type RecordHead } from '../../../../replication-protocol/index.js';
import { decodeBody, encodeBody } from '../../../../engine/storage/record-format/bin-codec.js';
import { GeoJson, type Bins, type RecordVersion } from '../../../../record/index.js';
import { fixtureVersion } from './fixture.js';

function stored(bins: Bins, binLuts: Record<string, number>, counters?: RecordVersion['counters'], dormant?: RecordVersion['dormantCounters']): Uint8Array {
  // encodeBody's result lives in a reused buffer: copy it as the engine's device write does.
  return Uint8Array.from(encodeBody(bins, binLuts, counters, dormant));
}

function slowPath(head: RecordHead, body: Uint8Array): Buffer {
  const b = decodeBody(body);
  const v: RecordVersion = { ...head, bins: b.bins, binLuts: b.binLuts };
  if (b.counters !== undefined) v.counters = b.counters;
  if (b.dormantCounters !== undefined) v.dormantCounters = b.dormantCounters;
  return encodeRecord(v);
}

const head: RecordHead = (() => {
  const { bins: _b, binLuts: _l, counters: _c, ...rest } = fixtureVersion();
  return rest;
})();

const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.maxSafeInteger(),
  fc.constantFrom(2 ** 32, 2 ** 32 + 1, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53) + 1, 0, -0),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.uint8Array({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.string().map((text) => new GeoJson(text)),
);
const { bin } = fc.letrec((tie) => ({
  bin: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('bin'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('bin'), { maxKeys: 4 })),
}));
const binName = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('1', '10', 'a1', '__proto__', 'x'.repeat(40)));

test('the fast path writes encodeRecord bytes, or declines', () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.dictionary(binName, bin, { maxKeys: 6 }), fc.array(fc.maxSafeInteger(), { maxLength: 6 }), (bins, luts) => {
      const binLuts: Record<string, number> = {};
      Object.keys(bins).forEach((name, i) => (binLuts[name] = luts[i] ?? 2 ** 40 + i));
      const body = stored(bins as Bins, binLuts);
      const fast = encodeRecordFromBody(head, body);
      if (fast !== null) {
        taken++;
        assert.equal(fast.toString('hex'), slowPath(head, body).toString('hex'));
      }
    }),
    { numRuns: 2000 },
  );
  // Declining everything would pass the property trivially.
  assert.ok(taken > 200, `fast path taken ${taken} times of 2000`);
});

const anyHead = fc.record(
  {
    ns: fc.constantFrom('test', 'user_data'),
    set: fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })),
    digest: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    key: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ maxLength: 10, unit: 'grapheme' }), fc.maxSafeInteger(), fc.uint8Array({ maxLength: 30 })),
    generation: fc.oneof(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 1 })),
    voidTime: fc.oneof(fc.constant(0), fc.integer({ min: 0 }), fc.constantFrom(0xff, 0x100, 0xffff, 0x10000, 2 ** 32 - 1, 2 ** 32, 2 ** 40)),
    lut: fc.oneof(fc.maxSafeInteger(), fc.integer({ min: 0, max: 300 })),
    region: fc.integer({ min: -300, max: 300 }),
    deleted: fc.boolean(),
  },
  { requiredKeys: ['ns', 'set', 'digest', 'generation', 'voidTime', 'lut', 'region', 'deleted'] },
);

test('the hand-written metadata entries are what msgpackr writes (keys, integers of every width)', () => {
  fc.assert(
    fc.property(anyHead, (h) => {
      const body = stored({ a: 'x' }, { a: 2 ** 45 });
      const fast = encodeRecordFromBody(h as RecordHead, body);
      assert.ok(fast !== null);
      assert.equal(fast.toString('hex'), slowPath(h as RecordHead, body).toString('hex'));
    }),
    { numRuns: 2000 },
  );
});

test('a typical record takes the fast path (strings, small and 64-bit integers, bytes, nesting, real luts)', () => {
  const bins: Bins = { name: 'user-1', visits: 7, big: 2 ** 40, neg: -(2 ** 40), ratio: 0.5, blob: new Uint8Array([1, 2, 3]), tags: ['a', 'b'], addr: { city: 'Tokyo', zip: 1000001 }, nothing: null };
  const binLuts: Record<string, number> = {};
  for (const name of Object.keys(bins)) binLuts[name] = 1_795_552_825_125 * 65536 + 3;
  const body = stored(bins, binLuts);
  const fast = encodeRecordFromBody(head, body);
  assert.ok(fast !== null);
  assert.equal(fast.toString('hex'), slowPath(head, body).toString('hex'));
});

test('a tombstone (no bins) takes the fast path', () => {
  const body = stored({}, { gone: 5 });
  const fast = encodeRecordFromBody({ ...head, deleted: true }, body);
  assert.ok(fast !== null);
  assert.equal(fast.toString('hex'), slowPath({ ...head, deleted: true }, body).toString('hex'));
});

test('bodies it does not rewrite go to the slow path: counters, dormant counters, numeric-looking bin names, small bigints', () => {
  const counters = { hits: { base: 1, baseLut: 2, p: { '1': 3 }, n: {} } };
  assert.equal(encodeRecordFromBody(head, stored({ hits: 4 }, { hits: 2 }, counters)), null);
  assert.equal(encodeRecordFromBody(head, stored({ a: 'x' }, { a: 2 }, undefined, counters)), null);
  assert.equal(encodeRecordFromBody(head, stored({ hits: 4 }, { hits: 2 }, counters, { gone: counters.hits })), null);
  assert.equal(encodeRecordFromBody(head, stored({ '7': 'x' }, { '7': 2 })), null);
  assert.equal(encodeRecordFromBody(head, stored({ b: 5n }, { b: 2 })), null);
});

test('each result keeps its bytes while later records are written (results are cut from shared slabs)', () => {
  // ~3 MiB of output crosses several slabs, and a declined record in between must not disturb the others.
  const results: Array<{ fast: Buffer; expected: string }> = [];
  for (let i = 0; i < 3000; i++) {
    const bins: Bins = { name: `user-${i}`, payload: 'p'.repeat(i % 1500), n: i };
    const body = stored(bins, { name: i + 1, payload: i + 2, n: 2 ** 40 + i });
    const h = { ...head, generation: i + 1 };
    const fast = encodeRecordFromBody(h, body);
    assert.ok(fast !== null, `record ${i} takes the fast path`);
    results.push({ fast, expected: slowPath(h, body).toString('hex') });
    if (i % 100 === 0) assert.equal(encodeRecordFromBody(head, stored({ '7': 'x' }, { '7': 2 })), null);
  }
  results.forEach((r, i) => assert.equal(r.fast.toString('hex'), r.expected, `record ${i} after all the others`));
});

test('a body cut short or running past its end is declined, never read beyond the range', () => {
  const body = stored({ a: 'hello', b: 7 }, { a: 1, b: 2 });
  // The same bytes followed by others the transcoder must not take for part of the body.
  const padded = Uint8Array.from([...body, 0x81, 0xa1, 0x78, 0x01]);
  for (let end = 1; end < body.length; end++) assert.equal(encodeRecordFromBody(head, padded, 0, end), null, `body cut at ${end}`);
  const whole = encodeRecordFromBody(head, padded, 0, body.length);
  assert.ok(whole !== null);
  assert.equal(whole.toString('hex'), slowPath(head, body).toString('hex'));
});
