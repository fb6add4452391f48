/**
 * The entry storage under the primary index: slots in fixed-size chunks of
 * typed-array columns, a free list, and the typed getters and setters.
 * PrimaryIndex (primary-index.ts) adds the digest hash table on top.
 *
 * Layout (why: struct-of-arrays over typed arrays is what V8 optimises best, and
 * fixed-size chunks mean growth never copies the entries and wastes at most one
 * chunk). Each chunk of C = 2^chunkBits slots (default 16,384) is one
 * ArrayBuffer of 49·C bytes holding one column per field, widest first so every
 * view is aligned (COLUMN_BYTE_OFFSETS in layout.ts):
 *
 *     lut        Float64Array     8 B  HLC timestamp (see types.ts)
 *     digest     Uint32Array ×5  20 B  RIPEMD-160 digest as 5 little-endian words
 *     generation Uint32Array      4 B  0 only for a freshly inserted, unwritten slot
 *     voidTime   Uint32Array      4 B  unix seconds, 0 = never expires
 *     offset     Uint32Array      4 B  byte offset / 16 (reaches 64 GiB per device);
 *                                      holds the next free slot while a slot is free
 *     size       Uint32Array      4 B  stored size in bytes
 *     setId      Uint16Array      2 B  id in the set table (0 = no set)
 *     region     Uint8Array       1 B  region id 1..255 of the last change
 *     flags      Uint8Array       1 B  FLAG_* bits; bit 7 marks a free slot
 *     device     Uint8Array       1 B  device (file) number
 *                                49 B per slot
 *
 * Slots are stable: an entry never moves while it is live, so callers may keep
 * a slot between calls as long as they do not remove it. Removed slots are
 * reused, last freed first. Getters and setters do not check that the slot is
 * live (they are the hot path); passing a removed slot is a programmer error.
 */
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
} from './layout.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // The digest words and the saved file rely on little-endian typed arrays.
  throw new Error('xdrgate primary index needs a little-endian platform');
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

