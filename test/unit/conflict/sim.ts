/**
 * A deterministic simulation of 2–3 regions replicating one record: each
 * region stamps its local writes with its own hybrid logical clock, keeps its
 * own state, and applies remote versions in the order (and with the
 * duplicates) the generated history says. Every run is replayable from the
 * fast-check seed printed on failure.
 */
import fc from 'fast-check';
import { localDelete, localIncrement, localWrite, type Bins, type Resolver, type Version } from '../../../conflict/index.js';

export type SimOp =
  | { t: 'write'; r: number; wall: number; bins: Bins }
  | { t: 'delete'; r: number; wall: number }
  | { t: 'incr'; r: number; wall: number; bin: string; delta: number }
  | { t: 'deliver'; r: number; pick: number; dup: boolean };

export interface History {
  regionIds: number[];
  ops: SimOp[];
  /** Applied results are shipped on too (a route with forward, or a hub). */
  forward: boolean;
  shuffleSeed: number;
}

export interface Created {
  version: Version;
  op: SimOp;
}

interface Region {
  id: number;
  wall: number;
  last: number;
  state: Version | null;
  inbox: Version[];
}

export interface SimResult {
  states: Array<Version | null>;
  /** Versions made by local changes, in creation order. */
  created: Created[];
}

const DIGEST = new Uint8Array(20).fill(7);

const binValue = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom('x', 'y'), fc.constant(null));
const counterValue = fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constant(null));

function opArb(regions: number, opts: { plainWrites: boolean; deletes: boolean }): fc.Arbitrary<SimOp> {
  const r = fc.integer({ min: 0, max: regions - 1 });
  const wall = fc.integer({ min: 0, max: 6 });
  const writeBins = fc
    .record({ a: binValue, b: binValue, c: counterValue }, { requiredKeys: [] })
    .filter((bins) => Object.keys(bins).length > 0) as fc.Arbitrary<Bins>;
  const writeOtherBins = fc.record({ a: binValue, b: binValue }, { requiredKeys: ['a'] }) as fc.Arbitrary<Bins>;
  const choices: Array<fc.Arbitrary<SimOp>> = [
    fc.record({ t: fc.constant('write' as const), r, wall, bins: opts.plainWrites ? writeBins : writeOtherBins }),
    fc.record({ t: fc.constant('incr' as const), r, wall, bin: fc.constant('c'), delta: fc.integer({ min: -5, max: 9 }) }),
    fc.record({ t: fc.constant('deliver' as const), r, pick: fc.nat(), dup: fc.boolean() }),
    fc.record({ t: fc.constant('deliver' as const), r, pick: fc.nat(), dup: fc.boolean() }),
  ];
  if (opts.deletes) choices.push(fc.record({ t: fc.constant('delete' as const), r, wall }));
  return fc.oneof(...choices);
}

/** Histories of concurrent writes, deletes and increments with random delivery. */
export function historyArb(opts: { plainWrites?: boolean; deletes?: boolean; maxOps?: number } = {}): fc.Arbitrary<History> {
  const o = { plainWrites: opts.plainWrites ?? true, deletes: opts.deletes ?? true };
  return fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.record({
      regionIds: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
      ops: fc.array(opArb(n, o), { minLength: 1, maxLength: opts.maxOps ?? 14 }),
      forward: fc.boolean(),
      shuffleSeed: fc.integer(),
    }),
  );
}

/** mulberry32: a tiny seeded PRNG for the final delivery order. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runHistory(h: History, resolver: Resolver): SimResult {
  const regions: Region[] = h.regionIds.map((id) => ({ id, wall: 0, last: 0, state: null, inbox: [] }));
  const created: Created[] = [];
  const everything: Version[] = [];
  const ship = (from: Region, v: Version): void => {
    everything.push(v);
    for (const other of regions) if (other !== from) other.inbox.push(v);
  };
  const apply = (region: Region, v: Version): void => {
    // HLC receive rule: the clock never runs behind a timestamp it has seen.
    region.last = Math.max(region.last, v.lut);
    const d = resolver.resolve(region.state, v, { regionId: region.id });
    const next = d.action === 'take-incoming' ? v : d.action === 'merge' ? d.version : null;
    if (next === null) return;
    region.state = next;
    if (h.forward) ship(region, next);
  };
  for (const op of h.ops) {
    const region = regions[op.r]!;
    if (op.t === 'deliver') {
      if (region.inbox.length === 0) continue;
      const i = op.pick % region.inbox.length;
      const v = region.inbox[i]!;
      if (!op.dup) region.inbox.splice(i, 1);
      apply(region, v);
      continue;
    }
    // HLC send rule: physical part (wall, 4 logical steps per tick) or last + 1.
    region.wall = Math.max(region.wall, op.wall);
    const lut = Math.max(region.last + 1, region.wall * 4 + 1);
    region.last = lut;
    const change = { ns: 'test', set: 's', digest: DIGEST, lut, region: region.id };
    let v: Version;
    if (op.t === 'write') v = localWrite(region.state, op.bins, change);
    else if (op.t === 'delete') v = localDelete(region.state, change);
    else v = localIncrement(region.state, op.bin, op.delta, change);
    region.state = v;
    created.push({ version: v, op });
    ship(region, v);
  }
  // Drain: every region eventually receives every version ever shipped, in a random order, some twice.
  const random = prng(h.shuffleSeed);
  for (const region of regions) {
    const all = [...region.inbox, ...everything];
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    for (const v of all) {
      apply(region, v);
      if (random() < 0.2) apply(region, v);
    }
    region.inbox = [];
  }
  // Forwarding during the drain produced versions the regions drained earlier have not seen
  // (they are joins of versions every region has, so they must change nothing: deliver them too).
  const snapshot = [...everything];
  for (const region of regions) for (const v of snapshot) apply(region, v);
  return { states: regions.map((r) => r.state), created };
}

/** A structural form for deepStrictEqual: an empty counters map is no counters map. */
export function normalise(v: Version | null): unknown {
  if (v === null) return null;
  const { counters, ...rest } = v;
  const out: Record<string, unknown> = { ...rest, digest: Array.from(v.digest) };
  if (counters !== undefined && Object.keys(counters).length > 0) out.counters = counters;
  return out;
}
