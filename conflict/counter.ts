/**
 * Convergent counters: a PN-counter per region inside a reset epoch
 * (CounterState). engine/ops/counter.ts mirrors these rules for local
 * increments (engine/ cannot import conflict/); docs/conflict.md is the
 * contract both follow.
 */
import { ConflictError } from './errors.js';
import type { CounterState, HlcTimestamp } from './types.js';

/** Region ids ascending by number, so sums are taken in the same order everywhere. */
function sortedRegions(parts: Record<string, number>): string[] {
  return Object.keys(parts).sort((a, b) => Number(a) - Number(b));
}

function allSafeIntegers(state: CounterState): boolean {
  if (!Number.isSafeInteger(state.base)) return false;
  for (const v of Object.values(state.p)) if (!Number.isSafeInteger(v)) return false;
  for (const v of Object.values(state.n)) if (!Number.isSafeInteger(v)) return false;
  return true;
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * base + Σ p − Σ n in ascending region order. All safe integers: exact, in
 * bigint, returned as a number when it is safe (else a bigint). Otherwise a
 * double sum (positives, then negatives) in that fixed order.
 */
export function counterValue(state: CounterState): number | bigint {
  if (allSafeIntegers(state)) {
    let sum = BigInt(state.base);
    for (const r of sortedRegions(state.p)) sum += BigInt(state.p[r]!);
    for (const r of sortedRegions(state.n)) sum -= BigInt(state.n[r]!);
    return sum >= SAFE_MIN && sum <= SAFE_MAX ? Number(sum) : sum;
  }
  let positive = 0;
  for (const r of sortedRegions(state.p)) positive += state.p[r]!;
  let negative = 0;
  for (const r of sortedRegions(state.n)) negative += state.n[r]!;
  return state.base + positive - negative;
}

/** The state a plain write (or removal, or delete) opens: no contributions yet. */
export function openCounterEpoch(base: number, baseLut: HlcTimestamp): CounterState {
  return { base, baseLut, p: {}, n: {} };
}

/**
 * A local increment of `delta` by region `regionId` in the state's epoch (a new
 * object; `state` is not changed). The region's entry is created even for 0,
 * so an incremented bin always keeps its counter state.
 */
export function applyLocalIncrement(state: CounterState, regionId: number, delta: number): CounterState {
  if (!Number.isFinite(delta)) {
    throw new ConflictError('CONFLICT_ERR_INVALID_INCREMENT', `an increment must be a finite number, got ${String(delta)}`, { regionId, delta });
  }
  const region = String(regionId);
  const p = { ...state.p };
  const n = { ...state.n };
  if (delta >= 0) p[region] = (p[region] ?? 0) + delta;
  else n[region] = (n[region] ?? 0) - delta;
  return { base: state.base, baseLut: state.baseLut, p, n };
}

function maxPerRegion(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [region, value] of Object.entries(b)) out[region] = Math.max(out[region] ?? value, value);
  return out;
}

/**
 * Join of two states of ONE epoch (same baseLut and base; the caller decides
 * epochs): each region only grows its own entries, so the max is the latest.
 */
export function mergeSameEpoch(a: CounterState, b: CounterState): CounterState {
  return { base: a.base, baseLut: a.baseLut, p: maxPerRegion(a.p, b.p), n: maxPerRegion(a.n, b.n) };
}
