/**
 * The engine's public surface, written down before the implementation so that
 * the shipper, receiver and gateway can be built against it in parallel.
 * `Engine` (engine/engine.ts) implements `EngineApi`; `ChangeCursor` is what
 * `engine.changeLog(ns).cursor(name)` returns.
 */
import type { ChangeBatch, RecordKey, RecordMetaView, StoredRecord } from './types.js';
import type { Bins, Digest, HlcTimestamp, RecordVersion } from '../record/index.js';
import type { StartReport } from './namespace/start-report.js';

export type ExistsPolicy =
  /** Create the record or merge bins into it (Aerospike UPDATE, the default). */
  | 'upsert'
  /** Fail with ENGINE_ERR_RECORD_EXISTS when present (CREATE_ONLY). */
  | 'create'
  /** Fail with ENGINE_ERR_RECORD_NOT_FOUND when absent (UPDATE_ONLY). */
  | 'update'
  /** Replace all bins; fail when absent (REPLACE_ONLY). */
  | 'replace'
  /** Replace all bins, creating the record when absent (REPLACE). */
  | 'create-or-replace';

export interface WritePolicy {
  /** Seconds; 0 = namespace default-ttl, -1 = never expires. @default 0 */
  ttl?: number;
  /** @default 'upsert' */
  exists?: ExistsPolicy;
  /** Generation check: 'eq' fails unless generation === value, 'gt' unless value > generation. */
  generation?: { mode: 'eq' | 'gt'; value: number };
  /** Store the user key with the record (Aerospike POLICY_KEY_SEND). @default true */
  sendKey?: boolean;
}

export interface RemovePolicy {
  /** Leave a tombstone that replicates and wins over older writes. @default true */
  durable?: boolean;
  generation?: { mode: 'eq' | 'gt'; value: number };
}

export interface ReadOptions {
  /** Only these bins; all when absent. */
  bins?: string[];
}

/** How an applied remote version fared against the local one. */
export interface ApplyResult {
  applied: boolean;
}

export interface ChangeCursor {
  readonly name: string;
  /** Last durably committed sequence number (0 = nothing handled yet). */
  committedSeq(): number;
  /**
   * Up to `max` events after the cursor's read position (which starts at the
   * committed position and advances with each read), or an overflow notice.
   * Resolves immediately with an empty list when there is nothing new.
   */
  read(max: number): Promise<ChangeBatch>;
  /** Resolves when events after the read position exist, or after `timeoutMs`, or on abort. */
  waitForMore(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Durably record that everything up to `seq` (and `lut`, for overflow recovery) is handled. */
  commit(seq: number, lut: HlcTimestamp): Promise<void>;
  /** Move the read position back to the committed position (after a failed send). */
  rewindToCommitted(): void;
  /** Move the read and committed position to `seq` (e.g. to the log head after an overflow scan). */
  seek(seq: number): Promise<void>;
}

export interface ChangeLogApi {
  /** Sequence number of the newest entry (0 when empty). */
  headSeq(): number;
  /** Opens (creating if needed) a named, persistent cursor. */
  cursor(name: string): Promise<ChangeCursor>;
  /** Removes a named cursor so it no longer holds back segment deletion. */
  dropCursor(name: string): Promise<void>;
  cursorNames(): string[];
}

/** A version's metadata: every field but bins, binLuts, counters and dormantCounters. */
export type VersionHead = Omit<RecordVersion, 'bins' | 'binLuts' | 'counters' | 'dormantCounters'>;

/**
 * A stored version as the engine holds it, lent to the reader given to
 * EngineApi.readStoredVersions for the duration of one call: its metadata and
 * its body exactly as stored, `bytes[bodyStart, bodyEnd)`. The body is one
 * standard MessagePack array: [bins, binLuts], or [bins, binLuts, counters]
 * (written before dormant counters existed), or
 * [bins, binLuts, counters | nil, dormantCounters]
 * (engine/storage/record-format/bin-codec.ts). `bytes` is the engine's own
 * buffer and the view is refilled for the next record: read them during the
 * call, never write or keep them (keep `head` and what you derive).
 */
export interface StoredVersionView {
  readonly head: VersionHead;
  readonly bytes: Uint8Array;
  /** A DataView over the whole of `bytes`. */
  readonly view: DataView;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** The whole version decoded from storage, as readVersion returns it. */
  decode(): RecordVersion;
}

/** How scanVersionsSince reports its size and the records it cannot read. */
export interface VersionScanOptions {
  /** Called once, before the first version, with the number of records whose lut was > sinceLut when the scan began (records removed meanwhile are skipped). */
  onTotal?(records: number): void;
  /**
   * Called instead of ending the scan when a record fails its checks
   * (ENGINE_ERR_CORRUPTED_STORAGE): the scan skips that record and goes on.
   * Other errors still end the scan.
   */
  onUnreadable?(digest: Digest, err: Error): void;
}
export interface EngineApi {
  readonly regionId: number;
  namespaces(): string[];

