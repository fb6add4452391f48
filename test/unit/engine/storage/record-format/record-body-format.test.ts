// The on-device record body: [bins, binLuts], [bins, binLuts, counters], and
// since dormant counters [bins, binLuts, counters | nil, dormantCounters].
// fixtures/records-before-dormant.bin was written by the build before dormant
// counters (record-body-fixture.ts lists what it holds): today's reader must
// read it, and today's writer must still write those records byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeBody, encodeBody } from '../../../../../engine/storage/record-format/bin-codec.js';
import { binsFast, bodyFast } from '../../../../../engine/storage/record-format/body-bins.js';
import { computeDigest, keyBytes, keyTypeOf } from '../../../../../engine/digest.js';
import {
  FLAG_HAS_KEY, FLAG_TOMBSTONE, HeaderStatus, alignUp, bodyIntact, bodyOf, newHeaderView, parseHeader, setNameOf, userKeyOf, writeRecord,
} from '../../../../../engine/storage/record-format/record-codec.js';
import { canonicalValue, isOrderedList, orderedList, type BinValue, type Bins, type CounterState } from '../../../../../record/index.js';
import { records } from './record-body-fixture.js';

const FIXTURE = readFileSync(new URL('./fixtures/records-before-dormant.bin', import.meta.url));

test('records written before dormant counters existed are read with every field', () => {
  const h = newHeaderView();
  let pos = 0;
  for (const r of records()) {
    assert.equal(parseHeader(FIXTURE, pos, FIXTURE.length, 1, h), HeaderStatus.Ok);
    assert.ok(bodyIntact(FIXTURE, h, pos));
    assert.deepEqual([h.generation, h.voidTime, h.lut, h.region, h.changeSeq, (h.flags & FLAG_TOMBSTONE) !== 0], [r.generation, r.voidTime, r.lut, r.region, r.changeSeq, r.deleted]);
    assert.equal(setNameOf(FIXTURE, h), r.set);
    assert.equal(userKeyOf(FIXTURE, h), r.key);
    const body = bodyOf(FIXTURE, h, pos);
    const expected: Record<string, unknown> = { bins: r.bins, binLuts: r.binLuts };
    if (r.counters !== undefined) expected.counters = r.counters;
    assert.deepEqual(body, expected);
    assert.equal(body.dormantCounters, undefined);
    const end = pos + h.totalBytes;
    assert.deepEqual(binsFast(FIXTURE, h.bodyStart, end), r.bins);
    const fast = bodyFast(FIXTURE, h.bodyStart, end);
    if (fast !== null) assert.deepEqual(fast, { bins: r.bins, binLuts: r.binLuts });
    pos += alignUp(h.totalBytes);
  }
  assert.equal(pos, FIXTURE.length);
});

test("today's writer still writes those records byte for byte", () => {
  const buf = Buffer.alloc(FIXTURE.length);
  let pos = 0;
  for (const r of records()) {
    const body = encodeBody(r.bins, r.binLuts, r.counters, r.dormantCounters);
    const flags = (r.deleted ? FLAG_TOMBSTONE : 0) | FLAG_HAS_KEY;
    const n = writeRecord(buf, pos, { changeSeq: r.changeSeq, generation: r.generation, voidTime: r.voidTime, lut: r.lut, region: r.region, flags },
      computeDigest(r.set, r.key), Buffer.from(r.set), keyTypeOf(r.key), keyBytes(r.key), body, 1);
    pos += alignUp(n);
  }
  assert.deepEqual(buf, FIXTURE);
});

test('dormant counters round-trip, with or without visible counters; the bins fast path reads such bodies', () => {
  const state = (p: number): CounterState => ({ base: 0, baseLut: 7, p: { '3': p }, n: {} });
  for (const counters of [undefined, { hits: state(2) }]) {
    const bins: Bins = counters === undefined ? { name: 'x' } : { name: 'x', hits: 2 };
    const binLuts = Object.fromEntries(Object.keys(bins).map((b) => [b, 9]));
    const dormant = { gone: state(5), left: state(1) };
    const bytes = Buffer.from(encodeBody(bins, binLuts, counters, dormant));
    assert.equal(bytes[0], 0x94);
    const body = decodeBody(bytes);
    assert.deepEqual(body.bins, bins);
    assert.deepEqual(body.counters, counters);
    assert.deepEqual(body.dormantCounters, dormant);
    assert.deepEqual(binsFast(bytes, 0, bytes.length), bins);
    // The fast body path is for bodies without counter state.
    assert.equal(bodyFast(bytes, 0, bytes.length), null);
  }
});

test('an ordered list keeps its flag through the stored body (nested, with nils and bytes), and nils inside lists and maps stay nils', () => {
  const inner = orderedList([null, 2, 'b']);
  const bins: Bins = { o: orderedList([1, 2 ** 60, new Uint8Array([7]), inner]), plain: [1, null, { k: null }], m: { a: null, l: orderedList([]) } };
  const body = decodeBody(Uint8Array.from(encodeBody(bins, { o: 1, plain: 1, m: 1 })));
  const o = body.bins.o as BinValue[];
  assert.ok(isOrderedList(o) && isOrderedList(o[3]) && isOrderedList((body.bins.m as Record<string, BinValue>).l));
  assert.ok(!isOrderedList(body.bins.plain));
  assert.deepEqual(canonicalValue(body.bins as BinValue), canonicalValue(bins as BinValue));
  // The get's fast path leaves the ext to msgpackr and gives the same bins.
  const encoded = Buffer.from(encodeBody(bins, { o: 1 }));
  assert.equal(binsFast(encoded, 0, encoded.length), null);
});
