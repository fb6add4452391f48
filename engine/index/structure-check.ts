/**
 * The invariants of a PrimaryIndex, checked from outside: used after loading a
 * saved index (a file with a good checksum can still come from a buggy writer)
 * and by tests after random operation sequences.
 */
import type { IndexState, PrimaryIndex } from './primary-index.js';
import { OFFSET_UNIT_BYTES, PARTITION_COUNT } from './primary-index.js';

const NO_SLOT = 0xffff_ffff;
const TAG_SHIFT = 27;
const SLOT_MASK = (1 << TAG_SHIFT) - 1;

/** Describes the first broken invariant, or returns null. */
export function checkIndexStructure(index: PrimaryIndex, state: IndexState, deep: boolean): string | null {
  return checkCounts(index, state) ?? checkFreeList(index, state) ?? checkBuckets(index, state, deep);
}

function checkCounts(index: PrimaryIndex, state: IndexState): string | null {
  const slotsInChunks = state.chunkBuffers.length * 2 ** state.chunkBits;
  if (state.highWater > slotsInChunks) return `high water ${state.highWater} beyond ${slotsInChunks} slots in chunks`;
  if (state.count > state.highWater) return `count ${state.count} above high water ${state.highWater}`;
  if (state.count > (state.buckets.length * 3) / 4) return `count ${state.count} above the table's load limit`;
  let live = 0;
  let tombstones = 0;
  const perPartition = new Uint32Array(PARTITION_COUNT);
  for (let slot = 0; slot < state.highWater; slot++) {
    if (!index.isLive(slot)) continue;
    live++;
    if (index.isTombstone(slot)) tombstones++;
    perPartition[index.partitionOf(slot)]++;
  }
  if (live !== state.count) return `${live} live slots but count ${state.count}`;
  if (tombstones !== state.tombstoneCount) return `${tombstones} tombstones but tombstone count ${state.tombstoneCount}`;
  for (let p = 0; p < PARTITION_COUNT; p++) {
    if (perPartition[p] !== state.partitionCounts[p]) return `partition ${p} counts ${state.partitionCounts[p]} records, its slots ${perPartition[p]}`;
  }
  return null;
}

function checkFreeList(index: PrimaryIndex, state: IndexState): string | null {
  const expected = state.highWater - state.count;
  let free = 0;
  // A free slot's offset column holds the next free slot.
  for (let slot = state.freeHead; slot !== NO_SLOT; slot = index.offset(slot) / OFFSET_UNIT_BYTES) {
    if (slot >= state.highWater || index.isLive(slot) || ++free > expected) return `free list broken at slot ${slot}`;
  }
  return free === expected ? null : `free list holds ${free} slots, expected ${expected}`;
}

function checkBuckets(index: PrimaryIndex, state: IndexState, deep: boolean): string | null {
  const buckets = state.buckets;
  const mask = buckets.length - 1;
  const seen = new Uint8Array(Math.ceil(state.highWater / 8));
  let used = 0;
  for (let b = 0; b < buckets.length; b++) {
    const entry = buckets[b]!;
    if (entry === 0) continue;
    used++;
    const slot = (entry & SLOT_MASK) - 1;
    if (!index.isLive(slot)) return `bucket ${b} points at slot ${slot}, which is not live`;
    if (seen[slot >>> 3]! & (1 << (slot & 7))) return `bucket ${b} points at slot ${slot}, which another bucket holds too`;
    seen[slot >>> 3] |= 1 << (slot & 7);
    if (!deep) continue;
    if (entry >>> TAG_SHIFT !== index.tagOf(slot)) return `bucket ${b} has the wrong tag for slot ${slot}`;
    // Linear probing: every bucket from the entry's home up to its own is occupied.
    for (let k = index.homeBucketOf(slot); k !== b; k = (k + 1) & mask) {
      if (buckets[k] === 0) return `bucket ${b} is unreachable from its home ${k}`;
    }
  }
  return used === state.count ? null : `${used} buckets in use but ${state.count} live slots`;
}
