/**
 * The compact primary index of one namespace: digest → slot → record metadata.
 *
 * Aerospike keeps 64 bytes of RAM per record; a JS Map of objects costs about
 * 165 and V8 refuses a Map past 2^24 entries, so this index is built from typed
 * arrays only.
 *
 * Layout (why: struct-of-arrays over typed arrays is what V8 optimises best, and
 * fixed-size chunks mean growth never copies the entries and wastes at most one
 * chunk):
 *
 *   entries, in chunks of 2^chunkBits slots (default 65,536), one column each:
 *     digest    Uint32Array ×5   20 B  the RIPEMD-160 digest, little-endian words
 *     generation Uint32Array      4 B  0 only for a freshly inserted, unwritten slot
 *     voidTime  Uint32Array       4 B  unix seconds, 0 = never expires
 *     lut       Float64Array      8 B  HLC timestamp (see types.ts)
 *     offset    Uint32Array       4 B  byte offset / 16 (reaches 64 GiB per device);
 *                                      holds the next free slot while a slot is free
 *     size      Uint32Array       4 B  stored size in bytes
 *     setId     Uint16Array       2 B  id in `sets` (0 = no set)
 *     region    Uint8Array        1 B  region id 1..255 of the last change
 *     flags     Uint8Array        1 B  FLAG_* bits; bit 7 is reserved (free slot)
 *     device    Uint8Array        1 B  device (file) number
 *                                     49 B per slot
 *   hash table: Uint32Array of buckets, open addressing with linear probing and
 *     backward-shift deletion (no tombstones, so deletes never slow later finds).
 *     A bucket holds (tag << 27) | (slot + 1); 0 is empty. The 5-bit tag comes
 *     from digest bytes other than the bucket's, so 31 of 32 probes that pass a
 *     foreign entry are rejected without touching that entry's digest (a cache
 *     miss). Grows ×2 when count exceeds 3/4 of the buckets: the load then stays
 *     in [3/8, 3/4], i.e. 5.3–10.7 B per record, with on average ≤ 2.5 probes
 *     for a hit and ≤ 8.5 for a miss, all within one or two cache lines.
 *   per-partition live counts: Uint32Array(4096).
 *
 * Slots are stable: an entry never moves while it is live (only buckets move),
 * so callers may keep a slot between calls as long as they do not remove it.
 * Removed slots are reused, last freed first.
 *
 * Hot paths (find, insert, getters, setters) do not allocate.
 */
import { SetTable } from './set-table.js';

/** Stored byte offsets are multiples of this (Aerospike's 16-byte rblock). */
export const OFFSET_UNIT_BYTES = 16;
/** The largest byte offset that fits: (2^32 - 1) × 16, just under 64 GiB. */
export const OFFSET_BYTES_MAX = 0xffff_ffff * OFFSET_UNIT_BYTES;
/** Slot numbers fit in 27 bits (the bucket's other 5 bits are the tag). */
export const SLOTS_MAX = (1 << 27) - 1;
export const PARTITION_COUNT = 4096;
export const DIGEST_BYTES = 20;

/** The record is a durable-delete tombstone. */
export const FLAG_TOMBSTONE = 0x01;
/** The user key is stored with the record. */
export const FLAG_HAS_KEY = 0x02;
/** Bits 0..6 are the engine's; bit 7 marks a free slot and is never exposed. */
export const FLAGS_USER_MASK = 0x7f;

export interface PrimaryIndexOptions {
  /** log2 of slots per chunk (4..20). @default 16 */
  chunkBits?: number;
  /** Initial hash buckets, rounded up to a power of two (≥ 16). @default 4096 */
  initialBuckets?: number;
  /** Maximum live records; insert asserts below it. @default SLOTS_MAX */
  recordsMax?: number;
  /** Hash seed (mixed into bucket choice so crafted keys cannot cluster). @default random */
  seed?: number;
}

/** All metadata of one entry, for read()/write() (not for hot loops: reuse one object). */
export interface IndexEntry {
  generation: number;
  voidTime: number;
  lut: number;
  region: number;
  setId: number;
  flags: number;
  device: number;
  /** Bytes; a multiple of OFFSET_UNIT_BYTES. */
  offset: number;
  size: number;
}

/** Live slots grouped by partition: slots[starts[p] .. starts[p + 1]) are partition p's. */
export interface PartitionSnapshot {
  slots: Uint32Array;
  /** PARTITION_COUNT + 1 entries. */
  starts: Uint32Array;
}

export class PrimaryIndex {
  /** Set name ↔ u16 id table of this namespace (saved with the index). */
  readonly sets: SetTable;

