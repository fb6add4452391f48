/**
 * The compact primary index of one namespace: digest → slot → record metadata.
 *
 * Aerospike keeps 64 bytes of RAM per record; a JS Map of objects costs about
 * 165 and V8 refuses a Map past 2^24 entries, so this index is built from typed
 * arrays only: 49 bytes per slot in chunked columns (slot-columns.ts, which
 * also has the field getters and setters) plus this hash table.
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
 * Hot paths (find, insert, upsert, getters, setters) do not allocate.
 */
import { loadIndexFile, saveIndexFile } from './index-file.js';
import { FLAG_FREE, PARTITION_COUNT, SLOT_MASK, SLOTS_MAX, TAG_SHIFT } from './layout.js';
import { SetTable } from './set-table.js';
import { SlotColumns, wordAt } from './slot-columns.js';
import { checkIndexStructure } from './structure-check.js';
import type { IndexState } from './index-state.js';

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
export type { IndexEntry } from './slot-columns.js';

const HASH_MULTIPLIER = 0x9e37_79b1 | 0;
const BUCKETS_MIN = 16;
/** Rough JS-heap cost of one typed-array view plus its share of an ArrayBuffer object. */
const VIEW_OVERHEAD_BYTES = 160;
const VIEWS_PER_CHUNK = 10;

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

/** Live slots grouped by partition: slots[starts[p] .. starts[p + 1]) are partition p's, ascending. */
export interface PartitionSnapshot {
  slots: Uint32Array;
  /** PARTITION_COUNT + 1 entries. */
  starts: Uint32Array;
}

