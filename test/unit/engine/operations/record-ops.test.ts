import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeDigest } from '../../../../engine/digest.js';
import { isEngineError } from '../../../../engine/errors.js';
import { nextVersionForPut, tombstoneFor, touchedVersion, voidTimeFor, metaView, type WriteContext } from '../../../../engine/operations/record-rules.js';
import { DELETE_HORIZON_BIN } from '../../../../record/index.js';
import type { Bins, RecordVersion } from '../../../../record/index.js';

const ctx = (lut: number): WriteContext => ({ ns: 'n', set: 's', digest: computeDigest('s', 'k'), key: 'k', lut, region: 2, counterContributor: '2', nowSec: 1000, defaultTtlSec: 0 });

test('ttl rules: 0 → namespace default, -1 → never, n → now + n', () => {
  assert.equal(voidTimeFor(0, { nowSec: 1000, defaultTtlSec: 0 }), 0);
  assert.equal(voidTimeFor(undefined, { nowSec: 1000, defaultTtlSec: 60 }), 1060);
  assert.equal(voidTimeFor(-1, { nowSec: 1000, defaultTtlSec: 60 }), 0);
  assert.equal(voidTimeFor(5, { nowSec: 1000, defaultTtlSec: 60 }), 1005);
  assert.throws(() => voidTimeFor(-5, { nowSec: 1000, defaultTtlSec: 0 }), (e) => isEngineError(e, 'ENGINE_ERR_INVALID_ARGUMENT'));
  assert.equal(metaView({ generation: 1, voidTime: 0, lut: 1, region: 1 }, 5).ttl, -1);
  assert.equal(metaView({ generation: 1, voidTime: 1005, lut: 1, region: 1 }, 1000).ttl, 5);
});

test('a put on a tombstone starts fresh bins but keeps counting generations', () => {
  const live = nextVersionForPut(null, { a: 1, b: 2 }, {}, ctx(100));
  const tomb = tombstoneFor(live, 200, 2);
  assert.equal(tomb.deleted, true);
  assert.equal(tomb.generation, 2);
  const again = nextVersionForPut(tomb, { c: 3 }, { exists: 'create' }, ctx(300));
  assert.deepEqual(again.bins, { c: 3 });
  // The tombstone's horizon is carried as an explicit entry (docs/conflict.md, the local update rule).
  assert.deepEqual(again.binLuts, { c: 300, [DELETE_HORIZON_BIN]: 200 });
  assert.equal(again.generation, 3);
});

test('a plain write of a counter bin starts a new counter epoch', () => {
  const v: RecordVersion = { ...nextVersionForPut(null, { c: 5 }, {}, ctx(100)), counters: { c: { base: 0, baseLut: 0, p: { '1': 5 }, n: {} } } };
  const next = nextVersionForPut(v, { c: 7 }, {}, ctx(200));
  assert.deepEqual(next.counters, { c: { base: 7, baseLut: 200, p: {}, n: {} } });
  const toString = nextVersionForPut(v, { c: 'x' }, {}, ctx(200));
  assert.equal(toString.counters, undefined);
});

test('removing the last bin leaves a tombstone that keeps the old horizon', () => {
  const v = nextVersionForPut(null, { a: 1 }, {}, ctx(100));
  const empty = nextVersionForPut(v, { a: null }, {}, ctx(200));
  assert.equal(empty.deleted, true);
  assert.deepEqual(empty.binLuts, { a: 200, [DELETE_HORIZON_BIN]: 0 });
  const nothing = nextVersionForPut(null, { a: null }, {}, ctx(300));
  assert.equal(nothing.deleted, true);
  assert.equal(nothing.binLuts[DELETE_HORIZON_BIN], 0);
});

test('touch changes only generation, lut, region and voidTime', () => {
  const v = nextVersionForPut(null, { a: 1 }, { ttl: 10 }, ctx(100));
  const t = touchedVersion(v, 50, { lut: 200, region: 3, nowSec: 1000, defaultTtlSec: 0 });
  assert.deepEqual({ ...t, generation: v.generation, lut: v.lut, region: v.region, voidTime: v.voidTime }, v);
  assert.equal(t.voidTime, 1050);
});

test('property: a sequence of upserts merges like Object.assign with null removal, and binLuts name every bin ever written', () => {
  const binName = fc.constantFrom('a', 'b', 'c', 'd');
  const binsArb = fc.dictionary(binName, fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 4 }) as fc.Arbitrary<Bins>;
  fc.assert(fc.property(fc.array(binsArb, { minLength: 1, maxLength: 20 }), (writes) => {
    let current: RecordVersion | null = null;
    const model: Record<string, unknown> = {};
    const written = new Set<string>();
    let lut = 1;
    for (const w of writes) {
      current = nextVersionForPut(current, w, {}, ctx(++lut));
      for (const [k, val] of Object.entries(w)) {
        written.add(k);
        if (val === null) delete model[k];
        else model[k] = val;
      }
      assert.ok(Object.values(current.binLuts).every((l) => l <= lut));
    }
    assert.deepEqual(current!.bins, model);
    const named = new Set(Object.keys(current!.binLuts));
    named.delete(DELETE_HORIZON_BIN);
    assert.deepEqual(named, written);
    assert.equal(current!.deleted, Object.keys(model).length === 0);
    assert.equal(current!.generation, writes.length);
  }));
});
