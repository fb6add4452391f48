/**
 * The bytes of an Aerospike HyperLogLog value (particle type 18), a
 * HyperMinHash sketch. Layout, as the server stores it and clients receive it:
 *
 *   byte 0       flags (always 0)
 *   byte 1       n_index_bits     (4..16): 2^n registers
 *   byte 2       n_minhash_bits   (0, or 4..51; index + minhash bits ≤ 64)
 *   bytes 3..10  cached count, uint64 little-endian (0 = not cached)
 *   bytes 11..   registers: 2^n_index_bits registers of (6 + n_minhash_bits)
 *                bits each, packed most-significant-bit first, the last byte
 *                zero-padded
 *
 * A register holds (hll value << n_minhash_bits) | minhash bits, where the hll
 * value is one more than the number of trailing zeros of the element hash's
 * second half. Everything here is pure and works on Uint8Array copies.
 */
export const HLL_HEADER_BYTES = 11;
export const HLL_INDEX_BITS_MIN = 4;
export const HLL_INDEX_BITS_MAX = 16;
/** Bits of the hll value part of a register. */
export const HLL_VALUE_BITS = 6;
export const HLL_MINHASH_BITS_MIN = 4;
export const HLL_MINHASH_BITS_MAX = 64 - HLL_VALUE_BITS - 7;
const COMBINED_BITS_MAX = 64;

export function validIndexBits(n: number): boolean {
  return Number.isInteger(n) && n >= HLL_INDEX_BITS_MIN && n <= HLL_INDEX_BITS_MAX;
}

export function validMinhashBits(n: number): boolean {
  return n === 0 || (Number.isInteger(n) && n >= HLL_MINHASH_BITS_MIN && n <= HLL_MINHASH_BITS_MAX);
}

export function validBits(indexBits: number, minhashBits: number): boolean {
  return validIndexBits(indexBits) && validMinhashBits(minhashBits) && indexBits + minhashBits <= COMBINED_BITS_MAX;
}

export function registersBytes(indexBits: number, minhashBits: number): number {
  return Math.floor(((HLL_VALUE_BITS + minhashBits) * 2 ** indexBits + 7) / 8);
}

export function sketchBytes(indexBits: number, minhashBits: number): number {
  return HLL_HEADER_BYTES + registersBytes(indexBits, minhashBits);
}

export function indexBitsOf(sketch: Uint8Array): number {
  return sketch[1]!;
}

export function minhashBitsOf(sketch: Uint8Array): number {
  return sketch[2]!;
}

/** Why `bytes` is not a well-formed sketch, or null when it is. */
export function sketchProblem(bytes: Uint8Array): string | null {
  if (bytes.length < HLL_HEADER_BYTES + 1) return `a HyperLogLog value is at least ${HLL_HEADER_BYTES + 1} bytes, got ${bytes.length}`;
  if (bytes[0] !== 0) return `a HyperLogLog value has flags 0, got ${bytes[0]}`;
  const indexBits = bytes[1]!;
  const minhashBits = bytes[2]!;
  if (!validBits(indexBits, minhashBits)) return `HyperLogLog index bits ${indexBits} and minhash bits ${minhashBits} are out of range`;
  const want = sketchBytes(indexBits, minhashBits);
  if (bytes.length !== want) return `a HyperLogLog value of ${indexBits} index and ${minhashBits} minhash bits is ${want} bytes, got ${bytes.length}`;
  return null;
}

/** An empty sketch. */
export function emptySketch(indexBits: number, minhashBits: number): Uint8Array {
  const out = new Uint8Array(sketchBytes(indexBits, minhashBits));
  out[1] = indexBits;
  out[2] = minhashBits;
  return out;
}

export function cachedCount(sketch: Uint8Array): bigint {
  return new DataView(sketch.buffer, sketch.byteOffset + 3, 8).getBigUint64(0, true);
}

export function setCachedCount(sketch: Uint8Array, count: bigint): void {
  new DataView(sketch.buffer, sketch.byteOffset + 3, 8).setBigUint64(0, count, true);
}

