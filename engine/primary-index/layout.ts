/**
 * The primary index's constants and the byte layout of its chunks, shared by
 * the index, its file format and its structure check (a module of its own so
 * that those can import it without a cycle).
 */

/** Stored byte offsets are multiples of this (Aerospike's 16-byte rblock). */
export const OFFSET_UNIT_BYTES = 16;
/** The largest byte offset that fits: (2^32 - 1) × 16, just under 64 GiB. */
export const OFFSET_BYTES_MAX = 0xffff_ffff * OFFSET_UNIT_BYTES;
/** Slot numbers fit in 27 bits (the bucket's other 5 bits are the tag). */
export const SLOTS_MAX = (1 << 27) - 1;
export const PARTITION_COUNT = 4096;
export const DIGEST_BYTES = 20;
/** Bytes of RAM per slot in the chunks. */
export const SLOT_BYTES = 49;
/** Where each column starts in a chunk buffer, in multiples of the chunk's slot count. */
export const COLUMN_BYTE_OFFSETS = {
  lut: 0,
  digest: 8,
  generation: 28,
  voidTime: 32,
  offset: 36,
  size: 40,
  setId: 44,
  region: 46,
  flags: 47,
  device: 48,
} as const;

/** The record is a durable-delete tombstone. */
export const FLAG_TOMBSTONE = 0x01;
/** The user key is stored with the record. */
export const FLAG_HAS_KEY = 0x02;
/** Bits 0..6 are the engine's; bit 7 marks a free slot and is never exposed. */
export const FLAGS_USER_MASK = 0x7f;

/** @internal Marks a free slot in the flags column. */
export const FLAG_FREE = 0x80;
/** @internal Ends the free list. */
export const NO_SLOT = 0xffff_ffff;
/** @internal A bucket is (tag << TAG_SHIFT) | (slot + 1). */
export const TAG_SHIFT = 27;
/** @internal The slot part of a bucket (slot + 1). */
export const SLOT_MASK = (1 << TAG_SHIFT) - 1;
