/**
 * JSON ↔ engine values. JSON has no bytes and no 64-bit integers, so
 * one-key wrappers stand in for them and for Aerospike's own types (docs/http-api.md):
 *   {"$bytes": "<base64>"}   a bytes value (Uint8Array)
 *   {"$int": "<decimal>"}    an integer outside ±2^53 (bigint within int64)
 *   {"$hll": "<base64>"}     a HyperLogLog value (Aerospike's sketch bytes)
 *   {"$geojson": {...}}      a GeoJSON value (its object, or its text as a string)
 * Any other object is a map bin. Decoding validates everything before anything
 * is written, and reports the JSON path of the first bad value.
 */
import type { StoredRecord } from '../../engine/index.js';
import { GeoJson, HllValue, hll, type BinValue, type Bins, type UserKey } from '../../record/index.js';
import { XdrError } from '../errors.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
/** Nesting deeper than this is refused: it protects the stack of every later recursive walk. */
const DEPTH_MAX = 32;

function bad(path: string, message: string): XdrError {
  return new XdrError('XDR_ERR_BAD_REQUEST', `${path}: ${message}`, { path });
}

export function decodeBase64(text: string, path: string): Uint8Array {
  if (!BASE64.test(text)) throw bad(path, 'is not base64');
  return new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
}

export function decodeValue(value: unknown, path: string, depth = 0): BinValue {
  if (depth > DEPTH_MAX) throw bad(path, `nests deeper than ${DEPTH_MAX} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw bad(path, 'must be a finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => decodeValue(v, `${path}[${i}]`, depth + 1));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === '$bytes') {
      const b64 = entries[0]![1];
      if (typeof b64 !== 'string') throw bad(`${path}.$bytes`, 'must be a base64 string');
      return decodeBase64(b64, `${path}.$bytes`);
    }
    if (entries.length === 1 && entries[0]![0] === '$hll') {
      const b64 = entries[0]![1];
      if (typeof b64 !== 'string') throw bad(`${path}.$hll`, 'must be a base64 string');
      const bytes = decodeBase64(b64, `${path}.$hll`);
      const problem = hll.sketchProblem(bytes);
      if (problem !== null) throw bad(`${path}.$hll`, problem);
      return new HllValue(bytes);
    }
    if (entries.length === 1 && entries[0]![0] === '$int') {
      const text = entries[0]![1];
      if (typeof text !== 'string' || !/^-?\d{1,20}$/.test(text)) throw bad(`${path}.$int`, 'must be a decimal integer string');
      const big = BigInt(text);
      if (big < INT64_MIN || big > INT64_MAX) throw bad(`${path}.$int`, 'is outside the 64-bit integer range');
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    if (entries.length === 1 && entries[0]![0] === '$geojson') {
      const geo = entries[0]![1];
      // The engine checks the geometry itself (ENGINE_ERR_INVALID_GEOJSON) as for any client.
      if (typeof geo === 'string') return new GeoJson(geo);
      if (typeof geo === 'object' && geo !== null && !Array.isArray(geo)) return new GeoJson(JSON.stringify(geo));
      throw bad(`${path}.$geojson`, 'must be a GeoJSON object (or its text as a string)');
    }
    const out: Record<string, BinValue> = {};
    for (const [k, v] of entries) out[k] = decodeValue(v, `${path}.${k}`, depth + 1);
    return out;
  }
  throw bad(path, 'has an unsupported type');
}

export function decodeBins(bins: Record<string, unknown>, path = 'bins'): Bins {
  const out: Bins = {};
  for (const [name, v] of Object.entries(bins)) out[name] = decodeValue(v, `${path}.${name}`);
  return out;
}

/** Engine value → JSON-safe value (the inverse of decodeValue). */
export function encodeValue(value: BinValue): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (typeof value === 'bigint') return { $int: value.toString() };
  if (value instanceof HllValue) return { $hll: Buffer.from(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength).toString('base64') };
  if (value instanceof GeoJson) return { $geojson: geoJsonView(value) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v);
    return out;
  }
  return value;
}

/** The stored text parsed back into its object (the engine accepted it, so it parses; the text is the fallback all the same). */
function geoJsonView(value: GeoJson): unknown {
  try {
    return JSON.parse(value.text) as unknown;
  } catch {
    return value.text;
  }
}

export function encodeBins(bins: Bins): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bins)) out[k] = encodeValue(v);
  return out;
}

export type KeyType = 'string' | 'integer' | 'bytes';

/** A path or body key as text, read as the given key type. */
export function decodeKey(text: string, keyType: KeyType, path = 'key'): UserKey {
  if (keyType === 'string') {
    if (text.length === 0) throw bad(path, 'must not be empty');
    return text;
  }
  if (keyType === 'integer') {
    if (!/^-?\d{1,20}$/.test(text)) throw bad(path, `'${text}' is not an integer (keyType=integer)`);
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) throw bad(path, 'is outside the 64-bit integer range');
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  const bytes = decodeBase64(text, path);
  if (bytes.length === 0) throw bad(path, 'must not be empty');
  return bytes;
}

/** A stored user key → the JSON form a client would send back (with its keyType). */
export function encodeKey(key: UserKey | undefined): { key: string; keyType: KeyType } | undefined {
  if (key === undefined) return undefined;
  if (typeof key === 'string') return { key, keyType: 'string' };
  if (typeof key === 'number' || typeof key === 'bigint') return { key: key.toString(), keyType: 'integer' };
  return { key: Buffer.from(key).toString('base64'), keyType: 'bytes' };
}

/** A record as the API returns it. */
export function recordView(record: StoredRecord): Record<string, unknown> {
  return { bins: encodeBins(record.bins), generation: record.generation, ttl: record.ttl, lut: record.lut, region: record.region };
}

/** Approximate stored size of bins, for refusing oversized records before they reach the engine. */
export function approxBinsBytes(value: BinValue | Bins): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 9;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof HllValue) return value.bytes.byteLength;
  if (value instanceof GeoJson) return Buffer.byteLength(value.text);
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + approxBinsBytes(v), 5);
  return Object.entries(value).reduce<number>((n, [k, v]) => n + k.length + approxBinsBytes(v), 5);
}