export function registerCount(sketch: Uint8Array): number {
  return 2 ** indexBitsOf(sketch);
}

function registerBits(sketch: Uint8Array): number {
  return HLL_VALUE_BITS + minhashBitsOf(sketch);
}

/** Register `r` (hll value and minhash bits together). */
export function getRegister(sketch: Uint8Array, r: number): bigint {
  const nBits = registerBits(sketch);
  const first = r * nBits;
  let v = 0n;
  for (let bit = first; bit < first + nBits; ) {
    const byte = sketch[HLL_HEADER_BYTES + (bit >> 3)]!;
    const inByte = bit & 7;
    const take = Math.min(8 - inByte, first + nBits - bit);
    const chunk = (byte >> (8 - inByte - take)) & ((1 << take) - 1);
    v = (v << BigInt(take)) | BigInt(chunk);
    bit += take;
  }
  return v;
}

export function setRegister(sketch: Uint8Array, r: number, value: bigint): void {
  const nBits = registerBits(sketch);
  const first = r * nBits;
  let remaining = nBits;
  for (let bit = first; bit < first + nBits; ) {
    const at = HLL_HEADER_BYTES + (bit >> 3);
    const inByte = bit & 7;
    const take = Math.min(8 - inByte, remaining);
    remaining -= take;
    const chunk = Number((value >> BigInt(remaining)) & BigInt((1 << take) - 1));
    const shift = 8 - inByte - take;
    const mask = ((1 << take) - 1) << shift;
    sketch[at] = (sketch[at]! & ~mask) | (chunk << shift);
    bit += take;
  }
}

/**
 * Registers of at most 24 bits span at most 4 bytes, so plain numbers hold
 * them: the common sketch (no minhash bits, 6-bit registers) never touches
 * BigInt. Same bit order as getRegister.
 */
const SMALL_REGISTER_BITS_MAX = 24;

function getSmall(sketch: Uint8Array, r: number, nBits: number): number {
  const first = r * nBits;
  const at = HLL_HEADER_BYTES + (first >> 3);
  const skip = first & 7;
  const span = (skip + nBits + 7) >> 3;
  let word = 0;
  for (let i = 0; i < span; i++) word = ((word << 8) | sketch[at + i]!) >>> 0;
  return (word >>> (span * 8 - skip - nBits)) & ((1 << nBits) - 1);
}

function setSmall(sketch: Uint8Array, r: number, nBits: number, value: number): void {
  const first = r * nBits;
  const at = HLL_HEADER_BYTES + (first >> 3);
  const skip = first & 7;
  const span = (skip + nBits + 7) >> 3;
  const shift = span * 8 - skip - nBits;
  let word = 0;
  for (let i = 0; i < span; i++) word = ((word << 8) | sketch[at + i]!) >>> 0;
  const mask = (((1 << nBits) - 1) << shift) >>> 0;
  word = ((word & ~mask) | ((value << shift) & mask)) >>> 0;
  for (let i = span - 1; i >= 0; i--) {
    sketch[at + i] = word & 0xff;
    word >>>= 8;
  }
}

/** The hll value part of register `r` (number of trailing zeros + 1; 0 = empty). */
export function hllValueAt(sketch: Uint8Array, r: number): number {
  const minhashBits = minhashBitsOf(sketch);
  const nBits = HLL_VALUE_BITS + minhashBits;
  if (nBits <= SMALL_REGISTER_BITS_MAX) return Math.floor(getSmall(sketch, r, nBits) / 2 ** minhashBits);
  return Number(getRegister(sketch, r) >> BigInt(minhashBits));
}

/** Sets register `r` of a sketch without minhash bits to an hll value. */
export function setHllValueAt(sketch: Uint8Array, r: number, value: number): void {
  if (minhashBitsOf(sketch) === 0) setSmall(sketch, r, HLL_VALUE_BITS, value);
  else setRegister(sketch, r, BigInt(value));
}
