/**
 * What a secondary index stores for a bin value. Integer indexes store the
 * integer itself (number when safe, bigint otherwise); string indexes store a
 * 53-bit hash of the string, as Aerospike stores a digest of string keys rather
 * than the strings: equal strings share a key, and the (rare) colliding string
 * is filtered out when the query reads the record and compares the real value.
 * Blob indexes store a 53-bit hash of the bytes the same way. Values of any
 * other type are not indexed (Aerospike skips them too).
 * GEO2DSPHERE indexes file GeoJSON values under grid cells (geo-cells.ts).
 */
import type { BinValue, Bins } from '../../record/index.js';
import type { IndexContextStep, QueryFilter, SecondaryIndexCollection, SecondaryIndexType } from '../api.js';
import { isBinMap, opsError, valueAtContext } from '../operations/index.js';
import type { IndexKey } from './sorted-entries.js';
import { geoQueryOf, geoRanges, geoValueMatches } from './geo-filter.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function normalise(value: bigint): IndexKey {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * cyrb53 (public domain, by bryc): two 32-bit multiply-xorshift lanes combined
 * into 53 bits. Fast on V8, well mixed, and deterministic across processes, so
 * an index rebuilt after a restart is identical.
 */
export function stringKey(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** cyrb53 over bytes: a blob index's key (the same mixing as stringKey, one lane step per byte). */
export function bytesKey(bytes: Uint8Array): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The key a value has in an integer, string or blob index, or undefined when the value is not indexed (geo keys: geoValueKeys). */
export function indexKeyOf(type: SecondaryIndexType, value: BinValue | undefined): IndexKey | undefined {
  if (type === 'geo2dsphere') return undefined;
  if (type === 'string') return typeof value === 'string' ? stringKey(value) : undefined;
  if (type === 'blob') return value instanceof Uint8Array ? bytesKey(value) : undefined;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? normalise(BigInt(value)) : undefined;
  }
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? normalise(value) : undefined;
  return undefined;
}

/** The index type a filter needs. */
export function filterType(filter: QueryFilter): SecondaryIndexType {
  if ('geoWithin' in filter || 'geoContains' in filter) return 'geo2dsphere';
  if (!('equals' in filter)) return 'integer';
  if (typeof filter.equals === 'string') return 'string';
  return filter.equals instanceof Uint8Array ? 'blob' : 'integer';
}

/**
 * The [lo, hi] ranges in key space a filter reads, in ascending order; none
 * when nothing can match (e.g. equals 1.5 on integers, lo > hi). Integer and
 * string filters read one range; geo filters one per grid row of their box.
 */
export function filterRanges(filter: QueryFilter): Array<[IndexKey, IndexKey]> {
  if ('geoWithin' in filter || 'geoContains' in filter) return geoRanges(geoQueryOf(filter));
  if ('equals' in filter) {
    if (typeof filter.equals === 'string') {
      const key = stringKey(filter.equals);
      return [[key, key]];
    }
    if (filter.equals instanceof Uint8Array) {
      const key = bytesKey(filter.equals);
      return [[key, key]];
    }
    const key = indexKeyOf('integer', filter.equals);
    return key === undefined ? [] : [[key, key]];
  }
  const [lo, hi] = filter.between;
  // Fractional bounds tighten to the integers inside them; the comparisons below are exact for number and bigint.
  const from = typeof lo === 'number' ? Math.ceil(lo) : lo;
  const to = typeof hi === 'number' ? Math.floor(hi) : hi;
  if (from > to) return [];
  return [[from, to]];
}

/** What an index files or a filter asks for: a bin, optionally a path inside it, optionally the elements there. */
export interface IndexTarget {
  bin: string;
  collection?: SecondaryIndexCollection;
  context?: IndexContextStep[];
}

/** The values a record offers an index target: the value, or each element (list items, map keys or map values) at the path. */
export function targetValues(target: IndexTarget, bins: Bins): BinValue[] {
  let value = Object.hasOwn(bins, target.bin) ? bins[target.bin] : undefined;
  if (target.context !== undefined && target.context.length > 0) value = valueAtContext(value, target.context);
  if (value === undefined || value === null) return [];
  switch (target.collection) {
    case undefined:
      return [value];
    case 'list':
      return Array.isArray(value) ? value : [];
    case 'mapkeys':
      return isBinMap(value) ? Object.keys(value) : [];
    case 'mapvalues':
      return isBinMap(value) ? Object.values(value) : [];
  }
}

