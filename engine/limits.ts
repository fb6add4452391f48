/**
 * The engine's limits on what one request may ask, in one place. Every front
 * end (the HTTP API, the Aerospike service port) takes them from here through
 * the engine's door instead of keeping its own numbers; the per-namespace
 * limit on a record's size is the namespace option `maxRecordSize`
 * (options.ts), enforced on every write path by Namespace.store.
 */

/** Steps in one operate; a guard against unbounded work inside one atomic call. */
export const OPERATIONS_MAX = 1_000;
/** Keys in one batch read (Aerospike's default batch-max-requests). */
export const BATCH_KEYS_MAX = 5_000;
/** Aerospike's limit on bin names, in UTF-8 bytes. */
export const BIN_NAME_BYTES_MAX = 15;
/** Bins in one record. */
export const BINS_PER_RECORD_MAX = 32_767;
/** Nesting of lists and maps in a bin value (a guard against runaway recursion, far above real data). */
export const BIN_DEPTH_MAX = 64;
/** Longest list an operation may produce: a bound on the work and memory of one step, checked before the record-size check. */
export const LIST_ITEMS_MAX = 1_000_000;
/** The default of a namespace's `maxRecordSize`: 1 MiB, or the write block when that is smaller (a record is written within one block). */
export const RECORD_BYTES_DEFAULT_MAX = 1024 * 1024;
/** The smallest `maxRecordSize` a namespace may set. */
export const RECORD_BYTES_MIN = 1024;
