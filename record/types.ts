/**
 * The record model every part of xdrgate shares: what a record and one of its
 * versions are. Aerospike's model: namespace → set → record → bins. A record is
 * addressed by the 20-byte RIPEMD-160 digest of (set, key type, key bytes).
 */
import type { GeoJson } from './geo/value.js';
import type { HllValue } from './hll/value.js';

/** A user key: string, 64-bit integer (number when safe, bigint otherwise) or bytes. */
export type UserKey = string | number | bigint | Uint8Array;

/**
 * A bin value. Integers are numbers for which Number.isInteger holds (or bigint
 * outside the safe range, within int64); any other number is a double. `null`
 * as a whole bin value in a write removes the bin; inside a list or map it is
 * an element like any other (Aerospike's nil). A list may be an `OrderedList`
 * (ordered-list.ts), which every change keeps sorted. An HllValue is a
 * HyperLogLog sketch (record/hll/): bytes, but a type of its own, as in
 * Aerospike. A GeoJson is Aerospike's GeoJSON value (its text).
 */
export type BinValue = null | boolean | number | bigint | string | Uint8Array | HllValue | GeoJson | BinValue[] | BinMap;

export interface BinMap {
  [key: string]: BinValue;
}

export type Bins = Record<string, BinValue>;

/** 20 bytes of RIPEMD-160, as Aerospike clients compute it. */
export type Digest = Uint8Array;

/**
 * A hybrid logical clock timestamp packed into one JS number:
 * wall milliseconds × 1024 + logical counter (0..1023). Exact in a double until
 * the year 2248, totally ordered by `<`, and comparable across regions.
 */
export type HlcTimestamp = number;

/** Per-region contributions of a convergent counter bin (a PN-counter inside a reset epoch). */
export interface CounterState {
  /** Value set by the plain write that opened this epoch (0 when the bin was only incremented). */
  base: number;
  /** HLC of that plain write (or of the removal / delete the epoch started from); 0 when none. */
  baseLut: HlcTimestamp;
  /** Region id → sum of positive increments made in that region in this epoch. */
  p: Record<string, number>;
  /** Region id → sum of |negative increments| made in that region in this epoch. */
  n: Record<string, number>;
}

/**
 * One complete version of a record (or of its tombstone), with all the
 * metadata replication and conflict resolution need. This is what the engine
 * stores, what the shipper reads, what travels over the wire, and what the
 * receiver resolves and applies.
 */
export interface RecordVersion {
  ns: string;
  set: string;
  digest: Digest;
  /** The user key, when it was stored with the record. */
  key?: UserKey;
  /** +1 per write, starting at 1. */
  generation: number;
  /** Unix seconds at which the record expires; 0 = never. */
  voidTime: number;
  /** Last-update-time of the record (max of its bins' times and its delete time). */
  lut: HlcTimestamp;
  /** Id (1..255) of the region that made the last change. */
  region: number;
  /** True for a durable-delete tombstone; bins are then empty. */
  deleted: boolean;
  bins: Bins;
  /**
   * Per-bin last-update-times. A name present here but absent from `bins` is a
   * removed bin (a bin tombstone), kept so that bin-level merges do not resurrect it.
   */
  binLuts: Record<string, HlcTimestamp>;
  /** Counter state of bins that were written by increments (each gives its bin's value). */
  counters?: Record<string, CounterState>;
  /**
   * Counter states that no visible bin shows: the bin was overwritten or removed,
   * the record was deleted, or the version a resolver picked holds something
   * else there. They are kept because a version that wins later may hold the
   * bin as a counter of the same epoch, and must then still count them
   * (docs/conflict.md, "Counters under lww and generation").
   */
  dormantCounters?: Record<string, CounterState>;
}
