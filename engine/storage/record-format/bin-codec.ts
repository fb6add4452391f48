/**
 * MessagePack encoding of a record's body with
 * msgpackr, kept standard (no msgpackr records; two exts: type 18 for
 * HyperLogLog values, record/hll/msgpack-ext.ts, and type 23 for GeoJSON
 * values, their UTF-8 text, record/geo/msgpack-ext.ts) so any MessagePack
 * reader can decode a dumped record. Integers beyond ±2^53 decode as bigint,
 * others as number; bytes decode as copies, never as views into a device buffer
 * that will be reused.
 *
 * A body is the array [bins, binLuts] or [bins, binLuts, counters] (the
 * formats written before dormant counters existed, still read), or
 * [bins, binLuts, counters | nil, dormantCounters] when the version keeps
 * dormant counter states.
 */
import { Packr, addExtension } from 'msgpackr';
import { geoJsonMsgpackExtension, hll, type Bins, type CounterState, type HlcTimestamp } from '../../../record/index.js';
import { encodeBodyFast } from './body-encode.js';
import './ordered-list-ext.js';

addExtension(hll.hllMsgpackExtension);
addExtension(geoJsonMsgpackExtension);

// 'auto' (number within ±2^53, bigint beyond) exists at runtime since msgpackr
// 1.10 but is missing from its type declarations, hence the cast.
const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: 'auto' as 'bigint',
  copyBuffers: true,
  variableMapSize: true,
});

export interface RecordBody {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
  dormantCounters?: Record<string, CounterState>;
}

// Packing always restarts at the front of one reusable buffer, so the hot path
// allocates nothing (msgpackr would otherwise carve and drop 8 KiB buffers).
const packBuffer = Buffer.allocUnsafe(256 * 1024);

/** Encoded body. The result is only valid until the next call (msgpackr reuses its buffer): copy it at once. */
export function encodeBody(
  bins: Bins,
  binLuts: Record<string, HlcTimestamp>,
  counters?: Record<string, CounterState>,
  dormantCounters?: Record<string, CounterState>,
): Uint8Array {
  if (counters === undefined && dormantCounters === undefined) {
    const fast = encodeBodyFast(bins, binLuts);
    if (fast !== null) return fast;
  }
  packr.useBuffer(packBuffer);
  if (dormantCounters !== undefined) return packr.pack([bins, binLuts, counters ?? null, dormantCounters]);
  return packr.pack(counters === undefined ? [bins, binLuts] : [bins, binLuts, counters]);
}

/**
 * Decodes a stored body. Bodies in write blocks live in SharedArrayBuffer slabs
 * (storage/block-buffers.ts); msgpackr hands the whole backing buffer to its
 * native string extractor, which is pathological for shared memory (a third of
 * a put's CPU went there in the merge path), so such bytes are copied out
 * first — a copy of one body, a fraction of a microsecond.
 */
export function decodeBody(bytes: Uint8Array): RecordBody {
  const parts = packr.unpack(bytes.buffer instanceof SharedArrayBuffer ? Buffer.from(bytes) : bytes) as [
    Bins, Record<string, HlcTimestamp>, (Record<string, CounterState> | null)?, Record<string, CounterState>?,
  ];
  const body: RecordBody = { bins: parts[0], binLuts: parts[1] };
  if (parts[2] !== undefined && parts[2] !== null) body.counters = parts[2];
  if (parts[3] !== undefined && parts[3] !== null) body.dormantCounters = parts[3];
  return body;
}
