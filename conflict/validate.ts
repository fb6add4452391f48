/**
 * Structural checks for data that crosses a trust boundary: what a custom
 * resolver returns. Built-in resolvers trust their inputs (the receiver's
 * decoder validated them).
 */
import type { Version } from './types.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
}

function isNumberMap(x: unknown): boolean {
  return isPlainObject(x) && Object.values(x).every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isCounterState(x: unknown): boolean {
  return isPlainObject(x) && typeof x.base === 'number' && typeof x.baseLut === 'number' && isNumberMap(x.p) && isNumberMap(x.n);
}

function isCounterMap(x: unknown): boolean {
  return isPlainObject(x) && Object.values(x).every(isCounterState);
}

/** Whether `x` has every field of a Version with the right types. */
export function isVersion(x: unknown): x is Version {
  if (!isPlainObject(x)) return false;
  if (typeof x.ns !== 'string' || typeof x.set !== 'string' || !(x.digest instanceof Uint8Array)) return false;
  if (!Number.isInteger(x.generation) || !Number.isFinite(x.voidTime) || !Number.isFinite(x.lut)) return false;
  if (!Number.isInteger(x.region) || typeof x.deleted !== 'boolean') return false;
  if (!isPlainObject(x.bins) || !isNumberMap(x.binLuts)) return false;
  if (x.counters !== undefined && !isCounterMap(x.counters)) return false;
  if (x.dormantCounters !== undefined && !isCounterMap(x.dormantCounters)) return false;
  return true;
}
