/**
 * Counters under the resolvers that pick a whole version (lww, generation):
 * counter bins merge as counters, everything else follows the pick.
 *
 * The state of a record is a pair (W, K): W, the version the resolver's total
 * order picks; K, per bin name, the join of every counter state either side
 * holds, visible or dormant (record/'s joinCounterStates: the greater epoch
 * wins whole, one epoch takes the max per region). Both parts are joins, so the
 * pair is one: any delivery order and any duplicates give the same pair.
 *
 * The stored version renders the pair (render below): W's metadata and
 * non-counter bins, each counter bin as the join of W's state of it with K,
 * and what no bin shows as dormant counters. A rendered version stands in for
 * its W in later merges (W's own state joined with K, joined again with a
 * larger K, is W's state joined with the larger K), so nothing else is kept.
 * docs/conflict.md, "Counters under lww and generation", states the rule.
 */
import {
  binStateOf, canonicalVersion, counterBinState, counterStatesOf, counterValue, deleteHorizon, defineOwn, joinBinStates, joinCountersInto,
  removedAtHorizon, survivesHorizon, type BinState, type CounterState,
} from '../record/index.js';
import type { Decision, Version } from './types.js';

/** The join of the counter states of both versions, or null when neither holds any. */
function counterJoin(a: Version, b: Version): Record<string, CounterState> | null {
  const ka = counterStatesOf(a);
  if (a === b) return ka;
  const kb = counterStatesOf(b);
  if (ka === null) return kb;
  if (kb !== null) joinCountersInto(ka, kb);
  return ka;
}

function sortedCopy(k: Record<string, CounterState>): Record<string, CounterState> {
  const out: Record<string, CounterState> = {};
  for (const name of Object.keys(k).sort()) defineOwn(out, name, k[name]!);
  return out;
}

/**
 * The version standing for (w, k). A tombstone shows no bins and keeps all of
 * k dormant. A live version shows, for each name of k, the join of its own
 * state of the bin (or, when it knows nothing of it, the removal its delete
 * horizon implies) with k's: when that is a present counter that outlives the
 * horizon, the bin shows the counter; otherwise the bin stays as w has it and
 * k's state is kept dormant.
 */
export function renderWithCounters(w: Version, k: Record<string, CounterState>): Version {
  const out: Version = { ...w };
  delete out.counters;
  delete out.dormantCounters;
  if (w.deleted) {
    if (Object.keys(k).length > 0) out.dormantCounters = sortedCopy(k);
    return out;
  }
  const horizon = deleteHorizon(w);
  const bins = { ...w.bins };
  const binLuts = { ...w.binLuts };
  const counters: Record<string, CounterState> = {};
  const dormant: Record<string, CounterState> = {};
  for (const name of Object.keys(k).sort()) {
    const kept = k[name]!;
    let own: BinState | undefined = binStateOf(w, name);
    if (own === undefined && horizon > 0) own = removedAtHorizon(horizon);
    const joined = own === undefined ? counterBinState(kept) : joinBinStates(own, counterBinState(kept));
    if (joined.counter !== undefined && joined.present && survivesHorizon(joined, horizon)) {
      defineOwn(bins, name, counterValue(joined.counter));
      defineOwn(binLuts, name, joined.lut);
      defineOwn(counters, name, joined.counter);
    } else {
      // The bin stays as w has it (a counter of w that does not outlive w's own horizon stays too).
      if (w.counters !== undefined && Object.hasOwn(w.counters, name)) defineOwn(counters, name, w.counters[name]!);
      defineOwn(dormant, name, kept);
    }
  }
  out.bins = bins;
  out.binLuts = binLuts;
  if (Object.keys(counters).length > 0) out.counters = counters;
  if (Object.keys(dormant).length > 0) out.dormantCounters = dormant;
  return out;
}

/** The merge of two versions under the total order `compare` (> 0 when its first argument wins). */
export function mergeCounting(a: Version, b: Version, compare: (x: Version, y: Version) => number): Version {
  const w = compare(a, b) >= 0 ? a : b;
  const k = counterJoin(a, b);
  return k === null ? w : renderWithCounters(w, k);
}

/**
 * Decides as bin-lww does, by canonical encodings: the raw incoming version is
 * stored whenever it already is the answer (so regions end up byte-identical),
 * the local one kept when it is; normal forms (a version merged with itself,
 * which folds redundant dormant states into the counters that show them) settle
 * versions that say the same thing in different words.
 */
export function resolveCounting(local: Version, incoming: Version, compare: (x: Version, y: Version) => number): Decision {
  const localText = canonicalVersion(local);
  const incomingText = canonicalVersion(incoming);
  if (incomingText === localText) return { action: 'keep-local', reason: 'identical' };
  const merged = mergeCounting(local, incoming, compare);
  const mergedText = canonicalVersion(merged);
  if (mergedText === localText) return { action: 'keep-local', reason: 'older' };
  if (mergedText === incomingText) return { action: 'take-incoming', reason: 'applied' };
  const localNormal = canonicalVersion(mergeCounting(local, local, compare));
  const incomingNormal = canonicalVersion(mergeCounting(incoming, incoming, compare));
  if (localNormal === incomingNormal) return { action: 'keep-local', reason: 'identical' };
  if (mergedText === localNormal) return { action: 'keep-local', reason: 'older' };
  if (mergedText === incomingNormal) return { action: 'take-incoming', reason: 'applied' };
  return { action: 'merge', reason: 'merged', version: merged };
}
