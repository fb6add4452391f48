/**
 * The values the codec hands out and takes in. They are shaped like the
 * engine's bin values (null, boolean, number or bigint for integers, number for
 * doubles, string, bytes, lists, maps as plain objects), so the server can pass
 * them on without a conversion, plus what only the wire can say: a map whose
 * keys are not all strings (a JS Map), and the two special values of CDT range
 * arguments. A HyperLogLog (particle type 18) is record/'s HllValue.
 */
import { GeoJson, HllValue } from '../record/index.js';

export type AsValue = null | boolean | number | bigint | string | Uint8Array | HllValue | GeoJson | AsValue[] | AsMap | Map<AsValue, AsValue> | AsSpecial;

export interface AsMap {
  [key: string]: AsValue;
}

/** The interval ends CDT range operations take: +infinity (`INF`) and the wildcard (`WILDCARD`). */
export class AsSpecial {
  private constructor(readonly kind: 'infinity' | 'wildcard') {}
  static readonly INF = new AsSpecial('infinity');
  static readonly WILDCARD = new AsSpecial('wildcard');
}

export function isAsMap(v: unknown): v is AsMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Map) && !(v instanceof AsSpecial) && !(v instanceof HllValue) && !(v instanceof GeoJson);
}

/** Own-property write, so a key such as "__proto__" stays data. */
export function setKey(map: AsMap, key: string, value: AsValue): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