  put(key: RecordKey, bins: Bins, policy?: WritePolicy): Promise<RecordMetaView>;
  get(key: RecordKey, options?: ReadOptions): Promise<StoredRecord | null>;
  exists(key: RecordKey): Promise<RecordMetaView | null>;
  remove(key: RecordKey, policy?: RemovePolicy): Promise<boolean>;
  touch(key: RecordKey, ttlSec?: number): Promise<RecordMetaView>;

  /** The full current version of a record or of its tombstone (for the shipper); null when neither exists. */
  readVersion(ns: string, digest: Digest): Promise<RecordVersion | null>;
  /**
   * For each digest, `read` of its current version as stored (record or
   * tombstone), or null when neither exists: the shipper's read path, which
   * turns stored bodies into wire bytes without decoding the bins, one promise
   * for a whole batch. `read` runs synchronously, once per version read; what
   * it throws ends the call. Optional so that test doubles need not implement
   * it: without it the shipper reads decoded versions (readVersion).
   */
  readStoredVersions?<T>(ns: string, digests: readonly Digest[], read: (stored: StoredVersionView) => T): Promise<Array<T | null>>;
  /**
   * Stores a version exactly as given (metadata included): the receiver's write
   * path, after conflict resolution chose it. Appends a change-log entry whose
   * region is `version.region`.
   */
  applyVersion(version: RecordVersion): Promise<ApplyResult>;
  /**
   * The receiver's step as one: reads the current version of the record
   * (tombstones included; null when neither exists), asks `decide` which
   * version to store (null: none) and stores it as applyVersion does, with no
   * other write to the record in between. A separate read and store would let
   * a local write land between them and be overwritten by a winner computed
   * without it (a lost increment). `decide` must be pure and synchronous.
   */
  applyDecided(ns: string, digest: Digest, decide: (local: RecordVersion | null) => RecordVersion | null): Promise<ApplyResult>;
  /**
   * Versions (tombstones included) with lut > `sinceLut`, for change-log
   * overflow recovery and rewind. Without `options.onUnreadable` a record that
   * fails its checks ends the scan with ENGINE_ERR_CORRUPTED_STORAGE.
   */
  scanVersionsSince(ns: string, sinceLut: HlcTimestamp, options?: VersionScanOptions): AsyncIterable<RecordVersion>;

