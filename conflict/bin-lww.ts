/**
 * bin-lww: merge two versions bin by bin (a join, so any delivery order and any
 * duplicates give the same record). Concurrent updates of different bins both
 * survive; counters keep every region's increments; a record delete removes
 * the bins it saw and keeps removing older ones arriving late (the horizon).
 */
import {
  binStateOf, canonicalVersion, counterValue, DELETE_HORIZON_BIN, deleteHorizon, joinBinStates, joinCountersInto, survivesHorizon, type BinState,
} from '../record/index.js';
import { assertSameRecord } from './pick.js';
import type { Bins, CounterState, Decision, HlcTimestamp, Resolver, Version } from './types.js';

function binNames(v: Version, into: Set<string>): void {
  for (const name of Object.keys(v.binLuts)) if (name !== DELETE_HORIZON_BIN) into.add(name);
  if (!v.deleted) for (const name of Object.keys(v.bins)) into.add(name);
}

/** (lut, region, voidTime) lexicographically: the side whose record-level metadata the merge keeps. */
function metaWinner(a: Version, b: Version): Version {
  if (a.lut !== b.lut) return a.lut > b.lut ? a : b;
  if (a.region !== b.region) return a.region > b.region ? a : b;
  return a.voidTime >= b.voidTime ? a : b;
}

/** The merged version of two versions of one record (a pure join). */
export function mergeVersions(a: Version, b: Version): Version {
  const horizon = Math.max(deleteHorizon(a), deleteHorizon(b));
  const names = new Set<string>();
  binNames(a, names);
  binNames(b, names);
  const bins: Bins = {};
  const binLuts: Record<string, HlcTimestamp> = {};
  const counters: Record<string, CounterState> = {};
  // Sorted so the merged objects have one key order everywhere (nicer to diff; equality ignores it).
  for (const name of [...names].sort()) {
    const sa = binStateOf(a, name);
    const sb = binStateOf(b, name);
    const state = (sa && sb ? joinBinStates(sa, sb) : (sa ?? sb)) as BinState;
    if (!survivesHorizon(state, horizon)) continue;
    binLuts[name] = state.lut;
    if (state.counter !== undefined) {
      counters[name] = state.counter;
      bins[name] = counterValue(state.counter);
    } else if (state.present) {
      bins[name] = state.value!;
    }
  }
  const deleted = Object.keys(bins).length === 0;
  const meta = metaWinner(a, b);
  const lut = meta.lut;
  // A tombstone whose lut is its horizon implies it; anything else records it when there is one.
  if (deleted ? horizon !== lut : horizon > 0) binLuts[DELETE_HORIZON_BIN] = horizon;
  const merged: Version = {
    ns: meta.ns,
    set: meta.set,
    digest: meta.digest,
    generation: Math.max(a.generation, b.generation),
    voidTime: meta.voidTime,
    lut,
    region: meta.region,
    deleted,
    bins,
    binLuts,
  };
  const key = meta.key ?? (meta === a ? b.key : a.key);
  if (key !== undefined) merged.key = key;
  if (Object.keys(counters).length > 0) merged.counters = counters;
  const dormant = joinDormant(a, b);
  if (dormant !== null) merged.dormantCounters = dormant;
  return merged;
}

/**
 * The dormant counter states of both sides, joined per name (a join of its
 * own, beside the bins'). bin-lww does not need them — its per-bin merge keeps
 * every counter a bin shows — but the engine's local rule makes them (a
 * delete keeps its counters dormant, for lww and generation), and carrying
 * their join keeps every region's stored version the same whatever the order.
 */
function joinDormant(a: Version, b: Version): Record<string, CounterState> | null {
  if (a.dormantCounters === undefined && b.dormantCounters === undefined) return null;
  const out: Record<string, CounterState> = {};
  if (a.dormantCounters !== undefined) joinCountersInto(out, a.dormantCounters);
  if (b.dormantCounters !== undefined) joinCountersInto(out, b.dormantCounters);
  const sorted: Record<string, CounterState> = {};
  for (const name of Object.keys(out).sort()) sorted[name] = out[name]!;
  return Object.keys(sorted).length > 0 ? sorted : null;
}

/**
 * Decides by comparing canonical encodings, falling back to normal forms (a
 * version merged with itself drops what no merge can use, e.g. bin luts at or
 * below a delete's horizon). So a region holding an engine-written version and
 * a region holding the same data as a merge output agree, and the raw incoming
 * version is stored whenever it already is the answer.
 */
export const binLww: Resolver = Object.freeze({
  name: 'bin-lww',
  resolve(local: Version | null, incoming: Version): Decision {
    assertSameRecord(local, incoming, 'bin-lww');
    if (local === null) return { action: 'take-incoming', reason: 'applied' };
    const localText = canonicalVersion(local);
    const incomingText = canonicalVersion(incoming);
    if (incomingText === localText) return { action: 'keep-local', reason: 'identical' };
    const merged = mergeVersions(local, incoming);
    const mergedText = canonicalVersion(merged);
    if (mergedText === localText) return { action: 'keep-local', reason: 'older' };
    if (mergedText === incomingText) return { action: 'take-incoming', reason: 'applied' };
    // Slow path, only for a true merge or a version carrying redundant metadata.
    const localNormal = canonicalVersion(mergeVersions(local, local));
    const incomingNormal = canonicalVersion(mergeVersions(incoming, incoming));
    if (localNormal === incomingNormal) return { action: 'keep-local', reason: 'identical' };
    if (mergedText === localNormal) return { action: 'keep-local', reason: 'older' };
    if (mergedText === incomingNormal) return { action: 'take-incoming', reason: 'applied' };
    return { action: 'merge', reason: 'merged', version: merged };
  },
});
