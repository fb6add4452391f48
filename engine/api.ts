/**
 * The engine's public surface, written down before the implementation so that
 * the shipper, receiver and gateway can be built against it in parallel.
 * `Engine` (engine/engine.ts) implements `EngineApi`; `ChangeCursor` is what
 * `engine.changeLog(ns).cursor(name)` returns.
 */
import type {
  Bins,
  ChangeBatch,
  Digest,
  HlcTimestamp,
  RecordKey,
  RecordMetaView,
  RecordVersion,
  StoredRecord,
} from './types.js';

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
   * Stores a version exactly as given (metadata included): the receiver's write
   * path, after conflict resolution chose it. Appends a change-log entry whose
   * region is `version.region`.
   */
  applyVersion(version: RecordVersion): Promise<ApplyResult>;
  /** Versions (tombstones included) with lut > `sinceLut`, for change-log overflow recovery and rewind. */
  scanVersionsSince(ns: string, sinceLut: HlcTimestamp): AsyncIterable<RecordVersion>;

  changeLog(ns: string): ChangeLogApi;
  /** Current hybrid-logical-clock time of this engine (advances the clock). */
  now(): HlcTimestamp;

  close(): Promise<void>;
}
