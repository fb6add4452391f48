/** The raw state of a primary index: what index-file.ts saves and restores and structure-check.ts checks. */
import type { SetTable } from './set-table.js';

export interface IndexState {
  chunkBits: number;
  seed: number;
  count: number;
  highWater: number;
  freeHead: number;
  tombstoneCount: number;
  recordsMax: number;
  chunkBuffers: ArrayBuffer[];
  buckets: Uint32Array;
  partitionCounts: Uint32Array;
  sets: SetTable;
}
