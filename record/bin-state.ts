/**
 * The per-bin view merges work on: each bin of a version is a state inside an
 * epoch (the plain write, removal or delete that set its base value). The join
 * of two states is the greater epoch whole, or within one epoch the union of
 * what both know. docs/conflict.md has the table this file implements. Counter
 * states are joined by the same epoch order (joinCounterStates), so a counter
 * kept apart from its bin and the bin itself always agree on which epoch is newer.
 */
import { canonicalValue, compareStrings } from './canonical.js';
import { mergeSameEpoch } from './counter.js';
import type { BinValue, CounterState, HlcTimestamp, RecordVersion } from './types.js';

/**
 * Epoch value of an absent bin and of the number 0: one epoch, so an increment
 * on a removed bin joins the removal's epoch. U+FFFF sorts above every
 * canonical encoding (they start with an ASCII tag), so a removal wins a tie.
 */
const ZERO_OR_ABSENT = '\uffff';

export interface BinState {
  /** binLuts[name]: the last change of the bin. */
  lut: HlcTimestamp;
  epochLut: HlcTimestamp;
  /** The epoch's base value (a counter's base, a plain value, or undefined when absent). */
  epochBase: BinValue | undefined;
  /** The base is absent or zero: the top of its lut (see ZERO_OR_ABSENT). */
  epochZero: boolean;
  present: boolean;
  /** The plain value when present and not a counter. */
  value: BinValue | undefined;
  counter: CounterState | undefined;
}

function isZeroOrAbsent(value: BinValue | undefined): boolean {
  return value === undefined || value === null || value === 0 || value === 0n;
}

/** Canonical text of an epoch base; computed only when two epochs share a lut. */
function epochText(state: BinState): string {
  return state.epochZero ? ZERO_OR_ABSENT : canonicalValue(state.epochBase);
}

/** The state of bin `name` in `v`, or undefined when `v` knows nothing of it. */
export function binStateOf(v: RecordVersion, name: string): BinState | undefined {
  const hasLut = Object.hasOwn(v.binLuts, name);
  const present = !v.deleted && Object.hasOwn(v.bins, name);
  // A bin without its own lut (not written by our engine) dates from the record's lut.
  const lut = hasLut ? v.binLuts[name]! : v.lut;
  if (!present) {
    if (!hasLut) return undefined;
    return { lut, epochLut: lut, epochBase: undefined, epochZero: true, present: false, value: undefined, counter: undefined };
  }
  const counter = v.counters !== undefined && Object.hasOwn(v.counters, name) ? v.counters[name] : undefined;
  if (counter !== undefined) {
    return { lut, epochLut: counter.baseLut, epochBase: counter.base, epochZero: isZeroOrAbsent(counter.base), present: true, value: undefined, counter };
  }
  const value = v.bins[name];
  return { lut, epochLut: lut, epochBase: value, epochZero: isZeroOrAbsent(value), present: true, value, counter: undefined };
}

function compareEpochs(a: BinState, b: BinState): number {
  if (a.epochLut !== b.epochLut) return a.epochLut > b.epochLut ? 1 : -1;
  if (a.epochZero || b.epochZero) return a.epochZero === b.epochZero ? 0 : a.epochZero ? 1 : -1;
  // The common case, a duplicate: the same primitive (or object) needs no encoding.
  if (a.epochBase === b.epochBase) return 0;
  return compareStrings(epochText(a), epochText(b));
}

/** The join of two states of one bin: commutative, associative, idempotent. */
export function joinBinStates(a: BinState, b: BinState): BinState {
  const order = compareEpochs(a, b);
  if (order > 0) return a;
  if (order < 0) return b;
  let counter = a.counter ?? b.counter;
  if (a.counter !== undefined && b.counter !== undefined) counter = mergeSameEpoch(a.counter, b.counter);
  const present = a.present || b.present;
  // Same epoch value, so present plain values are equal, except in the zero class (0, 0n, absent):
  // there the larger canonical text wins, so the pick does not depend on argument order.
  let value: BinValue | undefined;
  if (counter === undefined && present) {
    if (!a.present) value = b.value;
    else if (!b.present) value = a.value;
    else value = compareStrings(canonicalValue(a.value), canonicalValue(b.value)) >= 0 ? a.value : b.value;
  }
  return { lut: Math.max(a.lut, b.lut), epochLut: a.epochLut, epochBase: a.epochBase, epochZero: a.epochZero, present, value, counter };
}

/**
 * Whether a state outlives a record delete at `horizon`: its epoch is newer, or
 * it is a counter incremented in the epoch the delete itself opened (base 0 at
 * the horizon). A plain write at exactly the horizon loses — the delete wins the
 * tie — even one of 0 to a counter bin, whose state then has no contributions.
 */
export function survivesHorizon(state: BinState, horizon: HlcTimestamp): boolean {
  if (state.epochLut > horizon) return true;
  if (state.epochLut !== horizon || !state.epochZero || state.counter === undefined) return false;
  return Object.keys(state.counter.p).length > 0 || Object.keys(state.counter.n).length > 0;
}

/**
 * A counter state as a bin state of its own epoch: present, dated by the
 * epoch's start (a counter kept apart from its bin has no bin lut).
 */
export function counterBinState(counter: CounterState): BinState {
  return {
    lut: counter.baseLut, epochLut: counter.baseLut, epochBase: counter.base, epochZero: isZeroOrAbsent(counter.base),
    present: true, value: undefined, counter,
  };
}

/** The state of a bin that the record delete at `horizon` removed (for a version that knows nothing else of it). */
export function removedAtHorizon(horizon: HlcTimestamp): BinState {
  return { lut: horizon, epochLut: horizon, epochBase: undefined, epochZero: true, present: false, value: undefined, counter: undefined };
}

/** Whether two counter states belong to one epoch (then mergeSameEpoch joins them). */
export function sameCounterEpoch(a: CounterState, b: CounterState): boolean {
  return compareEpochs(counterBinState(a), counterBinState(b)) === 0;
}

/** The join of two counter states: the greater epoch whole, or within one epoch the max per region. */
export function joinCounterStates(a: CounterState, b: CounterState): CounterState {
  if (a === b) return a;
  const order = compareEpochs(counterBinState(a), counterBinState(b));
  if (order > 0) return a;
  if (order < 0) return b;
  return mergeSameEpoch(a, b);
}
