/**
 * Convergent counters: a PN-counter per region inside a reset epoch
 * (CounterState). The algebra every part uses: the engine when a client
 * increments, the resolvers when they merge.
 *
 *   value = base + Σ p[r] − Σ n[r], each sum taken in ascending region-id order
 *   so that floating-point rounding is identical in every region.
 *
 * Integers stay exact while every part is a safe integer (the sum is done in
 * bigint); CounterState holds numbers, so contributions past ±2^53 round.
 */
import type { CounterState, HlcTimestamp } from './types.js';

/**
 * The key a region books its increments under: its id, or `<id>.<incarnation>`
 * once the region lost acknowledged state of a namespace in a crash (a memory
 * namespace restarted empty, a buffered one that lost its last flush). Contributions
 * only ever grow per key and merge by max, so a region that lost its own
 * count must not count again under the key its peers already hold a larger
 * value for: it would be swallowed by the max until it passed it.
 */
export function counterContributor(regionId: number, incarnation: number): string {
  return incarnation === 0 ? String(regionId) : `${regionId}.${incarnation}`;
}

function contributorOrder(key: string): [number, number] {
  const dot = key.indexOf('.');
  return dot < 0 ? [Number(key), 0] : [Number(key.slice(0, dot)), Number(key.slice(dot + 1))];
}

/** Contributors ascending by (region id, incarnation), so sums are taken in the same order everywhere. */
function sortedRegions(parts: Record<string, number>): string[] {
  return Object.keys(parts).sort((a, b) => {
    const [ra, ia] = contributorOrder(a);
    const [rb, ib] = contributorOrder(b);
    return ra - rb || ia - ib;
  });
}

/** Whether the base and every contribution of `state` pass `test`. */
function everyPart(state: CounterState, test: (v: number) => boolean): boolean {
  if (!test(state.base)) return false;
  for (const v of Object.values(state.p)) if (!test(v)) return false;
  for (const v of Object.values(state.n)) if (!test(v)) return false;
  return true;
}

/** Whether a state's base and contributions are all integers (of any size): its epoch is integer arithmetic. */
export function holdsIntegersOnly(state: CounterState): boolean {
  return everyPart(state, Number.isInteger);
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The bin value a counter state stands for. All safe integers: exact, in
 * bigint, returned as a number when it is safe (else a bigint). Otherwise a
 * double sum (positives, then negatives, then base + positive − negative) in
 * that fixed order, bit-identical in every region.
 */
export function counterValue(state: CounterState): number | bigint {
  if (everyPart(state, Number.isSafeInteger)) {
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
 * A local increment of `delta` booked under `contributor` (counterContributor)
 * in the state's epoch (a new object; `state` is not changed). The entry is created even for 0,
 * so an incremented bin always keeps its counter state. Callers check that
 * `delta` is a finite number (the engine answers ENGINE_ERR_INVALID_ARGUMENT).
 */
export function applyLocalIncrement(state: CounterState, contributor: string, delta: number | bigint): CounterState {
  const amount = Number(delta);
  if (!Number.isFinite(amount)) throw new RangeError(`assertion: a counter increment must be finite, got ${String(delta)}`);
  const region = contributor;
  const p = { ...state.p };
  const n = { ...state.n };
  if (amount >= 0) p[region] = (p[region] ?? 0) + amount;
  else n[region] = (n[region] ?? 0) - amount;
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
