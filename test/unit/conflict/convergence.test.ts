// Property tests: for every resolver, random histories of concurrent writes,
// deletes and increments at 2–3 regions, delivered in random order with
// duplicates, end in the identical record in every region. fast-check prints
// the seed and the shrunk history of any failure; replay with { seed, path }.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalValue,
  compareGeneration,
  compareLww,
  DELETE_HORIZON_BIN,
  binLww,
  generation,
  lww,
  wrapCustomResolver,
  type Resolver,
  type Version,
} from '../../../conflict/index.js';
import { historyArb, normalise, runHistory, type Created } from './sim.js';

const RUNS = 10_000;

function assertConverged(states: Array<Version | null>): void {
  const first = normalise(states[0]!);
  for (const s of states.slice(1)) assert.deepStrictEqual(normalise(s), first);
}

function maxBy(created: Created[], compare: (a: Version, b: Version) => number): Version {
  return created.map((c) => c.version).reduce((best, v) => (compare(v, best) > 0 ? v : best));
}

function convergesTo(resolver: Resolver, compare: (a: Version, b: Version) => number): void {
  fc.assert(
    fc.property(historyArb(), (h) => {
      const { states, created } = runHistory(h, resolver);
      if (created.length === 0) return;
      assertConverged(states);
      // A total order: every region holds the greatest version ever made.
      assert.deepStrictEqual(normalise(states[0]!), normalise(maxBy(created, compare)));
    }),
    { numRuns: RUNS },
  );
}

test('lww: every region ends with the lww-greatest version', () => {
  convergesTo(lww, compareLww);
});

test('lww: a delete is never resurrected by an older write', () => {
  fc.assert(
    fc.property(historyArb({ maxOps: 10 }), (h) => {
      const { states, created } = runHistory(h, lww);
      const deletes = created.filter((c) => c.version.deleted).map((c) => c.version.lut);
      if (deletes.length === 0) return;
      const final = states[0]!;
      assert.ok(final.deleted || final.lut > Math.max(...deletes), 'a live version older than a delete won');
    }),
    { numRuns: 2_000 },
  );
});

test('generation: every region ends with the generation-greatest version', () => {
  convergesTo(generation, compareGeneration);
});

test('custom (wrapped lww function): converges like lww', () => {
  const custom = wrapCustomResolver((local, incoming) => {
    if (local === null || compareLww(incoming, local) > 0) return { action: 'take-incoming', reason: 'applied' };
    return { action: 'keep-local', reason: 'older' };
  }, 'custom-lww');
  fc.assert(
    fc.property(historyArb(), (h) => {
      const { states, created } = runHistory(h, custom);
      if (created.length === 0) return;
      assertConverged(states);
      assert.deepStrictEqual(normalise(states[0]!), normalise(maxBy(created, compareLww)));
    }),
    { numRuns: RUNS },
  );
});

/** Epoch order of one bin's writes, as docs/conflict.md defines it: removal and 0 sort on top at a tie. */
function epochKey(value: unknown): string {
  return value === null || value === 0 ? '\uffff' : canonicalValue(value as never);
}

test('bin-lww: converges; each plain bin holds its newest write unless a later delete removed it', () => {
  fc.assert(
    fc.property(historyArb(), (h) => {
      const { states, created } = runHistory(h, binLww);
      if (created.length === 0) return;
      assertConverged(states);
      const final = states[0]!;
      const horizon = Math.max(0, ...created.filter((c) => c.op.t === 'delete').map((c) => c.version.lut));
      // No resurrection: every bin left is newer than every delete.
      if (!final.deleted) for (const name of Object.keys(final.bins)) assert.ok(final.binLuts[name]! > horizon, `bin ${name} survived an older delete`);
      // Bins a and b only see plain writes: the newest write of each, per bin, wins.
      for (const name of ['a', 'b']) {
        let best: { lut: number; key: string; value: unknown } | undefined;
        for (const c of created) {
          if (c.op.t !== 'write' || !Object.hasOwn(c.op.bins, name)) continue;
          const cand = { lut: c.version.lut, key: epochKey(c.op.bins[name]), value: c.op.bins[name] };
          if (!best || cand.lut > best.lut || (cand.lut === best.lut && cand.key > best.key)) best = cand;
        }
        const expected = best && best.lut > horizon && best.value !== null ? best.value : undefined;
        assert.deepStrictEqual(final.deleted ? undefined : final.bins[name], expected, `bin ${name}`);
      }
      // Counter bin c: the value is its epoch's base plus every increment made in that epoch.
      const state = final.counters?.c;
      if (!final.deleted && state !== undefined) {
        let sum = state.base;
        for (const c of created) {
          if (c.op.t !== 'incr') continue;
          const made = c.version.counters!.c!;
          if (made.baseLut === state.baseLut && made.base === state.base) sum += c.op.delta;
        }
        assert.equal(final.bins.c, sum, 'counter lost or double-counted an increment of its epoch');
      }
      assert.ok(!Object.hasOwn(final.bins, DELETE_HORIZON_BIN));
    }),
    { numRuns: RUNS },
  );
});

test('bin-lww counters: with no plain writes of the counter and no deletes, every region reaches the exact sum', () => {
  fc.assert(
    fc.property(historyArb({ plainWrites: false, deletes: false }), (h) => {
      const { states, created } = runHistory(h, binLww);
      assertConverged(states);
      const total = created.reduce((s, c) => s + (c.op.t === 'incr' ? c.op.delta : 0), 0);
      const increments = created.filter((c) => c.op.t === 'incr').length;
      if (increments > 0) assert.equal(states[0]!.bins.c, total);
    }),
    { numRuns: 3_000 },
  );
});