/** The little-endian u32 at `at` (digest bytes to the stored words). */
export function wordAt(d: Uint8Array, at: number): number {
  return (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
}

export class SlotColumns {
  protected readonly chunkBits: number;
  protected readonly chunkMask: number;
  /** One past the highest slot ever used. */
  protected highWater = 0;
  protected freeHead = NO_SLOT;
  protected tombstones = 0;
  protected readonly chunkBuffers: ArrayBuffer[] = [];
  protected readonly lutColumn: Float64Array[] = [];
  protected readonly digestColumn: Uint32Array[] = [];
  protected readonly generationColumn: Uint32Array[] = [];
  protected readonly voidTimeColumn: Uint32Array[] = [];
  protected readonly offsetColumn: Uint32Array[] = [];
  protected readonly sizeColumn: Uint32Array[] = [];
  protected readonly setIdColumn: Uint16Array[] = [];
  protected readonly regionColumn: Uint8Array[] = [];
  protected readonly flagsColumn: Uint8Array[] = [];
  protected readonly deviceColumn: Uint8Array[] = [];

  protected constructor(chunkBits: number) {
    this.chunkBits = chunkBits;
    this.chunkMask = (1 << chunkBits) - 1;
  }

  /** Live entries flagged FLAG_TOMBSTONE. */
  get tombstoneCount(): number {
    return this.tombstones;
  }

  /** One past the highest slot ever used: loops over slots run below it. */
  get slotHighWater(): number {
    return this.highWater;
  }

  /** Whether `slot` holds a live entry. */
  isLive(slot: number): boolean {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.highWater) return false;
    return (this.flagsColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! & FLAG_FREE) === 0;
  }

  /** Copies the digest into `target` at `at` (a new 20-byte array when absent). */
  digestAt(slot: number, target: Uint8Array = new Uint8Array(DIGEST_BYTES), at = 0): Uint8Array {
    const words = this.digestColumn[slot >>> this.chunkBits]!;
    const base = (slot & this.chunkMask) * 5;
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
    const words = this.digestColumn[slot >>> this.chunkBits]!;
    const base = (slot & this.chunkMask) * 5;
    for (let k = 0; k < 5; k++) if (words[base + k] !== wordAt(digest, at + 4 * k)) return false;
    return true;
  }

  /** Aerospike partition id: first two digest bytes little-endian & 0x0FFF. */
  partitionOf(slot: number): number {
    return this.digestColumn[slot >>> this.chunkBits]![(slot & this.chunkMask) * 5]! & 0x0fff;
  }

  generation(slot: number): number {
    return this.generationColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  /** u32; callers wrap or cap as their policy says (Aerospike wraps at 2^16). */
  setGeneration(slot: number, value: number): void {
    this.generationColumn[slot >>> this.chunkBits]![slot & this.chunkMask] = value;
  }
  /** Unix seconds; 0 = never expires. */
  voidTime(slot: number): number {
    return this.voidTimeColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  setVoidTime(slot: number, value: number): void {
    this.voidTimeColumn[slot >>> this.chunkBits]![slot & this.chunkMask] = value;
  }
  lut(slot: number): number {
    return this.lutColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  setLut(slot: number, value: number): void {
    this.lutColumn[slot >>> this.chunkBits]![slot & this.chunkMask] = value;
  }
  region(slot: number): number {
    return this.regionColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  setRegion(slot: number, value: number): void {
    this.regionColumn[slot >>> this.chunkBits]![slot & this.chunkMask] = value;
  }
  setId(slot: number): number {
    return this.setIdColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  setSetId(slot: number, value: number): void {
    this.setIdColumn[slot >>> this.chunkBits]![slot & this.chunkMask] = value;
  }
  /** FLAG_* bits. */
  flags(slot: number): number {
    return this.flagsColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! & FLAGS_USER_MASK;
  }
  setFlags(slot: number, value: number): void {
    const flags = this.flagsColumn[slot >>> this.chunkBits]!;
    const i = slot & this.chunkMask;
    const old = flags[i]!;
    if (old & FLAG_FREE) throw new Error(`setFlags on free slot ${slot} (programmer error)`);
    const next = value & FLAGS_USER_MASK;
    this.tombstones += (next & FLAG_TOMBSTONE) - (old & FLAG_TOMBSTONE);
    flags[i] = next;
  }
  isTombstone(slot: number): boolean {
    return (this.flagsColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! & FLAG_TOMBSTONE) !== 0;
  }
  device(slot: number): number {
    return this.deviceColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  /** Byte offset on the device. */
  offset(slot: number): number {
    return this.offsetColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! * OFFSET_UNIT_BYTES;
  }
  /** Stored size in bytes. */
  size(slot: number): number {
    return this.sizeColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
  }
  /** Where the record's current version is stored; offsetBytes must be a multiple of 16. */
  setLocation(slot: number, device: number, offsetBytes: number, sizeBytes: number): void {
    if (device >>> 0 !== device || device > 0xff) throw new Error(`device ${device} outside 0..255 (programmer error)`);
    if (offsetBytes % OFFSET_UNIT_BYTES !== 0 || offsetBytes < 0 || offsetBytes > OFFSET_BYTES_MAX) {
      throw new Error(`offset ${offsetBytes} is not a multiple of ${OFFSET_UNIT_BYTES} in 0..${OFFSET_BYTES_MAX} (programmer error)`);
    }
    if (sizeBytes >>> 0 !== sizeBytes) throw new Error(`size ${sizeBytes} is not a u32 (programmer error)`);
    const c = slot >>> this.chunkBits;
    const i = slot & this.chunkMask;
    this.deviceColumn[c]![i] = device;
    this.offsetColumn[c]![i] = offsetBytes / OFFSET_UNIT_BYTES;
    this.sizeColumn[c]![i] = sizeBytes;
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
    for (let slot = 0; slot < this.highWater; slot++) {
      if ((this.flagsColumn[slot >>> this.chunkBits]![slot & this.chunkMask]! & FLAG_FREE) === 0) fn(slot);
    }
  }

  /** One pass over all slots, calling fn for the live ones whose partition p has wanted[p] !== 0. */
  forEachInPartitions(wanted: Uint8Array, fn: (slot: number) => void): void {
    if (wanted.length !== PARTITION_COUNT) throw new Error(`wanted must have ${PARTITION_COUNT} entries (programmer error)`);
    for (let slot = 0; slot < this.highWater; slot++) {
      const c = slot >>> this.chunkBits;
      const i = slot & this.chunkMask;
      if ((this.flagsColumn[c]![i]! & FLAG_FREE) === 0 && wanted[this.digestColumn[c]![i * 5]! & 0x0fff] !== 0) fn(slot);
    }
  }

  /** Digest word k (0..4) of a slot. */
  protected digestWord(slot: number, k: number): number {
    return this.digestColumn[slot >>> this.chunkBits]![(slot & this.chunkMask) * 5 + k]!;
  }

  /** Takes a slot (the last freed, else a new one) and gives it this digest and all other fields 0. */
  protected takeSlot(digest: Uint8Array, at: number): number {
    let slot: number;
    if (this.freeHead !== NO_SLOT) {
      slot = this.freeHead;
      this.freeHead = this.offsetColumn[slot >>> this.chunkBits]![slot & this.chunkMask]!;
    } else {
      slot = this.highWater++;
      if (slot >>> this.chunkBits >= this.chunkBuffers.length) this.addChunk(new ArrayBuffer(SLOT_BYTES << this.chunkBits));
    }
    const c = slot >>> this.chunkBits;
    const i = slot & this.chunkMask;
    const words = this.digestColumn[c]!;
    for (let k = 0; k < 5; k++) words[i * 5 + k] = wordAt(digest, at + 4 * k);
    this.lutColumn[c]![i] = 0;
    this.generationColumn[c]![i] = 0;
    this.voidTimeColumn[c]![i] = 0;
    this.offsetColumn[c]![i] = 0;
    this.sizeColumn[c]![i] = 0;
    this.setIdColumn[c]![i] = 0;
    this.regionColumn[c]![i] = 0;
    this.flagsColumn[c]![i] = 0;
    this.deviceColumn[c]![i] = 0;
    return slot;
  }

  /** Marks a live slot free and pushes it on the free list (its offset column links the list). */
  protected releaseSlot(slot: number): void {
    const c = slot >>> this.chunkBits;
    const i = slot & this.chunkMask;
    if (this.flagsColumn[c]![i]! & FLAG_TOMBSTONE) this.tombstones--;
    this.flagsColumn[c]![i] = FLAG_FREE;
    this.offsetColumn[c]![i] = this.freeHead;
    this.freeHead = slot;
  }

  /** Carves one chunk buffer into its column views. */
  protected addChunk(buffer: ArrayBuffer): void {
    const n = 1 << this.chunkBits;
    if (buffer.byteLength !== SLOT_BYTES * n) throw new Error('chunk buffer of the wrong size (programmer error)');
    const at = COLUMN_BYTE_OFFSETS;
    this.chunkBuffers.push(buffer);
    this.lutColumn.push(new Float64Array(buffer, at.lut * n, n));
    this.digestColumn.push(new Uint32Array(buffer, at.digest * n, 5 * n));
    this.generationColumn.push(new Uint32Array(buffer, at.generation * n, n));
    this.voidTimeColumn.push(new Uint32Array(buffer, at.voidTime * n, n));
    this.offsetColumn.push(new Uint32Array(buffer, at.offset * n, n));
    this.sizeColumn.push(new Uint32Array(buffer, at.size * n, n));
    this.setIdColumn.push(new Uint16Array(buffer, at.setId * n, n));
    this.regionColumn.push(new Uint8Array(buffer, at.region * n, n));
    this.flagsColumn.push(new Uint8Array(buffer, at.flags * n, n));
    this.deviceColumn.push(new Uint8Array(buffer, at.device * n, n));
  }
}
