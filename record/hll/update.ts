/**
 * Building sketches: adding elements, folding to fewer index bits, caching the
 * count. Each returns a new sketch and leaves its input untouched.
 */
import { murmur3x64128 } from './murmur3.js';
import { compactElement } from './element.js';
import { estimateCount, unionInto } from './estimate.js';
import { emptySketch, getRegister, indexBitsOf, minhashBitsOf, setCachedCount, setRegister } from './sketch.js';

function trailingZeros64(x: bigint): number {
  if (x === 0n) return 64;
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/** Which register an element lands in and the value it offers that register. */
export function hashElement(indexBits: number, minhashBits: number, element: Uint8Array): { index: number; value: bigint } {
  const [h1, h2] = murmur3x64128(compactElement(element));
  const index = Number(h1 & BigInt(2 ** indexBits - 1));
  const minhash = (h1 >> BigInt(indexBits)) & ((1n << BigInt(minhashBits)) - 1n);
  const hllValue = BigInt(trailingZeros64(h2) + 1);
  return { index, value: (hllValue << BigInt(minhashBits)) | minhash };
}

/** `sketch` with `elements` (each one packed MessagePack scalar) added, and how many raised a register. */
export function addElements(sketch: Uint8Array, elements: readonly Uint8Array[]): { sketch: Uint8Array; added: number } {
  const out = Uint8Array.from(sketch);
  const indexBits = indexBitsOf(out);
  const minhashBits = minhashBitsOf(out);
  let added = 0;
  for (const e of elements) {
    const { index, value } = hashElement(indexBits, minhashBits, e);
    if (getRegister(out, index) < value) {
      setRegister(out, index, value);
      setCachedCount(out, 0n);
      added++;
    }
  }
  return { sketch: out, added };
}

/** Whether every element may be in the sketch (false means one is certainly not). */
export function mayContainAll(sketch: Uint8Array, elements: readonly Uint8Array[]): boolean {
  const indexBits = indexBitsOf(sketch);
  const minhashBits = minhashBitsOf(sketch);
  return elements.every((e) => {
    const { index, value } = hashElement(indexBits, minhashBits, e);
    return value <= getRegister(sketch, index);
  });
}

/** The sketch with fewer index bits (it must keep no minhash bits); the same bits give a copy. */
export function foldSketch(sketch: Uint8Array, indexBits: number): Uint8Array {
  if (indexBits === indexBitsOf(sketch)) return Uint8Array.from(sketch);
  const out = emptySketch(indexBits, 0);
  unionInto(out, sketch);
  return out;
}

/** A copy whose cached count is set (a sketch that already caches one keeps it). */
export function withCachedCount(sketch: Uint8Array): { sketch: Uint8Array; count: number } {
  const out = Uint8Array.from(sketch);
  const count = estimateCount(out);
  setCachedCount(out, BigInt(count));
  return { sketch: out, count };
}
