/**
 * Local updates of convergent counter bins (CounterState in types.ts), the
 * engine's mirror of the rule docs/conflict.md defines (engine/ may not import
 * conflict/, so the rule is implemented twice and tested against the same
 * examples). A counter is a PN-counter per region inside an epoch; a plain write
 * of the bin opens a new epoch whose base is the written value.
 *
 *   value = base + Σ p[r] − Σ n[r], each sum taken in ascending region-id order
 *   so that floating-point rounding is identical in every region.
 *
 * test/unit/engine/ops/counter-parity.test.ts checks these functions against
 * conflict/'s (tests may import both folders; engine code may not).
 *
 * Integers stay exact while every part is a safe integer (the sum is done in
 * bigint); CounterState holds numbers, so contributions past ±2^53 round.
 */
import type { BinValue, CounterState, HlcTimestamp } from '../types.js';
import { inInt64Range, normaliseInteger } from './values.js';

/**
 * The binLuts entry that carries a record's delete horizon (docs/conflict.md).
 * 18 bytes, longer than any bin name may be, so it never clashes with a bin.
 */
export const DELETE_HORIZON_BIN = '!record-deleted-at';

function sortedRegions(parts: Record<string, number>): string[] {
  return Object.keys(parts).sort((a, b) => Number(a) - Number(b));
}

/** Whether the base and every contribution of `state` pass `test`. */
function everyPart(state: CounterState, test: (v: number) => boolean): boolean {
  if (!test(state.base)) return false;
  for (const v of Object.values(state.p)) if (!test(v)) return false;
  for (const v of Object.values(state.n)) if (!test(v)) return false;
  return true;
}

function allIntegers(state: CounterState): boolean {
  return everyPart(state, Number.isSafeInteger);
}

/** Whether a state's base and contributions are all integers (of any size): its epoch is integer arithmetic. */
export function holdsIntegersOnly(state: CounterState): boolean {
  return everyPart(state, Number.isInteger);
}

/** The bin value a counter state stands for. */
export function counterValue(state: CounterState): number | bigint {
  if (allIntegers(state)) {
    let sum = BigInt(state.base);
    for (const r of sortedRegions(state.p)) sum += BigInt(state.p[r]!);
    for (const r of sortedRegions(state.n)) sum -= BigInt(state.n[r]!);
    return normaliseInteger(sum);
  }
  // Positives, then negatives, then base + positive − negative: conflict/counter.ts's order, bit for bit.
  let positive = 0;
  for (const r of sortedRegions(state.p)) positive += state.p[r]!;
  let negative = 0;
  for (const r of sortedRegions(state.n)) negative += state.n[r]!;
  return state.base + positive - negative;
}

/** Whether the counter's value fits int64 (always true for doubles). */
export function counterInRange(state: CounterState): boolean {
  const value = counterValue(state);
  return typeof value === 'number' || inInt64Range(value);
}

/**
 * The epoch a plain write opens: base = the written value, baseLut = its lut.
 * Bins holding something other than a number carry no counter state.
 */
export function counterAfterPlainWrite(value: BinValue | undefined, lut: HlcTimestamp): CounterState | undefined {
  if (typeof value === 'number') return { base: value, baseLut: lut, p: {}, n: {} };
  if (typeof value === 'bigint') return { base: Number(value), baseLut: lut, p: {}, n: {} };
  return undefined;
}

/**
 * The counter state to increment: the stored one when it still stands for the
 * bin's value, else the bin's current epoch: base = its numeric value (0 when
 * absent), baseLut = its bin lut, or when the bin has none the record's delete
 * horizon (`horizonLut`), else 0.
 */
export function counterForIncrement(
  stored: CounterState | undefined,
  current: BinValue | undefined,
  binLut: HlcTimestamp | undefined,
  horizonLut: HlcTimestamp | undefined,
): CounterState {
  if (stored !== undefined && current !== undefined && current !== null && valuesEqual(counterValue(stored), current)) return stored;
  const baseLut = binLut ?? horizonLut ?? 0;
  const base = typeof current === 'number' ? current : typeof current === 'bigint' ? Number(current) : 0;
  return { base, baseLut, p: {}, n: {} };
}

function valuesEqual(a: number | bigint, b: BinValue): boolean {
  return (typeof b === 'number' || typeof b === 'bigint') && a == b; // == compares number and bigint by value
}

/** Adds a local increment of `regionId` to the current epoch (a new object; `state` is not changed). */
export function applyLocalIncrement(state: CounterState, regionId: number, delta: number | bigint): CounterState {
  const amount = Number(delta);
  const region = String(regionId);
  const p = { ...state.p };
  const n = { ...state.n };
  if (amount >= 0) p[region] = (p[region] ?? 0) + amount;
  else n[region] = (n[region] ?? 0) - amount;
  return { base: state.base, baseLut: state.baseLut, p, n };
}
