// The engine has two write paths for bins, put (operations/record-rules.ts) and operate
// (operations/operate.ts), and one delete (tombstoneFor); all three are built on record/'s
// local-update rule. This test plays random local histories through them and
// requires (1) identical versions from put and from operate write steps, and
// (2) that no increment is ever dropped or counted twice: for every bin, the
// counter state the record holds (visible or dormant) has, in its epoch,
// exactly the increments each region made in that epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { counterStatesOf, counterValue, sameCounterEpoch, type BinValue, type Bins, type CounterState, type RecordVersion } from '../../../../record/index.js';
import { del, operate, put } from '../../../helpers/local-writes.js';

type Step =
  | { kind: 'write'; bins: Bins; replace: boolean }
  | { kind: 'incr'; bin: string; delta: number }
  | { kind: 'delete' };

const binName = fc.constantFrom('a', 'b', 'c');
const value: fc.Arbitrary<BinValue> = fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(null, 'text'));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), bins: fc.dictionary(binName, value, { minKeys: 1, maxKeys: 3 }), replace: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('incr' as const), bin: binName, delta: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -5, max: 5, noNaN: true })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
);

const digest = new Uint8Array(20);

function attempt<T>(fn: () => T): T | 'error' {
  try {
    return fn();
  } catch {
    return 'error';
  }
}

/** Increments booked per bin and epoch, per region, in the order they were made (p and n apart, as CounterState sums them). */
interface Booked {
  epoch: CounterState;
  p: Record<string, number>;
  n: Record<string, number>;
}

function book(booked: Map<string, Booked[]>, bin: string, made: CounterState, region: number, delta: number): void {
  const list = booked.get(bin) ?? [];
  booked.set(bin, list);
  let entry = list.find((b) => sameCounterEpoch(b.epoch, made));
  if (entry === undefined) list.push((entry = { epoch: made, p: {}, n: {} }));
  const r = String(region);
  if (delta >= 0) entry.p[r] = (entry.p[r] ?? 0) + delta;
  else entry.n[r] = (entry.n[r] ?? 0) - delta;
}

function checkInvariants(v: RecordVersion, booked: Map<string, Booked[]>): void {
  for (const [name, c] of Object.entries(v.counters ?? {})) {
    assert.ok(Object.hasOwn(v.bins, name), `counter ${name} without its bin`);
    // == compares a number and a bigint by value.
    assert.ok(counterValue(c) == v.bins[name], `counter ${name} does not stand for its bin`);
  }
  for (const [name, k] of Object.entries(counterStatesOf(v) ?? {})) {
    const entry = booked.get(name)?.find((b) => sameCounterEpoch(b.epoch, k));
    assert.deepEqual({ p: k.p, n: k.n }, { p: entry?.p ?? {}, n: entry?.n ?? {} }, `bin ${name}: the increments of its epoch`);
  }
}

test('property: put and operate write the same versions; every increment stays counted in its epoch', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(step, fc.integer({ min: 1, max: 3 })), { maxLength: 40 }), (history) => {
      let viaPut: RecordVersion | null = null;
      let viaOperate: RecordVersion | null = null;
      const booked = new Map<string, Booked[]>();
      let lut = 1000;
      for (const [s, region] of history) {
        lut += 1 + (s.kind === 'incr' ? 0 : 3);
        const at = { digest, lut, region };
        if (s.kind === 'delete') {
          viaPut = del(viaPut, at);
          viaOperate = del(viaOperate, at);
        } else if (s.kind === 'write') {
          const policy = s.replace ? { exists: 'create-or-replace' as const } : {};
          const p = attempt(() => put(viaPut, s.bins, at, policy));
          const ops = Object.entries(s.bins).map(([bin, v]) => ({ op: 'write' as const, bin, value: v }));
          const o = attempt(() => operate(viaOperate, ops, at, policy));
          assert.equal(p === 'error', o === 'error');
          if (p === 'error' || o === 'error') continue;
          // An operate that leaves an absent record without bins stores nothing; a put stores a tombstone (both delete nothing).
          if (o === viaOperate && p.deleted) continue;
          // Operate replace keeps the bins it writes as they are (a number written to a counter bin opens an epoch);
          // put replace writes plain bins. Both keep every ended counter state dormant; compare what is shared.
          if (s.replace) {
            assert.deepEqual(p.bins, o!.bins);
            viaOperate = o;
            viaPut = o;
          } else {
            assert.deepEqual(p, o);
            viaPut = p;
            viaOperate = o;
          }
        } else {
          const o = attempt(() => operate(viaOperate, [{ op: 'incr', bin: s.bin, value: s.delta }], at));
          if (o === 'error') continue;
          viaOperate = o;
          viaPut = o;
          book(booked, s.bin, o!.counters![s.bin]!, region, s.delta);
        }
        if (viaOperate !== null) checkInvariants(viaOperate, booked);
      }
    }),
    { numRuns: 600 },
  );
});
