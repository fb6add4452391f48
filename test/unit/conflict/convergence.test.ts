// The seeded multi-region simulation (sim.ts: real engines, the real shipper
// preparation and receiver path between them) under every resolver: random
// histories of concurrent writes, increments and deletes at 2–3 regions,
// shipped with crashes and delivered in any order with duplicates, end in the
// identical record in every region, and every counter holds exactly the
// acknowledged increments of its epoch. fast-check prints the seed and the
// shrunk history of any failure; replay with { seed, path }.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  binLww, canonicalValue, canonicalVersion, compareGeneration, compareLww, generation, lww, wrapCustomResolver, type Resolver, type Version,
} from '../../../conflict/index.js';
import { DELETE_HORIZON_BIN, counterStatesOf, counterValue, sameCounterEpoch } from '../../../record/index.js';
import { COUNTER_BIN, SimWorld, historyArb, type Made } from './sim.js';

const RUNS = Number(process.env.XDRGATE_SIM_RUNS ?? 300);
const world = new SimWorld();
after(() => world.close());

function assertConverged(states: Array<Version | null>): Version {
  assert.ok(states[0] !== null, 'a region holds nothing');
  const first = canonicalVersion(states[0]!);
  for (const s of states.slice(1)) assert.equal(s === null ? 'null' : canonicalVersion(s), first, 'regions differ');
  return states[0]!;
}

function maxBy(made: Made[], compare: (a: Version, b: Version) => number): Version {
  return made.map((m) => m.version).reduce((best, v) => (compare(v, best) > 0 ? v : best));
}

/**
 * The counter's joined state (visible or dormant) holds exactly the increments
 * acknowledged in its epoch: its value is its base plus their sum.
 */
function assertCounterSums(final: Version, made: Made[]): void {
  const k = counterStatesOf(final)?.[COUNTER_BIN];
  if (k === undefined) return;
  let sum = k.base;
  for (const m of made) {
    if (m.op.t !== 'incr') continue;
    const booked = m.version.counters?.[COUNTER_BIN];
    assert.ok(booked !== undefined, 'an acknowledged increment left no counter state');
    if (sameCounterEpoch(booked, k)) sum += m.op.delta;
  }
  assert.equal(counterValue(k), sum, 'the counter lost or double-counted an acknowledged increment of its epoch');
  // A counter the record shows is that joined state.
  if (!final.deleted && final.counters?.[COUNTER_BIN] !== undefined) assert.deepEqual(final.counters[COUNTER_BIN], k);
}

const pickResolvers: Array<[Resolver, (a: Version, b: Version) => number]> = [
  [lww, compareLww],
  [generation, compareGeneration],
];

for (const [resolver, compare] of pickResolvers) {
  test(`${resolver.name}: converges; the resolver's pick decides every bin but the counter, which holds its epoch's increments`, async () => {
    await fc.assert(
      fc.asyncProperty(historyArb(), async (h) => {
        const { states, made } = await world.run(h, resolver);
        if (made.length === 0) return;
        const final = assertConverged(states);
        const w = maxBy(made, compare);
        // The picked version's identity and its plain bins.
        assert.deepEqual([final.lut, final.region, final.generation, final.deleted], [w.lut, w.region, w.generation, w.deleted]);
        for (const name of ['a', 'b']) assert.deepEqual(final.deleted ? undefined : final.bins[name], w.deleted ? undefined : w.bins[name], `bin ${name}`);
        assertCounterSums(final, made);
      }),
      { numRuns: RUNS },
    );
  });

  test(`${resolver.name}: without resets (no writes of the counter bin, no deletes) every region holds the exact sum of all increments`, async () => {
    await fc.assert(
      fc.asyncProperty(historyArb({ counterWrites: false, deletes: false }), async (h) => {
        const { states, made } = await world.run(h, resolver);
        const increments = made.filter((m) => m.op.t === 'incr');
        if (increments.length === 0) return;
        const final = assertConverged(states);
        const total = increments.reduce((s, m) => s + (m.op.t === 'incr' ? m.op.delta : 0), 0);
        assert.equal(final.bins[COUNTER_BIN], total);
      }),
      { numRuns: RUNS },
    );
  });
}

