/**
 * The engine's only door. Everything outside engine/ imports from here:
 *
 *   import { Engine, computeDigest, isEngineError } from './index.js';
 *   const engine = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: 'user_data' }] });
 */
export { Engine } from './engine.js';
export type { RequestStats } from './requests/admin.js';
export { BATCH_KEYS_MAX, BIN_NAME_BYTES_MAX, BINS_PER_RECORD_MAX, LIST_ITEMS_MAX, OPERATIONS_MAX } from './limits.js';
export { TTL_DONT_UPDATE, TTL_NEVER_EXPIRE, TTL_NAMESPACE_DEFAULT } from './operations/index.js';
export type { LatencySnapshot, OpOutcome, OpType, OpTypeSnapshot, OpsStatsSnapshot } from './stats/index.js';
export type * from './types.js';
export type * from './api.js';
export { ENGINE_ERRORS, EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export {
  computeDigest, digestFromHex, digestHex, keyBytes, keyTypeOf, partitionId,
  DIGEST_BYTES, PARTITION_COUNT, KEY_TYPE_BYTES, KEY_TYPE_INTEGER, KEY_TYPE_STRING,
} from './digest.js';
export {
  Hlc, ManualClock, systemClock, physicalMs, logicalOf, hlcFromMs, isBeyondMaxOffset, HLC_LOGICAL_BITS, HLC_LOGICAL_MAX, type Clock,
} from './hlc.js';
export { NAMESPACE_DEFAULTS, resolveEngineOptions, type EngineOptions, type NamespaceOptions, type StorageEngineKind } from './options.js';
export type { NamespaceStatsSnapshot } from './namespace/stats.js';
export { describeStartReport, type AckMode, type LostWindow, type StartReport } from './namespace/start-report.js';
export { metaView, nextVersionForPut, tombstoneFor, voidTimeFor } from './operations/record-rules.js';
export { crc32 } from './storage/checksum.js';
// The change log (engine/changelog/) through its own door.
export { ChangeLog, CHANGELOG_DEFAULTS, type ChangeLogOptions, type ChangeLogStats, type CursorStats, type NewChangeEvent } from './changelog/index.js';
// The primary index, engine-ops' pure operations, secondary indexes and operation
// statistics, each through its own door (names also exported above win).
export * from './primary-index/index.js';
export * from './operations/index.js';
export * from './secondary-index/index.js';
export * from './stats/index.js';
// Per-partition hashes and record listings for `xdrgate verify`.
export { partitionDigests, partitionRecords, recordHash, type PartitionDigest, type PartitionDigestOptions, type PartitionRecordEntry } from './namespace/partition-digest.js';