  changeLog(ns: string): ChangeLogApi;
  /**
   * What the namespace's start could tell about its previous stop and which
   * acknowledged changes it may have lost (a crash in buffered or memory mode).
   * Optional so that test doubles need not implement it.
   */
  startReport?(ns: string): StartReport;
  /** Current hybrid-logical-clock time of this engine (advances the clock). */
  now(): HlcTimestamp;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Beyond single-record reads and writes: operate (atomic steps on one record,
// collection operations included), batch reads, scans, secondary indexes and
// queries. Test doubles of the engine may implement EngineApi alone.
// ---------------------------------------------------------------------------

import type { BinValue } from '../record/index.js';
import type { CdtStep } from './operations/steps/cdt/types.js';
import type { HllStep } from './operations/steps/hll/types.js';

/** One step of an atomic single-record `operate`. Steps run in order. */
export type Operation =
  | { op: 'read'; bin: string }
  | { op: 'write'; bin: string; value: BinValue }
  /** Integer or double increment; creates the bin at `value`; a type mismatch is ENGINE_ERR_BIN_TYPE_MISMATCH. */
  | { op: 'incr'; bin: string; value: number | bigint }
  | { op: 'append'; bin: string; value: string | Uint8Array }
  | { op: 'prepend'; bin: string; value: string | Uint8Array }
  | { op: 'touch' }
  /** Removes the whole record (a tombstone whose delete horizon is this write); no changing step may follow it. */
  | { op: 'delete-record' }
  | { op: 'delete-bin'; bin: string }
  | { op: 'list-append'; bin: string; value: BinValue }
  | { op: 'list-insert'; bin: string; index: number; value: BinValue }
  | { op: 'list-set'; bin: string; index: number; value: BinValue }
  | { op: 'list-remove'; bin: string; index: number; count?: number }
  | { op: 'list-get'; bin: string; index: number }
  | { op: 'list-get-range'; bin: string; index: number; count?: number }
  | { op: 'list-size'; bin: string }
  | { op: 'list-sort'; bin: string; descending?: boolean }
  | { op: 'map-put'; bin: string; key: string; value: BinValue }
  | { op: 'map-put-items'; bin: string; items: Record<string, BinValue> }
  | { op: 'map-get'; bin: string; key: string }
  | { op: 'map-remove'; bin: string; key: string }
  | { op: 'map-incr'; bin: string; key: string; value: number | bigint }
  | { op: 'map-size'; bin: string }
  | { op: 'map-get-range'; bin: string; from: string; to: string }
  /**
   * Any of Aerospike's list or map operations (CDT), by its op code, with its
   * arguments in the order Aerospike clients send them and an optional
   * context path (docs/engine-ops.md): what the Aerospike service port runs.
   */
  | { op: 'cdt'; bin: string; step: CdtStep }
  /**
   * Any of Aerospike's HyperLogLog operations, by its op code (init, add,
   * set-union, refresh-count, fold; count, union, union count, intersect count,
   * similarity, describe, may-contain), with its arguments (docs/engine-ops.md).
   */
  | { op: 'hll'; bin: string; step: HllStep };

export interface OperateResult extends RecordMetaView {
  /** One entry per operation, in order: the value read, or null for steps that return nothing. */
  results: BinValue[];
}

/** Integer, string, bytes (Aerospike's BLOB, by hash) or GeoJSON (Aerospike's GEO2DSPHERE: points and regions, queried by geometry). */
export type SecondaryIndexType = 'integer' | 'string' | 'blob' | 'geo2dsphere';

/** What of the bin an index files: the value itself (default), each list element, each map key, or each map value. */
export type SecondaryIndexCollection = 'list' | 'mapkeys' | 'mapvalues';

/** One step of a path into nested lists and maps (Aerospike's CDT context types; values are strings or integers). */
export interface IndexContextStep {
  type: number;
  value: string | number;
}

export interface SecondaryIndexSpec {
  name: string;
  ns: string;
  /** Limit the index to one set; all sets when absent. */
  set?: string;
  bin: string;
  type: SecondaryIndexType;
  /** Index the elements of a list or map in the bin (or at `context`) rather than the value. */
  collection?: SecondaryIndexCollection;
  /** Index the value found at this path inside the bin's lists and maps. */
  context?: IndexContextStep[];
}

/** Which index a filter asks (the default: the bin's own value, no context). */
interface FilterTarget {
  bin: string;
  collection?: SecondaryIndexCollection;
  context?: IndexContextStep[];
}

/**
 * `geoWithin` finds GeoJSON points inside a region (a Polygon, MultiPolygon or
 * AeroCircle, as GeoJSON text); `geoContains` finds GeoJSON regions that hold
 * a point (a Point, as GeoJSON text). Both need a geo2dsphere index.
 */
export type QueryFilter =
  | (FilterTarget & { equals: number | bigint | string | Uint8Array })
  | (FilterTarget & { between: [number | bigint, number | bigint] })
  | (FilterTarget & { geoWithin: string })
  | (FilterTarget & { geoContains: string });

export interface ScanOptions {
  set?: string;
  bins?: string[];
  /** Called every so often with the number of records visited so far. */
  onProgress?: (visited: number) => void;
  signal?: AbortSignal;
}

export interface BatchKey extends RecordKey {}

/** A scan or query by partition (Aerospike clients' form): see EngineOpsApi.scanPartitions. */
export interface PartitionScanOptions {
  /** Partitions to read from their start. */
  partitions: number[];
  /** Partitions to resume: each digest's partition is read after that digest. */
  resumeAfter?: Digest[];
  set?: string;
  bins?: string[];
  /** Metadata only: records come with no bins. */
  noBins?: boolean;
  /** A secondary-index query instead of a scan. */
  filter?: QueryFilter;
  signal?: AbortSignal;
}

/** A record of a partition, or the news that a partition has no more records. */
export type PartitionScanItem = { pid: number; record: StoredRecord; set: string; done?: undefined } | { pid: number; done: true; record?: undefined };

export interface EngineOpsApi {
  operate(key: RecordKey, ops: Operation[], policy?: WritePolicy): Promise<OperateResult>;
  /** Up to 5,000 keys; a missing key yields null at its position, not an error. */
  batchGet(keys: BatchKey[], options?: ReadOptions): Promise<Array<StoredRecord | null>>;
  /** Streams the live records of a namespace (or one set) without blocking writes. */
  scan(ns: string, options?: ScanOptions): AsyncIterable<StoredRecord>;
  createIndex(spec: SecondaryIndexSpec): Promise<void>;
  dropIndex(ns: string, name: string): Promise<void>;
  listIndexes(ns: string): SecondaryIndexSpec[];
  query(ns: string, filter: QueryFilter, options?: ScanOptions): AsyncIterable<StoredRecord>;
  /**
   * Records of the given partitions (in ascending partition order), in ascending
   * digest order within each, each partition followed by its done marker; with
   * `filter`, a secondary-index query. Optional so that test doubles need not
   * implement it.
   */
  scanPartitions?(ns: string, options: PartitionScanOptions): AsyncIterable<PartitionScanItem>;
}

