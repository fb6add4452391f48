/**
 * Encoding of record versions and heartbeats into wire v1 bytes. Pure: the
 * output depends only on the input, so both regions produce identical bytes
 * for identical versions (the byte fixture test relies on it).
 */
import { GeoJson, HllValue, isOrderedList, orderedList, type BinValue, type Bins, type CounterState, type RecordVersion } from '../../../record/index.js';
import { WireError } from '../errors.js';
import { MAP16_ENTRIES_MAX, packr, widePackr } from './codec.js';
import { BIN_DEPTH_MAX, KIND_HEARTBEAT, KIND_RECORD, WIRE_FORMAT_VERSION, type Heartbeat } from './message.js';

/**
 * msgpackr writes integers outside 32 bits as float64; other decoders would then
 * read an integer bin as a double. Promote safe integers to bigint so they go out
 * as int64 (larger doubles stay doubles: they are not exact integers anyway).
 */
function wideInt(n: number): number | bigint {
  if (Number.isSafeInteger(n) && (n > 0xffffffff || n < -0x80000000)) return BigInt(n);
  return n;
}

/** Set when the map being built has an object of more than MAP16_ENTRIES_MAX entries (then it needs map32 headers). */
let sawWideMap = false;

function entriesOf(value: object): Array<[string, unknown]> {
  const entries = Object.entries(value);
  if (entries.length > MAP16_ENTRIES_MAX) sawWideMap = true;
  return entries;
}

function binValue(value: BinValue | undefined, path: string, depth: number): unknown {
  if (depth > BIN_DEPTH_MAX) throw new WireError('WIRE_ERR_UNENCODABLE', `${path}: nested deeper than ${BIN_DEPTH_MAX} levels`, { field: path });
  if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return wideInt(value);
  if (value instanceof Uint8Array || value instanceof HllValue || value instanceof GeoJson) return value;
  if (Array.isArray(value)) {
    const items = new Array<BinValue>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = binValue(value[i], `${path}[${i}]`, depth + 1) as BinValue;
    // An ordered list keeps its flag (ordered-list-ext.ts writes it as an ext).
    return isOrderedList(value) ? orderedList(items) : items;
  }
  if (typeof value === 'object' && value !== undefined) {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entriesOf(value)) out[k] = binValue(v as BinValue, `${path}.${k}`, depth + 1);
      return out;
    }
  }
  throw new WireError('WIRE_ERR_UNENCODABLE', `${path}: a ${typeof value} is not a bin value`, { field: path });
}

function encodeBins(bins: Bins): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of entriesOf(bins)) out[name] = binValue(value as BinValue, `bins.${name}`, 1);
  return out;
}

function encodeLuts(luts: Record<string, number>): Record<string, number | bigint> {
  const out: Record<string, number | bigint> = {};
  for (const [name, lut] of entriesOf(luts)) out[name] = wideInt(lut as number);
  return out;
}

function encodeSums(sums: Record<string, number>): Record<string, number | bigint> {
  const out: Record<string, number | bigint> = {};
  for (const [region, sum] of Object.entries(sums)) out[region] = wideInt(sum);
  return out;
}

function encodeCounters(counters: Record<string, CounterState>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(counters)) {
    out[name] = { base: wideInt(c.base), baseLut: wideInt(c.baseLut), p: encodeSums(c.p), n: encodeSums(c.n) };
  }
  return out;
}

/** A record version's metadata: everything but its bins, bin luts and counter states. */
export type RecordHead = Omit<RecordVersion, 'bins' | 'binLuts' | 'counters' | 'dormantCounters'>;

/** The metadata entries of a record's wire map, in format order (binLuts, counters, dormantCounters and bins follow). */
export function headToWireMap(version: RecordHead): Record<string, unknown> {
  const map: Record<string, unknown> = {
    v: WIRE_FORMAT_VERSION,
    kind: KIND_RECORD,
    ns: version.ns,
    set: version.set,
    digest: version.digest,
  };
  if (version.key !== undefined) map.key = typeof version.key === 'number' ? wideInt(version.key) : version.key;
  map.generation = version.generation;
  map.voidTime = wideInt(version.voidTime);
  map.lut = typeof version.lut === 'number' ? BigInt(version.lut) : version.lut;
  map.region = version.region;
  map.deleted = version.deleted;
  return map;
}

/** The MessagePack map of a record version (key order is part of the format's byte fixtures). */
export function recordToWireMap(version: RecordVersion): Record<string, unknown> {
  const map = headToWireMap(version);
  map.binLuts = encodeLuts(version.binLuts);
  if (version.counters !== undefined && Object.keys(version.counters).length > 0) map.counters = encodeCounters(version.counters);
  if (version.dormantCounters !== undefined && Object.keys(version.dormantCounters).length > 0) map.dormantCounters = encodeCounters(version.dormantCounters);
  map.bins = encodeBins(version.bins);
  return map;
}

/**
 * msgpackr writes into ONE module-wide buffer shared by every Packr in the
 * process, and another Packr's useBuffer() (the engine's bin codec calls it)
 * makes that buffer someone else's scratch space: bytes returned by pack() can
 * be overwritten by a later pack anywhere. Messages outlive the call (they sit
 * in Kafka batches), so each one gets its own copy.
 */
function packOwned(map: Record<string, unknown>, wide: boolean): Buffer {
  const shared = (wide ? widePackr : packr).pack(map);
  const owned = Buffer.allocUnsafe(shared.length);
  shared.copy(owned);
  return owned;
}

export function encodeRecord(version: RecordVersion): Buffer {
  sawWideMap = false;
  const map = recordToWireMap(version);
  return packOwned(map, sawWideMap);
}

export function encodeHeartbeat(hb: Heartbeat): Buffer {
  return packOwned(
    {
      v: WIRE_FORMAT_VERSION,
      kind: KIND_HEARTBEAT,
      route: hb.route,
      region: hb.region,
      hlc: BigInt(hb.hlc),
      backlog: hb.backlog,
    },
    false,
  );
}
