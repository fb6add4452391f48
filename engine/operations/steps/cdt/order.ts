/**
 * Aerospike's value order for collections, extended with the interval ends:
 * +infinity sorts after everything, the wildcard equals anything (also inside
 * a list, element by element). Plain values keep the engine's order
 * (values.ts compareValues): nil < bool < integer/double < string < list <
 * map < bytes.
 */
import type { BinMap, BinValue } from '../../../../record/index.js';
import { compareCodePoints } from '../../../../record/index.js';
import { compareValues, isBinMap } from '../../values.js';
import { CdtSpecial, type CdtArg } from './types.js';

function hasSpecial(v: CdtArg): boolean {
  if (v instanceof CdtSpecial) return true;
  if (Array.isArray(v)) return (v as readonly CdtArg[]).some(hasSpecial);
  return false;
}

export function compareCdt(a: CdtArg, b: CdtArg): number {
  if (a === CdtSpecial.WILDCARD || b === CdtSpecial.WILDCARD) return 0;
  if (a === CdtSpecial.INF) return b === CdtSpecial.INF ? 0 : 1;
  if (b === CdtSpecial.INF) return -1;
  if (Array.isArray(a) && Array.isArray(b) && (hasSpecial(a) || hasSpecial(b))) {
    // Argument lists may hold interval ends the value types do not name.
    const la = a as readonly CdtArg[];
    const lb = b as readonly CdtArg[];
    const n = Math.min(la.length, lb.length);
    for (let i = 0; i < n; i++) {
      const c = compareCdt(la[i]!, lb[i]!);
      if (c !== 0) return c;
    }
    // A trailing wildcard matches any rest of the list.
    if (la.length > n && la[n] === CdtSpecial.WILDCARD) return 0;
    if (lb.length > n && lb[n] === CdtSpecial.WILDCARD) return 0;
    return la.length - lb.length;
  }
  return compareValues(a as BinValue, b as BinValue);
}

export function equalsCdt(a: CdtArg, b: CdtArg): boolean {
  return compareCdt(a, b) === 0;
}

/** Keys of a map in key order (code-point order of the strings). */
export function sortedKeys(map: BinMap): string[] {
  return Object.keys(map).sort(compareCodePoints);
}

export function isMapValue(v: BinValue | undefined): v is BinMap {
  return v !== undefined && isBinMap(v);
}

/**
 * The positions 0..n-1 ordered by the values at them (ties by position):
 * rank r is held by position order[r].
 */
export function rankOrder(values: readonly BinValue[]): number[] {
  const order = values.map((_, i) => i);
  order.sort((x, y) => compareValues(values[x]!, values[y]!) || x - y);
  return order;
}