/** Epoch order of one bin's writes, as docs/conflict.md defines it: removal and 0 sort on top at a tie. */
function epochKey(value: unknown): string {
  return value === null || value === 0 ? '\uffff' : canonicalValue(value as never);
}

test('bin-lww: converges; each plain bin holds its newest write unless a later delete removed it; counters hold their epoch', async () => {
  await fc.assert(
    fc.asyncProperty(historyArb(), async (h) => {
      const { states, made } = await world.run(h, binLww);
      if (made.length === 0) return;
      const final = assertConverged(states);
      const horizon = Math.max(0, ...made.filter((m) => m.op.t === 'delete').map((m) => m.version.lut));
      if (!final.deleted) for (const name of Object.keys(final.bins)) assert.ok(final.binLuts[name]! > horizon || final.binLuts[name] === horizon, `bin ${name} survived an older delete`);
      // Bins a and b only see plain writes; what a write did to one (wrote it, or removed it, a replacing put
      // included) is read from the version it made: the bin's lut is then the version's.
      for (const name of ['a', 'b']) {
        let best: { lut: number; key: string; value: unknown } | undefined;
        for (const m of made) {
          const v = m.version;
          if (m.op.t !== 'write' || v.binLuts[name] !== v.lut) continue;
          const value = !v.deleted && Object.hasOwn(v.bins, name) ? v.bins[name] : null;
          const cand = { lut: v.lut, key: epochKey(value), value };
          if (!best || cand.lut > best.lut || (cand.lut === best.lut && cand.key > best.key)) best = cand;
        }
        const expected = best && best.lut > horizon && best.value !== null ? best.value : undefined;
        assert.deepEqual(final.deleted ? undefined : final.bins[name], expected, `bin ${name}`);
      }
      const shown = final.counters?.[COUNTER_BIN];
      if (!final.deleted && shown !== undefined) {
        let sum = shown.base;
        for (const m of made) {
          if (m.op.t === 'incr' && sameCounterEpoch(m.version.counters![COUNTER_BIN]!, shown)) sum += m.op.delta;
        }
        assert.equal(final.bins[COUNTER_BIN], sum, 'counter lost or double-counted an increment of its epoch');
      }
      assert.ok(!Object.hasOwn(final.bins, DELETE_HORIZON_BIN));
    }),
    { numRuns: RUNS },
  );
});

test('bin-lww: without resets every region holds the exact sum of all increments', async () => {
  await fc.assert(
    fc.asyncProperty(historyArb({ counterWrites: false, deletes: false }), async (h) => {
      const { states, made } = await world.run(h, binLww);
      const increments = made.filter((m) => m.op.t === 'incr');
      if (increments.length === 0) return;
      const final = assertConverged(states);
      assert.equal(final.bins[COUNTER_BIN], increments.reduce((s, m) => s + (m.op.t === 'incr' ? m.op.delta : 0), 0));
    }),
    { numRuns: RUNS },
  );
});

test('custom (a wrapped function that picks by lww, ignoring counters): converges to the greatest version', async () => {
  const custom = wrapCustomResolver((local, incoming) => {
    if (local === null || compareLww(incoming, local) > 0) return { action: 'take-incoming', reason: 'applied' };
    return { action: 'keep-local', reason: 'older' };
  }, 'custom-lww');
  await fc.assert(
    fc.asyncProperty(historyArb({ maxOps: 16 }), async (h) => {
      const { states, made } = await world.run(h, { name: 'custom', resolve: custom.resolve });
      if (made.length === 0) return;
      const final = assertConverged(states);
      assert.equal(canonicalVersion(final), canonicalVersion(maxBy(made, compareLww)));
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});
