/**
 * Helpers over bin values shared by the operation modules: kinds, the ordering
 * Aerospike uses for list sorts and key ranges, integer normalisation and copies.
 */
import type { BinMap, BinValue } from '../../record/index.js';
import { GeoJson, HllValue, compareCodePoints, isOrderedList, orderedList, plainItems } from '../../record/index.js';

export type ValueKind = 'nil' | 'boolean' | 'integer' | 'double' | 'string' | 'bytes' | 'hll' | 'geojson' | 'list' | 'map';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** Deepest nesting accepted in a written value; a guard against runaway recursion, not a data-model rule. */
export const VALUE_DEPTH_MAX = 32;

export function kindOf(value: BinValue): ValueKind {
  if (value === null) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'integer';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'double';
    case 'string':
      return 'string';
    default:
      if (value instanceof Uint8Array) return 'bytes';
      if (value instanceof HllValue) return 'hll';
      if (value instanceof GeoJson) return 'geojson';
      if (Array.isArray(value)) return 'list';
      return 'map';
  }
}

export function isBinMap(value: BinValue | undefined): value is BinMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof HllValue) && !(value instanceof GeoJson);
}

export function isIntegerValue(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** An int64 as the data model wants it: a number when safe, a bigint otherwise. */
export function normaliseInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

export function inInt64Range(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** Own-property read, so a map key such as "__proto__" or "toString" is data, never the prototype. */
export function getOwn(map: BinMap, key: string): BinValue | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Own-property write, for the same reason: `map["__proto__"] = v` would replace the prototype. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

/** A shallow copy of a map that keeps "__proto__" keys as data. */
export function copyMap(map: BinMap): BinMap {
  const out: BinMap = {};
  for (const key of Object.keys(map)) setOwn(out, key, map[key]!);
  return out;
}

/** Deep copy, so a caller that later mutates what it passed (or got back) cannot reach stored state. */
export function cloneValue(value: BinValue): BinValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  // Sketches are never changed in place (HLL steps build new ones), so sharing one is safe.
  if (value instanceof HllValue) return value;
  // Immutable (frozen): shared, not copied.
  if (value instanceof GeoJson) return value;
  if (Array.isArray(value)) {
    if (!isOrderedList(value)) return value.map(cloneValue);
    const items = plainItems(value);
    for (let i = 0; i < items.length; i++) items[i] = cloneValue(items[i]!);
    return orderedList(items);
  }
  const out: BinMap = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneValue(value[key]!));
  return out;
}


/**
 * Rank of each kind in Aerospike's value order (NIL < BOOLEAN < INTEGER < STRING
 * < LIST < MAP < BYTES < DOUBLE < GEOJSON). Integers and doubles share a rank here and
 * compare by value: the data model cannot tell 2.0 from 2 (both are the number 2),
 * so ranking them apart would sort equal-looking numbers apart.
 */
const KIND_RANK: Record<ValueKind, number> = { nil: 0, boolean: 1, integer: 2, double: 2, string: 3, list: 4, map: 5, bytes: 6, hll: 7, geojson: 8 };

function compareNumbers(a: number | bigint, b: number | bigint): number {
  // Mixed number/bigint comparison with < and > is exact in JavaScript.
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function compareMaps(a: BinMap, b: BinMap): number {
  const ka = Object.keys(a).sort(compareCodePoints);
  const kb = Object.keys(b).sort(compareCodePoints);
  if (ka.length !== kb.length) return ka.length - kb.length;
  for (let i = 0; i < ka.length; i++) {
    const byKey = compareCodePoints(ka[i]!, kb[i]!);
    if (byKey !== 0) return byKey;
    const byValue = compareValues(a[ka[i]!]!, b[kb[i]!]!);
    if (byValue !== 0) return byValue;
  }
  return 0;
}

/** Total order over bin values; negative, zero or positive like a sort comparator. */
export function compareValues(a: BinValue, b: BinValue): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (KIND_RANK[ka] !== KIND_RANK[kb]) return KIND_RANK[ka] - KIND_RANK[kb];
  switch (ka) {
    case 'nil':
      return 0;
    case 'boolean':
      return Number(a) - Number(b);
    case 'integer':
    case 'double':
      return compareNumbers(a as number | bigint, b as number | bigint);
    case 'string':
      return compareCodePoints(a as string, b as string);
    case 'bytes':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'hll':
      return compareBytes((a as HllValue).bytes, (b as HllValue).bytes);
    case 'geojson':
      return compareCodePoints((a as GeoJson).text, (b as GeoJson).text);
    case 'list': {
      const la = a as BinValue[];
      const lb = b as BinValue[];
      const n = Math.min(la.length, lb.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(la[i]!, lb[i]!);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 'map':
      return compareMaps(a as BinMap, b as BinMap);
  }
}
