/**
 * The compact primary index of one namespace: digest → slot → record metadata.
 *
 * Aerospike keeps 64 bytes of RAM per record; a JS Map of objects costs about
 * 165 and V8 refuses a Map past 2^24 entries, so this index is built from typed
 * arrays only.
 *
 * Layout (why: struct-of-arrays over typed arrays is what V8 optimises best, and
 * fixed-size chunks mean growth never copies the entries and wastes at most one
 * chunk). Each chunk of C = 2^chunkBits slots (default 65,536) is one
 * ArrayBuffer of 49·C bytes holding one column per field, widest first so every
 * view is aligned:
 *
 *     lut        Float64Array     8 B  HLC timestamp (see types.ts)
 *     digest     Uint32Array ×5  20 B  RIPEMD-160 digest as 5 little-endian words
 *     generation Uint32Array      4 B  0 only for a freshly inserted, unwritten slot
 *     voidTime   Uint32Array      4 B  unix seconds, 0 = never expires
 *     offset     Uint32Array      4 B  byte offset / 16 (reaches 64 GiB per device);
 *                                      holds the next free slot while a slot is free
 *     size       Uint32Array      4 B  stored size in bytes
 *     setId      Uint16Array      2 B  id in `sets` (0 = no set)
 *     region     Uint8Array       1 B  region id 1..255 of the last change
 *     flags      Uint8Array       1 B  FLAG_* bits; bit 7 is reserved (free slot)
 *     device     Uint8Array       1 B  device (file) number
 *                                49 B per slot
 *
 * Hash table: a Uint32Array of buckets, open addressing with linear probing and
 * backward-shift deletion (no tombstones, so deletes never slow later finds). A
 * bucket holds (tag << 27) | (slot + 1); 0 is empty. Digests are already
 * uniformly random, so the bucket comes from digest word 1 (xor a per-index
 * seed, times an odd constant, top bits: crafted keys would need a full 32-bit
 * digest collision each to pile into one bucket) and the 5-bit tag from word 2,
 * so 31 of 32 probes that pass a foreign entry are rejected without touching
 * that entry's digest (a cache miss). The table doubles when the count passes
 * 3/4 of the buckets: the load then stays in [3/8, 3/4], i.e. 5.3–10.7 B per
 * record, with on average ≤ 2.5 probes for a hit and ≤ 8.5 for a miss (Knuth's
 * linear-probing bounds), which lie in one or two cache lines of 16 buckets.
 * At 10 M records the table has 2^24 buckets (load 0.6, 6.7 B per record).
 *
 * Per-partition live counts: Uint32Array(4096).
 *
 * Slots are stable: an entry never moves while it is live (only buckets move),
 * so callers may keep a slot between calls as long as they do not remove it.
 * Removed slots are reused, last freed first. Getters and setters do not check
 * that the slot is live (they are the hot path); passing a removed slot is a
 * programmer error.
 *
 * Hot paths (find, insert, upsert, getters, setters) do not allocate.
 */
import { loadIndexFile, saveIndexFile } from './index-file.js';
import { SetTable } from './set-table.js';
import { checkIndexStructure } from './structure-check.js';

import {
  COLUMN_BYTE_OFFSETS,
  DIGEST_BYTES,
  FLAG_FREE,
  FLAG_TOMBSTONE,
  FLAGS_USER_MASK,
  NO_SLOT,
  OFFSET_BYTES_MAX,
  OFFSET_UNIT_BYTES,
  PARTITION_COUNT,
  SLOT_BYTES,
  SLOT_MASK,
  SLOTS_MAX,
  TAG_SHIFT,
} from './layout.js';

export {
  COLUMN_BYTE_OFFSETS,
  DIGEST_BYTES,
  FLAG_HAS_KEY,
  FLAG_TOMBSTONE,
  FLAGS_USER_MASK,
  OFFSET_BYTES_MAX,
  OFFSET_UNIT_BYTES,
  PARTITION_COUNT,
  SLOT_BYTES,
  SLOTS_MAX,
} from './layout.js';