function checkedInt(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be an integer in ${min}..${max}, got ${value} (programmer error)`);
  }
  return value;
}

export class PrimaryIndex extends SlotColumns {
  /** Set name ↔ u16 id table of this namespace (saved with the index). */
  readonly sets: SetTable = new SetTable();
  /** Whether the last upsert() inserted. */
  lastUpsertCreated = false;

  readonly #seed: number;
  readonly #recordsMax: number;
  #count = 0;
  #buckets: Uint32Array;
  #bucketShift: number;
  #growAt: number;
  readonly #partitionCounts = new Uint32Array(PARTITION_COUNT);

  constructor(options: PrimaryIndexOptions = {}) {
    super(checkedInt(options.chunkBits ?? 14, 4, 20, 'chunkBits'));
    this.#recordsMax = checkedInt(options.recordsMax ?? SLOTS_MAX, 1, SLOTS_MAX, 'recordsMax');
    const initialBuckets = checkedInt(options.initialBuckets ?? 4096, 1, 2 ** 28, 'initialBuckets');
    this.#seed = (options.seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
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

  /** Number of hash buckets (a power of two). */
  get bucketCount(): number {
    return this.#buckets.length;
  }

  /** Slot of the entry with this digest (20 bytes at `at`), or -1. */
  find(digest: Uint8Array, at = 0): number {
    const entry = this.#buckets[this.#probe(digest, at)]!;
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
    this.#partitionCounts[this.partitionOf(slot)]--;
    this.releaseSlot(slot);
    this.#count--;
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
    for (const buffer of this.chunkBuffers) bytes += buffer.byteLength + VIEWS_PER_CHUNK * VIEW_OVERHEAD_BYTES;
    // The per-column arrays of chunk views: 10 JS arrays of one pointer per chunk.
    bytes += VIEWS_PER_CHUNK * (64 + 8 * this.chunkBuffers.length);
    return bytes + this.sets.bytesAllocated();
  }

  /**
   * Writes the index to `path` atomically (temp file, fsync, rename, fsync of
   * the directory). `stamp` is an opaque number the engine stores to check on
   * load that the index matches its devices (e.g. a random id it also writes
   * in its clean-shutdown marker).
   */
  async save(path: string, stamp = 0): Promise<void> {
    await saveIndexFile(this.exportState(), path, stamp);
  }

  /**
   * Loads a saved index. A missing file rejects with the fs error (ENOENT); a
   * truncated, corrupted or foreign file with EngineError
   * ENGINE_ERR_CORRUPTED_STORAGE naming the file.
   */
  static async load(path: string): Promise<{ index: PrimaryIndex; stamp: number }> {
    return loadIndexFile(path, (state) => PrimaryIndex.fromState(state));
  }

  /**
   * Checks the invariants of the index and describes the first one broken, or
   * returns null. `deep` also checks each bucket's tag and that it is reachable
   * from its home bucket, which reads every digest in random order (about 2 s
   * at 10 M records); without it the check is sequential (about 0.2 s). For
   * tests, load and `verify`; not a hot path.
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
    return this.digestWord(slot, 2) >>> TAG_SHIFT;
  }

  /** @internal For index-file.ts: the raw arrays (shared, not copied). */
  exportState(): IndexState {
    return {
      chunkBits: this.chunkBits,
      seed: this.#seed,
      count: this.#count,
      highWater: this.highWater,
      freeHead: this.freeHead,
      tombstoneCount: this.tombstones,
      recordsMax: this.#recordsMax,
      chunkBuffers: this.chunkBuffers,
      buckets: this.#buckets,
      partitionCounts: this.#partitionCounts,
      sets: this.sets,
    };
  }

  /**
   * @internal For index-file.ts: an index over arrays read from a file, or a
   * description of the first inconsistency when they do not hold together.
   */
  static fromState(state: IndexState): PrimaryIndex | string {
    const index = new PrimaryIndex({ chunkBits: state.chunkBits, seed: state.seed, recordsMax: state.recordsMax, initialBuckets: BUCKETS_MIN });
    (index as { sets: SetTable }).sets = state.sets;
    for (const buffer of state.chunkBuffers) index.addChunk(buffer);
    index.#count = state.count;
    index.highWater = state.highWater;
    index.freeHead = state.freeHead;
    index.tombstones = state.tombstoneCount;
    index.#buckets = state.buckets;
    index.#bucketShift = 32 - Math.log2(state.buckets.length);
    index.#growAt = (state.buckets.length * 3) / 4;
    index.#partitionCounts.set(state.partitionCounts);
    // The CRC already guards against damage; this catches a file that a buggy
    // writer produced, without the random-order deep pass.
    return index.checkStructure(false) ?? index;
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
      const words = this.digestColumn[slot >>> this.chunkBits]!;
      const i = (slot & this.chunkMask) * 5;
      if (words[i] === w0 && words[i + 1] === w1 && words[i + 2] === w2 && words[i + 3] === w3 && words[i + 4] === w4) return b;
    }
  }

  #homeOf(slot: number): number {
    return Math.imul(this.digestWord(slot, 1) ^ this.#seed, HASH_MULTIPLIER) >>> this.#bucketShift;
  }

  /** Checks the record limit and grows the table so one more entry fits. */
  #reserveOne(): void {
    if (this.#count >= this.#recordsMax) {
      throw new Error(`the index is full (${this.#recordsMax} records); the engine must stop writes before this (programmer error)`);
    }
    if (this.#count + 1 > this.#growAt) this.#grow();
  }

  #insertAt(bucket: number, digest: Uint8Array, at: number): number {
    const slot = this.takeSlot(digest, at);
    this.#buckets[bucket] = ((this.tagOf(slot) << TAG_SHIFT) | (slot + 1)) >>> 0;
    this.#partitionCounts[this.partitionOf(slot)]++;
    this.#count++;
    return slot;
  }

  /** Doubles the buckets and reinserts every live slot, in slot order so digests are read sequentially. */
  #grow(): void {
    const buckets = new Uint32Array(this.#buckets.length * 2);
    this.#buckets = buckets;
    this.#bucketShift--;
    this.#growAt = (buckets.length * 3) / 4;
    const mask = buckets.length - 1;
    for (let slot = 0; slot < this.highWater; slot++) {
      if (this.flagsColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! & FLAG_FREE) continue;
      let b = this.#homeOf(slot);
      while (buckets[b] !== 0) b = (b + 1) & mask;
      buckets[b] = ((this.tagOf(slot) << TAG_SHIFT) | (slot + 1)) >>> 0;
    }
  }
}
