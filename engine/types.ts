/**
 * The engine's data model and its contract with the rest of xdrgate.
 *
 * Aerospike's model: namespace → set → record → bins. A record is addressed by
 * the 20-byte RIPEMD-160 digest of (set, key type, key bytes); the digest picks
 * one of 4096 partitions. The record model itself (RecordVersion, bin values,
 * HLC timestamps, ...) lives in record/; these are the engine's own types: how
 * clients address and see records, and what its change log holds.
 */
import type { Bins, Digest, HlcTimestamp, UserKey } from '../record/index.js';

/**
 * Address of a record as users give it: the user key, or the digest (Aerospike
 * clients send the digest they computed and the user key only when it is to be
 * stored). One of the two is required; when both are given the digest
 * addresses the record and the key is what gets stored.
 */
export interface RecordKey {
  ns: string;
  set: string;
  key?: UserKey;
  digest?: Digest;
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