/** Whether two targets name the same thing to index. */
export function sameTarget(a: IndexTarget, b: IndexTarget): boolean {
  return a.bin === b.bin && a.collection === b.collection && JSON.stringify(a.context ?? []) === JSON.stringify(b.context ?? []);
}

/** Whether a value satisfies the filter's condition. */
function valueMatches(filter: QueryFilter, value: BinValue): boolean {
  if ('geoWithin' in filter || 'geoContains' in filter) return geoValueMatches(geoQueryOf(filter), value);
  if ('equals' in filter) {
    if (typeof filter.equals === 'string') return value === filter.equals;
    if (filter.equals instanceof Uint8Array) return value instanceof Uint8Array && sameBytes(value, filter.equals);
    const key = indexKeyOf('integer', value);
    return key !== undefined && key == filter.equals; // == compares number and bigint by value
  }
  const key = indexKeyOf('integer', value);
  return key !== undefined && key >= filter.between[0] && key <= filter.between[1];
}

/** Whether the record's bins satisfy the filter (the exact check after an index lookup): some value at its target does. */
export function matchesFilter(filter: QueryFilter, bins: Bins): boolean {
  for (const value of targetValues(filter, bins)) if (valueMatches(filter, value)) return true;
  return false;
}

const COLLECTIONS = new Set<string>(['list', 'mapkeys', 'mapvalues']);

/** A context path of at most 16 steps whose values are strings or safe integers (what index definitions persist as JSON). */
export function isContext(ctx: unknown): ctx is IndexContextStep[] {
  return (
    Array.isArray(ctx) &&
    ctx.length <= 16 &&
    ctx.every(
      (s) =>
        typeof s === 'object' && s !== null && Number.isInteger((s as IndexContextStep).type) &&
        (typeof (s as IndexContextStep).value === 'string' || Number.isSafeInteger((s as IndexContextStep).value)),
    )
  );
}

export function isCollection(c: unknown): c is SecondaryIndexCollection {
  return typeof c === 'string' && COLLECTIONS.has(c);
}

function isBound(value: unknown): boolean {
  return (typeof value === 'number' && !Number.isNaN(value)) || (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX);
}

function isGeoFilter(filter: QueryFilter): boolean {
  return ('geoWithin' in filter && typeof filter.geoWithin === 'string') || ('geoContains' in filter && typeof filter.geoContains === 'string');
}

/** Checks a filter's shape (and a geo filter's GeoJSON); query filters arrive from the HTTP API as parsed JSON. */
export function checkFilter(filter: QueryFilter): void {
  const ok =
    typeof filter === 'object' &&
    filter !== null &&
    typeof filter.bin === 'string' &&
    filter.bin.length > 0 &&
    ('equals' in filter
      ? typeof filter.equals === 'string' || filter.equals instanceof Uint8Array || isBound(filter.equals)
      : 'between' in filter
        ? Array.isArray(filter.between) && filter.between.length === 2 && isBound(filter.between[0]) && isBound(filter.between[1])
        : isGeoFilter(filter));
  const target = ok && (filter.collection === undefined || COLLECTIONS.has(filter.collection)) && (filter.context === undefined || isContext(filter.context));
  if (!ok || !target) {
    throw opsError(
      'ENGINE_ERR_INVALID_ARGUMENT',
      'query filter must be { bin, equals: <integer | string | bytes> }, { bin, between: [<integer>, <integer>] }, { bin, geoWithin: <GeoJSON region text> } or { bin, geoContains: <GeoJSON point text> }, with optional collection (list, mapkeys, mapvalues) and context',
      { filter: typeof filter === 'object' ? { ...filter } : filter },
    );
  }
  if (isGeoFilter(filter)) geoQueryOf(filter as Parameters<typeof geoQueryOf>[0]);
}
