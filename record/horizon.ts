/**
 * The delete horizon: the lut up to which a record delete removed every bin
 * (docs/conflict.md). A tombstone's horizon is its lut unless it states
 * another; a live record states the horizon of the delete it was written over.
 */
import type { HlcTimestamp, RecordVersion } from './types.js';

/**
 * The reserved binLuts entry holding a record's delete horizon. 18 bytes:
 * longer than any bin name may be (15), so no real bin can clash.
 */
export const DELETE_HORIZON_BIN = '!record-deleted-at';

/** A version's delete horizon: the explicit entry, else its lut for a tombstone, else 0. */
export function deleteHorizon(v: Pick<RecordVersion, 'binLuts' | 'deleted' | 'lut'>): HlcTimestamp {
  if (Object.hasOwn(v.binLuts, DELETE_HORIZON_BIN)) return v.binLuts[DELETE_HORIZON_BIN]!;
  return v.deleted ? v.lut : 0;
}
