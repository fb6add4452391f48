/**
 * The engine's only door: what the rest of xdrgate uses of it, nothing more.
 * The record model (RecordVersion, bin values, the hybrid logical clock) has
 * its own door, record/index.ts.
 *
 *   import { Engine, isEngineError } from '../engine/index.js';
 *   const engine = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: 'user_data' }] });
 */
// The engine, its options and the contracts it implements.
export { Engine } from './engine.js';
export { NAMESPACE_DEFAULTS, resolveEngineOptions, type EngineOptions, type NamespaceOptions, type StorageEngineKind } from './options.js';
export { systemClock } from './system-clock.js';
export type * from './api.js';
export type * from './types.js';
export type { RequestStats } from './requests/admin.js';
// Typed errors and the limits every front end takes from the engine.
export { ENGINE_ERRORS, EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export { BATCH_KEYS_MAX, BIN_NAME_BYTES_MAX, BINS_PER_RECORD_MAX, LIST_ITEMS_MAX, OPERATIONS_MAX } from './limits.js';
// Addressing records: digests and partitions.
export {
  computeDigest, digestFromHex, digestHex, keyBytes, keyTypeOf, partitionId,
  DIGEST_BYTES, PARTITION_COUNT, KEY_TYPE_BYTES, KEY_TYPE_INTEGER, KEY_TYPE_STRING,
} from './digest.js';
// Operate's vocabulary as front ends build it: collection (CDT) steps and TTL policy values.
export { CdtSpecial, CTX, ListOp, MapOp, ReturnType, isCdtRead, isKnownCdtCode, type CdtArg, type CdtContextStep, type CdtStep } from './operations/steps/cdt/types.js';
export { HllOp, HllWriteFlags, isHllRead, isKnownHllCode, type HllStep } from './operations/steps/hll/types.js';
export { isReadingStep } from './operations/validate.js';
export { TTL_DONT_UPDATE, TTL_NEVER_EXPIRE, TTL_NAMESPACE_DEFAULT } from './operations/policy.js';
// What a namespace reports: statistics, latencies, the start report.
export type { NamespaceStatsSnapshot } from './namespace/stats.js';
export { describeStartReport, type AckMode, type LostWindow, type StartReport } from './namespace/start-report.js';
export { EXPORT_EXPONENT_FIRST, EXPORT_EXPONENT_LAST, LatencyHistogram, type LatencyBuckets, type LatencySnapshot } from './stats/index.js';
export type { OpOutcome, OpType, OpTypeSnapshot, OpsStatsSnapshot } from './stats/ops-stats.js';
// The change log a namespace keeps.
export { ChangeLog, CHANGELOG_DEFAULTS, type ChangeLogOptions, type ChangeLogStats, type CursorStats, type NewChangeEvent } from './changelog/index.js';
// Per-partition hashes and record listings for `xdrgate verify` and anti-entropy.
export { partitionDigests, partitionRecords, recordHash, type PartitionDigest, type PartitionDigestOptions, type PartitionRecordEntry } from './namespace/partition-digest.js';
