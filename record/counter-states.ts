/**
 * The counter states a version holds, visible (`counters`) and dormant
 * (`dormantCounters`), seen as one join per bin name: what the lww and
 * generation resolvers merge, what a local delete keeps, and what tells the
 * shipper a version may carry increments of its own region.
 */
import { joinCounterStates } from './bin-state.js';
import type { CounterState, RecordVersion } from './types.js';

function hasAny(map: Record<string, CounterState> | undefined): map is Record<string, CounterState> {
  if (map === undefined) return false;
  for (const _ in map) return true;
  return false;
}

/** Whether a version holds any counter state, visible or dormant. */
export function holdsCounterState(v: Pick<RecordVersion, 'counters' | 'dormantCounters'>): boolean {
  return hasAny(v.counters) || hasAny(v.dormantCounters);
}

/** Per bin name, the join of the visible and the dormant counter state of `v`; null when it holds none. */
export function counterStatesOf(v: Pick<RecordVersion, 'counters' | 'dormantCounters'>): Record<string, CounterState> | null {
  const visible = hasAny(v.counters) ? v.counters : undefined;
  const dormant = hasAny(v.dormantCounters) ? v.dormantCounters : undefined;
  if (visible === undefined && dormant === undefined) return null;
  const out: Record<string, CounterState> = {};
  if (visible !== undefined) for (const name of Object.keys(visible)) defineOwn(out, name, visible[name]!);
  if (dormant !== undefined) joinCountersInto(out, dormant);
  return out;
}

/** Joins every state of `from` into `into` (per name: joinCounterStates). */
export function joinCountersInto(into: Record<string, CounterState>, from: Record<string, CounterState>): void {
  for (const name of Object.keys(from)) {
    const state = from[name]!;
    defineOwn(into, name, Object.hasOwn(into, name) ? joinCounterStates(into[name]!, state) : state);
  }
}

/** Own-property write, so a bin named "__proto__" is data, never the prototype. */
export function defineOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