const HASH_MULTIPLIER = 0x9e37_79b1 | 0;
const BUCKETS_MIN = 16;
/** Rough JS-heap cost of one typed-array view plus its share of an ArrayBuffer object. */
const VIEW_OVERHEAD_BYTES = 160;
const VIEWS_PER_CHUNK = 10;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // The digest words and the saved file rely on little-endian typed arrays.
  throw new Error('xdrgate primary index needs a little-endian platform');
}

export interface PrimaryIndexOptions {
  /** log2 of slots per chunk (4..20); 16,384 slots (784 KiB) wastes under 1 B per record at 1 M. @default 14 */
  chunkBits?: number;
  /** Initial hash buckets, rounded up to a power of two (≥ 16). @default 4096 */
  initialBuckets?: number;
  /** Maximum live records; insert asserts below it (≤ SLOTS_MAX). @default SLOTS_MAX */
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
  /** FLAG_* bits (0..0x7f). */
  flags: number;
  device: number;
  /** Bytes; a multiple of OFFSET_UNIT_BYTES. */
  offset: number;
  size: number;
}

/** Live slots grouped by partition: slots[starts[p] .. starts[p + 1]) are partition p's, ascending. */
export interface PartitionSnapshot {
  slots: Uint32Array;
  /** PARTITION_COUNT + 1 entries. */
  starts: Uint32Array;
}

/** @internal The raw state index-file.ts saves and restores. */
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

