/**
 * A deterministic text encoding of values and versions. It is the final
 * tie-break of the version order and the meaning of "identical": two regions
 * holding equal data produce equal strings, whatever the key order of their
 * objects or the class of their byte arrays (Buffer or Uint8Array).
 */
import type { BinValue, CounterState, RecordVersion } from './types.js';
import { HllValue } from './hll/value.js';
import { GeoJson } from './geo/value.js';
import { isOrderedList } from './ordered-list.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** Numbers: -0 is 0 (they compare equal everywhere else too); String() gives the shortest round-trip form. */
function num(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** Canonical text of one bin value (or of an undefined key). Tags keep types apart: 1 ≠ "1" ≠ 1n. */
export function canonicalValue(value: BinValue | undefined): string {
  if (value === undefined) return 'u';
  if (value === null) return 'z';
  switch (typeof value) {
    case 'boolean':
      return value ? 'T' : 'F';
    case 'number':
      return 'n' + num(value);
    case 'bigint':
      return 'b' + value.toString();
    case 'string':
      // Length-prefixed rather than escaped: unambiguous and much cheaper than JSON.stringify.
      return 's' + value.length + ':' + value;
    default:
      break;
  }
  if (value instanceof Uint8Array) return 'x' + hex(value);
  if (value instanceof HllValue) return 'h' + hex(value.bytes);
  if (value instanceof GeoJson) return 'g' + str(value.text);
  // An ordered list differs from an unordered one with the same items: the flag changes what later writes do.
  if (Array.isArray(value)) return (isOrderedList(value) ? 'o[' : '[') + value.map(canonicalValue).join(',') + ']';
  const map = value as Record<string, BinValue>;
  return '{' + sortedKeys(map).map((k) => str(k) + canonicalValue(map[k])).join(',') + '}';
}

function str(s: string): string {
  return s.length + ':' + s;
}

function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort();
}

function numberMap(map: Record<string, number>): string {
  return '{' + sortedKeys(map).map((k) => str(k) + num(map[k]!)).join(',') + '}';
}

export function canonicalCounter(state: CounterState): string {
  return `(${num(state.base)}@${num(state.baseLut)}p${numberMap(state.p)}n${numberMap(state.n)})`;
}

function counterMap(counters: Record<string, CounterState>): string {
  return '{' + sortedKeys(counters).map((k) => str(k) + canonicalCounter(counters[k]!)).join(',') + '}';
}

/**
 * Canonical text of a whole version. `counters: {}` and no counters are the same
 * (the engine omits an empty map, a merge may not); so are `dormantCounters: {}`
 * and none, which adds nothing to the text (versions without dormant counters
 * keep the text they always had).
 */
export function canonicalVersion(v: RecordVersion): string {
  const counters = v.counters ?? {};
  const parts = [
    str(v.ns),
    str(v.set),
    hex(v.digest),
    v.key === undefined ? 'u' : canonicalValue(v.key),
    num(v.generation),
    num(v.voidTime),
    num(v.lut),
    num(v.region),
    v.deleted ? 'D' : 'L',
    canonicalValue(v.bins),
    numberMap(v.binLuts),
    counterMap(counters),
  ];
  const dormant = v.dormantCounters;
  if (dormant !== undefined && Object.keys(dormant).length > 0) parts.push('Z' + counterMap(dormant));
  return parts.join('|');
}

/** -1, 0 or 1 by UTF-16 code units: the same in every JS engine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameVersion(a: RecordVersion, b: RecordVersion): boolean {
  return a === b || canonicalVersion(a) === canonicalVersion(b);
}

export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
