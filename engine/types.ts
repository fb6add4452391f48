/**
 * The engine's data model and its contract with the rest of xdrgate.
 *
 * Aerospike's model: namespace → set → record → bins. A record is addressed by
 * the 20-byte RIPEMD-160 digest of (set, key type, key bytes); the digest picks
 * one of 4096 partitions. These types are the only vocabulary shipper/, receiver/,
 * conflict/ (structurally) and xdr/ share with the engine.
 */

/** A user key: string, 64-bit integer (number when safe, bigint otherwise) or bytes. */
export type UserKey = string | number | bigint | Uint8Array;

/**
 * A bin value. Integers are numbers for which Number.isInteger holds (or bigint
 * outside the safe range, within int64); any other number is a double. `null`
 * in a write removes the bin.
 */
export type BinValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | BinValue[]
  | BinMap;

export interface BinMap {
  [key: string]: BinValue;
}

export type Bins = Record<string, BinValue>;

/** 20 bytes of RIPEMD-160, as Aerospike clients compute it. */
export type Digest = Uint8Array;

/** Address of a record as users give it. */
export interface RecordKey {
  ns: string;
  set: string;
  key: UserKey;
}

/**
 * A hybrid logical clock timestamp packed into one JS number:
 * wall milliseconds × 1024 + logical counter (0..1023). Exact in a double until
 * the year 2248, totally ordered by `<`, and comparable across regions.
 */
export type HlcTimestamp = number;

/** Per-region contributions of a convergent counter bin (a PN-counter with a reset base). */
export interface CounterState {
  /** Value set by the last plain write of the bin (0 when the bin was only ever incremented). */
  base: number;
  /** HLC of that plain write; contributions belong to this epoch. 0 when none. */
  baseLut: HlcTimestamp;
  /** Region id → sum of positive increments made in that region in this epoch. */
  p: Record<string, number>;
  /** Region id → sum of |negative increments| made in that region in this epoch. */
  n: Record<string, number>;
}

/**
 * One complete version of a record (or of its tombstone), with all the
 * metadata replication and conflict resolution need. This is what the shipper
 * reads, what travels over the wire, and what the receiver applies.
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
  /** Counter state of bins that were written by increments. */
  counters?: Record<string, CounterState>;
}

/** Metadata returned to a client after a read or write. */
export interface RecordMetaView {
  generation: number;
  /** Seconds to live; -1 = never expires. */
  ttl: number;
  lut: HlcTimestamp;
  region: number;
}

/** A record as a client reads it. */
export interface StoredRecord extends RecordMetaView {
  key?: UserKey;
  digest: Digest;
  bins: Bins;
}

export type ChangeKind = 'write' | 'delete' | 'expire';

/** One entry of a namespace's change log. */
export interface ChangeEvent {
  /** Strictly increasing per namespace, starting at 1. */
  seq: number;
  kind: ChangeKind;
  ns: string;
  set: string;
  digest: Digest;
  /** Last-update-time of the record after this change. */
  lut: HlcTimestamp;
  /** Region that made the change (local region for local writes, origin for applied remote versions). */
  region: number;
}

/**
 * What a change-log reader gets: entries, or the news that it fell behind the
 * retention cap. After an overflow the reader resumes by scanning the records
 * whose last-update-time is newer than `resumeFromLut` (the last one it
 * handled), then continues from `resumeSeq`.
 */
export type ChangeBatch =
  | { overflow: false; events: ChangeEvent[] }
  | { overflow: true; resumeFromLut: HlcTimestamp; resumeSeq: number };
