/**
 * The invariants of a PrimaryIndex, checked from its raw state: used after
 * loading a saved index (a file with a good checksum can still come from a
 * buggy writer) and by tests after random operation sequences.
 *
 * The shallow check reads the slots and the buckets sequentially and keeps two
 * bitmaps (live slots, slots seen in buckets) small enough for the cache, so it
 * costs a few hundred ms at 10 M records. The deep check also recomputes every
 * bucket's tag and home from its digest, which is random access.
 */
import type { IndexState } from './index-state.js';
import { COLUMN_BYTE_OFFSETS, FLAG_FREE, FLAG_TOMBSTONE, NO_SLOT, PARTITION_COUNT, SLOT_MASK, TAG_SHIFT } from './layout.js';

/** What the deep check asks of the index: where each live slot's digest belongs. */
export interface DigestHomes {
  tagOf(slot: number): number;
  homeBucketOf(slot: number): number;
}

/** Describes the first broken invariant, or returns null. */
export function checkIndexStructure(index: DigestHomes, state: IndexState, deep: boolean): string | null {
  const slotsInChunks = state.chunkBuffers.length * 2 ** state.chunkBits;
  if (state.highWater > slotsInChunks) return `high water ${state.highWater} beyond ${slotsInChunks} slots in chunks`;
  if (state.count > state.highWater) return `count ${state.count} above high water ${state.highWater}`;
  if (state.count > (state.buckets.length * 3) / 4) return `count ${state.count} above the table's load limit`;
  const live = new Uint8Array(Math.ceil(state.highWater / 8));
  return checkSlots(state, live) ?? checkFreeList(state, live) ?? checkBuckets(index, state, live, deep);
}

function isSet(bits: Uint8Array, i: number): boolean {
  return (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/** Counts live slots, tombstones and partitions in one sequential pass, filling `live`. */
function checkSlots(state: IndexState, live: Uint8Array): string | null {
  const n = 2 ** state.chunkBits;
  const perPartition = new Uint32Array(PARTITION_COUNT);
  let count = 0;
  let tombstones = 0;
  for (let c = 0; c * n < state.highWater; c++) {
    const buffer = state.chunkBuffers[c]!;
    const flags = new Uint8Array(buffer, COLUMN_BYTE_OFFSETS.flags * n, n);
    const digest = new Uint32Array(buffer, COLUMN_BYTE_OFFSETS.digest * n, 5 * n);
    const end = Math.min(n, state.highWater - c * n);
    for (let i = 0; i < end; i++) {
      const f = flags[i]!;
      if (f & FLAG_FREE) continue;
      const slot = c * n + i;
      live[slot >>> 3] |= 1 << (slot & 7);
      count++;
      if (f & FLAG_TOMBSTONE) tombstones++;
      perPartition[digest[i * 5]! & 0x0fff]++;
    }
  }
  if (count !== state.count) return `${count} live slots but count ${state.count}`;
  if (tombstones !== state.tombstoneCount) return `${tombstones} tombstones but tombstone count ${state.tombstoneCount}`;
  for (let p = 0; p < PARTITION_COUNT; p++) {
    if (perPartition[p] !== state.partitionCounts[p]) return `partition ${p} counts ${state.partitionCounts[p]} records, its slots ${perPartition[p]}`;
  }
  return null;
}

function checkFreeList(state: IndexState, live: Uint8Array): string | null {
  const n = 2 ** state.chunkBits;
  const expected = state.highWater - state.count;
  let free = 0;
  for (let slot = state.freeHead; slot !== NO_SLOT; ) {
    if (slot >= state.highWater || isSet(live, slot) || ++free > expected) return `free list broken at slot ${slot}`;
    // A free slot's offset column holds the next free slot.
    const buffer = state.chunkBuffers[Math.floor(slot / n)]!;
    slot = new Uint32Array(buffer, COLUMN_BYTE_OFFSETS.offset * n, n)[slot % n]!;
  }
  return free === expected ? null : `free list holds ${free} slots, expected ${expected}`;
}

function checkBuckets(index: DigestHomes, state: IndexState, live: Uint8Array, deep: boolean): string | null {
  const buckets = state.buckets;
  const mask = buckets.length - 1;
  const seen = new Uint8Array(live.length);
  let used = 0;
  for (let b = 0; b < buckets.length; b++) {
    const entry = buckets[b]!;
    if (entry === 0) continue;
    used++;
    const slot = (entry & SLOT_MASK) - 1;
    if (slot >= state.highWater || !isSet(live, slot)) return `bucket ${b} points at slot ${slot}, which is not live`;
    if (isSet(seen, slot)) return `bucket ${b} points at slot ${slot}, which another bucket holds too`;
    seen[slot >>> 3] |= 1 << (slot & 7);
    if (!deep) continue;
    if (entry >>> TAG_SHIFT !== index.tagOf(slot)) return `bucket ${b} has the wrong tag for slot ${slot}`;
    // Linear probing: every bucket from the entry's home up to its own is occupied.
    for (let k = index.homeBucketOf(slot); k !== b; k = (k + 1) & mask) {
      if (buckets[k] === 0) return `bucket ${b} is unreachable from its home ${k}`;
    }
  }
  // Every live slot is in a bucket exactly once: distinct, all live, and as many as live slots.
  return used === state.count ? null : `${used} buckets in use but ${state.count} live slots`;
}