function wordAt(d: Uint8Array, at: number): number {
  return (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
}

function assertInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be an integer in ${min}..${max}, got ${value} (programmer error)`);
  }
}

export class PrimaryIndex {
  /** Set name ↔ u16 id table of this namespace (saved with the index). */
  readonly sets: SetTable;
  /** Whether the last upsert() inserted. */
  lastUpsertCreated = false;

  readonly #chunkBits: number;
  readonly #chunkMask: number;
  readonly #seed: number;
  readonly #recordsMax: number;
  #count = 0;
  #tombstones = 0;
  #highWater = 0;
  #freeHead = NO_SLOT;
  #buckets: Uint32Array;
  #bucketShift: number;
  #growAt: number;
  readonly #partitionCounts = new Uint32Array(PARTITION_COUNT);
  readonly #chunkBuffers: ArrayBuffer[] = [];
  readonly #lut: Float64Array[] = [];
  readonly #digest: Uint32Array[] = [];
  readonly #generation: Uint32Array[] = [];
  readonly #voidTime: Uint32Array[] = [];
  readonly #offset: Uint32Array[] = [];
  readonly #size: Uint32Array[] = [];
  readonly #setId: Uint16Array[] = [];
  readonly #region: Uint8Array[] = [];
  readonly #flags: Uint8Array[] = [];
  readonly #device: Uint8Array[] = [];

  constructor(options: PrimaryIndexOptions = {}) {
    const chunkBits = options.chunkBits ?? 14;
    assertInt(chunkBits, 4, 20, 'chunkBits');
    const recordsMax = options.recordsMax ?? SLOTS_MAX;
    assertInt(recordsMax, 1, SLOTS_MAX, 'recordsMax');
    const initialBuckets = options.initialBuckets ?? 4096;
    assertInt(initialBuckets, 1, 2 ** 28, 'initialBuckets');
    this.#chunkBits = chunkBits;
    this.#chunkMask = (1 << chunkBits) - 1;
    this.#recordsMax = recordsMax;
    this.#seed = (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
    this.sets = new SetTable();
    let buckets = BUCKETS_MIN;
    while (buckets < initialBuckets) buckets *= 2;
    this.#buckets = new Uint32Array(buckets);
    this.#bucketShift = 32 - Math.log2(buckets);
    this.#growAt = (buckets * 3) / 4;
  }

  /** Live entries (tombstones included). */
  get count(): number {
    return this.#count;
  }

  /** Live entries flagged FLAG_TOMBSTONE. */
  get tombstoneCount(): number {
    return this.#tombstones;
  }

  /** One past the highest slot ever used: loops over slots run below it. */
  get slotHighWater(): number {
    return this.#highWater;
  }

  /** Number of hash buckets (a power of two). */
  get bucketCount(): number {
    return this.#buckets.length;
  }

  /** Slot of the entry with this digest (20 bytes at `at`), or -1. */
  find(digest: Uint8Array, at = 0): number {
    const bucket = this.#probe(digest, at);
    const entry = this.#buckets[bucket]!;
    return entry === 0 ? -1 : (entry & SLOT_MASK) - 1;
  }

  /** Inserts an absent digest (asserts absence); the new slot's fields are all 0. */
  insert(digest: Uint8Array, at = 0): number {
    this.#reserveOne();
    const bucket = this.#probe(digest, at);
    if (this.#buckets[bucket] !== 0) throw new Error('insert of a digest that is already in the index (programmer error)');
    return this.#insertAt(bucket, digest, at);
  }

  /**
   * Slot of the digest, inserting it (all fields 0, so generation 0) when
   * absent; `lastUpsertCreated` tells which happened.
   */
  upsert(digest: Uint8Array, at = 0): number {
    this.#reserveOne();
    const bucket = this.#probe(digest, at);
    const entry = this.#buckets[bucket]!;
    this.lastUpsertCreated = entry === 0;
    return entry === 0 ? this.#insertAt(bucket, digest, at) : (entry & SLOT_MASK) - 1;
  }

  /** Removes a live entry; its slot becomes free for reuse. */
  remove(slot: number): void {
    if (!this.isLive(slot)) throw new Error(`remove of slot ${slot}, which is not live (programmer error)`);
    const buckets = this.#buckets;
    const mask = buckets.length - 1;
    let hole = this.#homeOf(slot);
    while ((buckets[hole]! & SLOT_MASK) !== slot + 1) hole = (hole + 1) & mask;
    // Backward-shift deletion: pull later entries of the cluster into the hole
    // unless that would put them before their home bucket.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const entry = buckets[j]!;
      if (entry === 0) break;
      const home = this.#homeOf((entry & SLOT_MASK) - 1);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        buckets[hole] = entry;
        hole = j;
      }
    }
    buckets[hole] = 0;

    const c = slot >>> this.#chunkBits;
    const i = slot & this.#chunkMask;
    this.#partitionCounts[this.#digest[c]![i * 5]! & 0x0fff]!--;
    if (this.#flags[c]![i]! & FLAG_TOMBSTONE) this.#tombstones--;
    this.#flags[c]![i] = FLAG_FREE;
    this.#offset[c]![i] = this.#freeHead;
    this.#freeHead = slot;
    this.#count--;
  }

  /** Whether `slot` holds a live entry. */
  isLive(slot: number): boolean {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.#highWater) return false;
    return (this.#flags[slot >>> this.#chunkBits]![slot & this.#chunkMask]! & FLAG_FREE) === 0;
  }

  /** Copies the digest into `target` at `at` (a new 20-byte array when absent). */
  digestAt(slot: number, target: Uint8Array = new Uint8Array(DIGEST_BYTES), at = 0): Uint8Array {
    const words = this.#digest[slot >>> this.#chunkBits]!;
    const base = (slot & this.#chunkMask) * 5;
    for (let k = 0; k < 5; k++) {
      const w = words[base + k]!;
      const o = at + 4 * k;
      target[o] = w & 0xff;
      target[o + 1] = (w >>> 8) & 0xff;
      target[o + 2] = (w >>> 16) & 0xff;
      target[o + 3] = w >>> 24;
    }
    return target;
  }

  /** Whether the entry at `slot` has this digest (20 bytes at `at`). */
  digestEquals(slot: number, digest: Uint8Array, at = 0): boolean {
    const words = this.#digest[slot >>> this.#chunkBits]!;
    const base = (slot & this.#chunkMask) * 5;
    for (let k = 0; k < 5; k++) if (words[base + k] !== wordAt(digest, at + 4 * k)) return false;
    return true;
  }

  /** Aerospike partition id: first two digest bytes little-endian & 0x0FFF. */
  partitionOf(slot: number): number {
    return this.#digest[slot >>> this.#chunkBits]![(slot & this.#chunkMask) * 5]! & 0x0fff;
  }

  generation(slot: number): number {
    return this.#generation[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  /** u32; callers wrap or cap as their policy says (Aerospike wraps at 2^16). */
  setGeneration(slot: number, value: number): void {
    this.#generation[slot >>> this.#chunkBits]![slot & this.#chunkMask] = value;
  }
  /** Unix seconds; 0 = never expires. */
  voidTime(slot: number): number {
    return this.#voidTime[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  setVoidTime(slot: number, value: number): void {
    this.#voidTime[slot >>> this.#chunkBits]![slot & this.#chunkMask] = value;
  }
  lut(slot: number): number {
    return this.#lut[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  setLut(slot: number, value: number): void {
    this.#lut[slot >>> this.#chunkBits]![slot & this.#chunkMask] = value;
  }
  region(slot: number): number {
    return this.#region[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  setRegion(slot: number, value: number): void {
    this.#region[slot >>> this.#chunkBits]![slot & this.#chunkMask] = value;
  }
  setId(slot: number): number {
    return this.#setId[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  setSetId(slot: number, value: number): void {
    this.#setId[slot >>> this.#chunkBits]![slot & this.#chunkMask] = value;
  }
  /** FLAG_* bits. */
  flags(slot: number): number {
    return this.#flags[slot >>> this.#chunkBits]![slot & this.#chunkMask]! & FLAGS_USER_MASK;
  }
  setFlags(slot: number, value: number): void {
    const flags = this.#flags[slot >>> this.#chunkBits]!;
    const i = slot & this.#chunkMask;
    const old = flags[i]!;
    if (old & FLAG_FREE) throw new Error(`setFlags on free slot ${slot} (programmer error)`);
    const next = value & FLAGS_USER_MASK;
    this.#tombstones += (next & FLAG_TOMBSTONE) - (old & FLAG_TOMBSTONE);
    flags[i] = next;
  }
  isTombstone(slot: number): boolean {
    return (this.#flags[slot >>> this.#chunkBits]![slot & this.#chunkMask]! & FLAG_TOMBSTONE) !== 0;
  }
  device(slot: number): number {
    return this.#device[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  /** Byte offset on the device. */
  offset(slot: number): number {
    return this.#offset[slot >>> this.#chunkBits]![slot & this.#chunkMask]! * OFFSET_UNIT_BYTES;
  }
  /** Stored size in bytes. */
  size(slot: number): number {
    return this.#size[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
  }
  /** Where the record's current version is stored; offsetBytes must be a multiple of 16. */
  setLocation(slot: number, device: number, offsetBytes: number, sizeBytes: number): void {
    if (device >>> 0 !== device || device > 0xff) throw new Error(`device ${device} outside 0..255 (programmer error)`);
    if (offsetBytes % OFFSET_UNIT_BYTES !== 0 || offsetBytes < 0 || offsetBytes > OFFSET_BYTES_MAX) {
      throw new Error(`offset ${offsetBytes} is not a multiple of ${OFFSET_UNIT_BYTES} in 0..${OFFSET_BYTES_MAX} (programmer error)`);
    }
    if (sizeBytes >>> 0 !== sizeBytes) throw new Error(`size ${sizeBytes} is not a u32 (programmer error)`);
    const c = slot >>> this.#chunkBits;
    const i = slot & this.#chunkMask;
    this.#device[c]![i] = device;
    this.#offset[c]![i] = offsetBytes / OFFSET_UNIT_BYTES;
    this.#size[c]![i] = sizeBytes;
  }

  /** Copies every field into `out` and returns it. */
  read(slot: number, out: IndexEntry): IndexEntry {
    out.generation = this.generation(slot);
    out.voidTime = this.voidTime(slot);
    out.lut = this.lut(slot);
    out.region = this.region(slot);
    out.setId = this.setId(slot);
    out.flags = this.flags(slot);
    out.device = this.device(slot);
    out.offset = this.offset(slot);
    out.size = this.size(slot);
    return out;
  }

  /** Sets every field from `entry`. */
  write(slot: number, entry: IndexEntry): void {
    this.setGeneration(slot, entry.generation);
    this.setVoidTime(slot, entry.voidTime);
    this.setLut(slot, entry.lut);
    this.setRegion(slot, entry.region);
    this.setSetId(slot, entry.setId);
    this.setFlags(slot, entry.flags);
    this.setLocation(slot, entry.device, entry.offset, entry.size);
  }

  /**
   * Calls fn for each live slot in slot order. fn may remove the slot it is
   * given (or any other); entries inserted meanwhile may or may not be visited.
   */
  forEach(fn: (slot: number) => void): void {
    for (let slot = 0; slot < this.#highWater; slot++) {
      if ((this.#flags[slot >>> this.#chunkBits]![slot & this.#chunkMask]! & FLAG_FREE) === 0) fn(slot);
    }
  }

  /** One pass over all slots, calling fn for the live ones whose partition p has wanted[p] !== 0. */
  forEachInPartitions(wanted: Uint8Array, fn: (slot: number) => void): void {
    if (wanted.length !== PARTITION_COUNT) throw new Error(`wanted must have ${PARTITION_COUNT} entries (programmer error)`);
    for (let slot = 0; slot < this.#highWater; slot++) {
      const c = slot >>> this.#chunkBits;
      const i = slot & this.#chunkMask;
      if ((this.#flags[c]![i]! & FLAG_FREE) === 0 && wanted[this.#digest[c]![i * 5]! & 0x0fff] !== 0) fn(slot);
    }
  }

  /** Live entries in partition `pid`. */
  partitionCount(pid: number): number {
    return this.#partitionCounts[pid]!;
  }

  /** Live slots sorted by partition (a counting sort; allocates 4 B per record). */
  partitionSnapshot(): PartitionSnapshot {
    const starts = new Uint32Array(PARTITION_COUNT + 1);
    for (let p = 0; p < PARTITION_COUNT; p++) starts[p + 1] = starts[p]! + this.#partitionCounts[p]!;
    const next = starts.slice(0, PARTITION_COUNT);
    const slots = new Uint32Array(this.#count);
    this.forEach((slot) => {
      slots[next[this.partitionOf(slot)]!++] = slot;
    });
    return { slots, starts };
  }

  /**
   * Every byte of RAM the index holds: the chunk buffers, the buckets, the
   * partition counts, the set table, and an estimate of the JS objects around
   * the typed arrays. Growth of the table briefly holds old and new buckets
   * (1.5× the bucket bytes); that transient is not counted.
   */
  bytesAllocated(): number {
    let bytes = this.#buckets.byteLength + this.#partitionCounts.byteLength + 2 * VIEW_OVERHEAD_BYTES;
    for (const buffer of this.#chunkBuffers) bytes += buffer.byteLength + VIEWS_PER_CHUNK * VIEW_OVERHEAD_BYTES;
    // The per-field arrays of chunk views: 10 JS arrays of one pointer per chunk.
    bytes += VIEWS_PER_CHUNK * (64 + 8 * this.#chunkBuffers.length);
    return bytes + this.sets.bytesAllocated();
  }

  /**
   * Writes the index to `path` atomically (temp file, fsync, rename, fsync of
   * the directory). `stamp` is an opaque number the engine stores to check on
   * load that the index matches its devices (e.g. the change-log head).
   */
  async save(path: string, stamp = 0): Promise<void> {
    await saveIndexFile(this, path, stamp);
  }

  /**
   * Loads a saved index. A missing file rejects with the fs error (ENOENT); a
   * truncated, corrupted or foreign file with EngineError
   * ENGINE_ERR_CORRUPTED_STORAGE naming the file.
   */
  static async load(path: string): Promise<{ index: PrimaryIndex; stamp: number }> {
    return loadIndexFile(path);
  }

  /** @internal For index-file.ts: the raw arrays (shared, not copied). */
  exportState(): IndexState {
    return {
      chunkBits: this.#chunkBits,
      seed: this.#seed,
      count: this.#count,
      highWater: this.#highWater,
      freeHead: this.#freeHead,
      tombstoneCount: this.#tombstones,
      recordsMax: this.#recordsMax,
      chunkBuffers: this.#chunkBuffers,
      buckets: this.#buckets,
      partitionCounts: this.#partitionCounts,
      sets: this.sets,
    };
  }

  /**
   * @internal For index-file.ts: an index over arrays read from a file. Returns
   * a description of the first inconsistency instead when the state does not
   * hold together (so a checksummed but wrongly written file is still caught).
   */
  static fromState(state: IndexState): PrimaryIndex | string {
    const index = new PrimaryIndex({
      chunkBits: state.chunkBits,
      seed: state.seed,
      recordsMax: state.recordsMax,
      initialBuckets: BUCKETS_MIN,
    });
    (index as { sets: SetTable }).sets = state.sets;
    for (const buffer of state.chunkBuffers) index.#addChunk(buffer);
    index.#count = state.count;
    index.#highWater = state.highWater;
    index.#freeHead = state.freeHead;
    index.#tombstones = state.tombstoneCount;
    index.#buckets = state.buckets;
    index.#bucketShift = 32 - Math.log2(state.buckets.length);
    index.#growAt = (state.buckets.length * 3) / 4;
    index.#partitionCounts.set(state.partitionCounts);
    // The CRC already guards against damage; this catches a file that a buggy
    // writer produced, without the random-order deep pass.
    const problem = index.checkStructure(false);
    return problem ?? index;
  }

  /**
   * Checks the invariants of the index and describes the first one broken, or
   * returns null. `deep` also checks each bucket's tag and that it is reachable
   * from its home bucket, which reads every digest in random order (about 1 s
   * at 10 M records); without it the check is sequential and several times
   * faster. For tests, load and `verify`; not a hot path.
   */
  checkStructure(deep = true): string | null {
    return checkIndexStructure(this, this.exportState(), deep);
  }

  /** @internal The home bucket of a live slot's digest (for structure-check.ts). */
  homeBucketOf(slot: number): number {
    return this.#homeOf(slot);
  }

  /** @internal The 5-bit tag of a live slot's digest (for structure-check.ts). */
  tagOf(slot: number): number {
    return this.#tagOf(slot);
  }

  /** Bucket holding the digest, or the empty bucket that ends its probe sequence. */
  #probe(digest: Uint8Array, at: number): number {
    const w0 = wordAt(digest, at);
    const w1 = wordAt(digest, at + 4);
    const w2 = wordAt(digest, at + 8);
    const w3 = wordAt(digest, at + 12);
    const w4 = wordAt(digest, at + 16);
    const tag = w2 >>> TAG_SHIFT;
    const buckets = this.#buckets;
    const mask = buckets.length - 1;
    for (let b = Math.imul(w1 ^ this.#seed, HASH_MULTIPLIER) >>> this.#bucketShift; ; b = (b + 1) & mask) {
      const entry = buckets[b]!;
      if (entry === 0) return b;
      if (entry >>> TAG_SHIFT !== tag) continue;
      const slot = (entry & SLOT_MASK) - 1;
      const words = this.#digest[slot >>> this.#chunkBits]!;
      const i = (slot & this.#chunkMask) * 5;
      if (words[i] === w0 && words[i + 1] === w1 && words[i + 2] === w2 && words[i + 3] === w3 && words[i + 4] === w4) return b;
    }
  }

  #homeOf(slot: number): number {
    const w1 = this.#digest[slot >>> this.#chunkBits]![(slot & this.#chunkMask) * 5 + 1]!;
    return Math.imul(w1 ^ this.#seed, HASH_MULTIPLIER) >>> this.#bucketShift;
  }

  #tagOf(slot: number): number {
    return this.#digest[slot >>> this.#chunkBits]![(slot & this.#chunkMask) * 5 + 2]! >>> TAG_SHIFT;
  }

  /** Checks the record limit and grows the table so one more entry fits. */
  #reserveOne(): void {
    if (this.#count >= this.#recordsMax) {
      throw new Error(`the index is full (${this.#recordsMax} records); the engine must stop writes before this (programmer error)`);
    }
    if (this.#count + 1 > this.#growAt) this.#grow();
  }

  #insertAt(bucket: number, digest: Uint8Array, at: number): number {
    const slot = this.#allocateSlot();
    const c = slot >>> this.#chunkBits;
    const i = slot & this.#chunkMask;
    const words = this.#digest[c]!;
    for (let k = 0; k < 5; k++) words[i * 5 + k] = wordAt(digest, at + 4 * k);
    this.#lut[c]![i] = 0;
    this.#generation[c]![i] = 0;
    this.#voidTime[c]![i] = 0;
    this.#offset[c]![i] = 0;
    this.#size[c]![i] = 0;
    this.#setId[c]![i] = 0;
    this.#region[c]![i] = 0;
    this.#flags[c]![i] = 0;
    this.#device[c]![i] = 0;
    this.#buckets[bucket] = ((this.#tagOf(slot) << TAG_SHIFT) | (slot + 1)) >>> 0;
    this.#partitionCounts[words[i * 5]! & 0x0fff]!++;
    this.#count++;
    return slot;
  }

  #allocateSlot(): number {
    if (this.#freeHead !== NO_SLOT) {
      const slot = this.#freeHead;
      this.#freeHead = this.#offset[slot >>> this.#chunkBits]![slot & this.#chunkMask]!;
      return slot;
    }
    const slot = this.#highWater++;
    if (slot >>> this.#chunkBits >= this.#chunkBuffers.length) this.#addChunk(new ArrayBuffer(SLOT_BYTES << this.#chunkBits));
    return slot;
  }

  /** Carves one chunk buffer into its column views (layout in the file comment). */
  #addChunk(buffer: ArrayBuffer): void {
    const n = 1 << this.#chunkBits;
    if (buffer.byteLength !== SLOT_BYTES * n) throw new Error('chunk buffer of the wrong size (programmer error)');
    const at = COLUMN_BYTE_OFFSETS;
    this.#chunkBuffers.push(buffer);
    this.#lut.push(new Float64Array(buffer, at.lut * n, n));
    this.#digest.push(new Uint32Array(buffer, at.digest * n, 5 * n));
    this.#generation.push(new Uint32Array(buffer, at.generation * n, n));
    this.#voidTime.push(new Uint32Array(buffer, at.voidTime * n, n));
    this.#offset.push(new Uint32Array(buffer, at.offset * n, n));
    this.#size.push(new Uint32Array(buffer, at.size * n, n));
    this.#setId.push(new Uint16Array(buffer, at.setId * n, n));
    this.#region.push(new Uint8Array(buffer, at.region * n, n));
    this.#flags.push(new Uint8Array(buffer, at.flags * n, n));
    this.#device.push(new Uint8Array(buffer, at.device * n, n));
  }

  /** Doubles the buckets and reinserts every live slot, in slot order so digests are read sequentially. */
  #grow(): void {
    const buckets = new Uint32Array(this.#buckets.length * 2);
    this.#buckets = buckets;
    this.#bucketShift--;
    this.#growAt = (buckets.length * 3) / 4;
    const mask = buckets.length - 1;
    for (let slot = 0; slot < this.#highWater; slot++) {
      if (this.#flags[slot >>> this.#chunkBits]![slot & this.#chunkMask]! & FLAG_FREE) continue;
      let b = this.#homeOf(slot);
      while (buckets[b] !== 0) b = (b + 1) & mask;
      buckets[b] = ((this.#tagOf(slot) << TAG_SHIFT) | (slot + 1)) >>> 0;
    }
  }
}
