/** The primary index's door: the rest of the engine imports from here. */
export {
  DIGEST_BYTES,
  FLAGS_USER_MASK,
  FLAG_HAS_KEY,
  FLAG_TOMBSTONE,
  OFFSET_BYTES_MAX,
  OFFSET_UNIT_BYTES,
  PARTITION_COUNT,
  PrimaryIndex,
  SLOTS_MAX,
  SLOT_BYTES,
} from './primary-index.js';
export type { IndexEntry, PartitionSnapshot, PrimaryIndexOptions } from './primary-index.js';
export { SET_NAME_BYTES_MAX, SETS_MAX, SetTable } from './set-table.js';