  constructor(options: PrimaryIndexOptions = {}) {
    void options;
    this.sets = new SetTable();
    throw new Error('not implemented');
  }

  /** Live entries (tombstones included). */
  get count(): number { throw new Error('not implemented'); }
  /** Live entries flagged FLAG_TOMBSTONE. */
  get tombstoneCount(): number { throw new Error('not implemented'); }
  /** One past the highest slot ever used: loops over slots run below it. */
  get slotHighWater(): number { throw new Error('not implemented'); }

  /** Slot of the entry with this digest (20 bytes at `at`), or -1. */
  find(digest: Uint8Array, at = 0): number { void digest; void at; throw new Error('not implemented'); }
  /** Inserts an absent digest (asserts absence); the new slot's fields are all 0. */
  insert(digest: Uint8Array, at = 0): number { void digest; void at; throw new Error('not implemented'); }
  /**
   * Slot of the digest, inserting it (fields all 0, generation 0) when absent.
   * `lastUpsertCreated` tells which happened.
   */
  upsert(digest: Uint8Array, at = 0): number { void digest; void at; throw new Error('not implemented'); }
  /** Whether the last upsert() inserted. */
  lastUpsertCreated = false;
  /** Removes a live entry; its slot becomes free for reuse. */
  remove(slot: number): void { void slot; throw new Error('not implemented'); }
  /** Whether `slot` holds a live entry. */
  isLive(slot: number): boolean { void slot; throw new Error('not implemented'); }

  /** Copies the digest into `target` at `at` (a new 20-byte array when absent). */
  digestAt(slot: number, target?: Uint8Array, at = 0): Uint8Array { void slot; void target; void at; throw new Error('not implemented'); }
  /** Aerospike partition id: first two digest bytes little-endian & 0x0FFF. */
  partitionOf(slot: number): number { void slot; throw new Error('not implemented'); }

  generation(slot: number): number { void slot; throw new Error('not implemented'); }
  setGeneration(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  voidTime(slot: number): number { void slot; throw new Error('not implemented'); }
  setVoidTime(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  lut(slot: number): number { void slot; throw new Error('not implemented'); }
  setLut(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  region(slot: number): number { void slot; throw new Error('not implemented'); }
  setRegion(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  setId(slot: number): number { void slot; throw new Error('not implemented'); }
  setSetId(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  flags(slot: number): number { void slot; throw new Error('not implemented'); }
  setFlags(slot: number, value: number): void { void slot; void value; throw new Error('not implemented'); }
  isTombstone(slot: number): boolean { void slot; throw new Error('not implemented'); }
  device(slot: number): number { void slot; throw new Error('not implemented'); }
  /** Byte offset on the device. */
  offset(slot: number): number { void slot; throw new Error('not implemented'); }
  size(slot: number): number { void slot; throw new Error('not implemented'); }
  /** Where the record's current version is stored; offsetBytes must be a multiple of 16. */
  setLocation(slot: number, device: number, offsetBytes: number, sizeBytes: number): void {
    void slot; void device; void offsetBytes; void sizeBytes; throw new Error('not implemented');
  }
  /** Copies every field into `out` and returns it. */
  read(slot: number, out: IndexEntry): IndexEntry { void slot; return out; }
  /** Sets every field from `entry`. */
  write(slot: number, entry: IndexEntry): void { void slot; void entry; throw new Error('not implemented'); }

  /** Calls fn for each live slot in slot order. fn may remove the slot it is given. */
  forEach(fn: (slot: number) => void): void { void fn; throw new Error('not implemented'); }
  /** One pass over all slots, calling fn for the live ones whose partition p has wanted[p] !== 0. */
  forEachInPartitions(wanted: Uint8Array, fn: (slot: number) => void): void { void wanted; void fn; throw new Error('not implemented'); }
  /** Live entries in partition `pid`. */
  partitionCount(pid: number): number { void pid; throw new Error('not implemented'); }
  /** Live slots sorted by partition (a counting sort; allocates 4 B per record). */
  partitionSnapshot(): PartitionSnapshot { throw new Error('not implemented'); }
  /** Every byte of RAM the index holds in typed arrays (entries, buckets, counts, set table). */
  bytesAllocated(): number { throw new Error('not implemented'); }

  /** Writes the index to `path` atomically (temp file, fsync, rename). */
  async save(path: string): Promise<void> { void path; throw new Error('not implemented'); }
  /** Loads a saved index; throws EngineError ENGINE_ERR_CORRUPTED_STORAGE on a bad file. */
  static async load(path: string): Promise<PrimaryIndex> { void path; throw new Error('not implemented'); }
}
