/**
 * Cardinality, union, intersection and similarity estimates of HyperMinHash
 * sketches, computed the way Aerospike's server computes them (Ertl's improved
 * estimator for counts; inclusion–exclusion for intersections of plain HLLs;
 * HyperMinHash's Jaccard estimate when the sketches keep minhash bits), so a
 * client reads the same numbers from xdrgate as from Aerospike. Pure.
 */
import {
  HLL_VALUE_BITS, cachedCount, emptySketch, getRegister, hllValueAt, indexBitsOf, minhashBitsOf, registerCount, setHllValueAt, setRegister,
} from './sketch.js';

const HLL_VALUE_MAX = 2 ** HLL_VALUE_BITS;

function tau(val: number): number {
  if (val === 0 || val === 1) return 0;
  let y = 1;
  let z = 1 - val;
  let zPrev: number;
  do {
    val = Math.sqrt(val);
    zPrev = z;
    y *= 0.5;
    z -= (1 - val) * (1 - val) * y;
  } while (zPrev !== z);
  return z / 3;
}

function sigma(val: number): number {
  if (val === 1) return Infinity;
  let y = 1;
  let z = val;
  let zPrev: number;
  do {
    val *= val;
    zPrev = z;
    z += val * y;
    y += y;
  } while (zPrev !== z);
  return z;
}

function alpha(indexBits: number): number {
  if (indexBits === 4) return 0.673;
  if (indexBits === 5) return 0.697;
  if (indexBits === 6) return 0.709;
  return 0.7213 / (1 + 1.079 / 2 ** indexBits);
}

/** Estimated number of distinct elements (the cached count when the sketch holds one). */
export function estimateCount(sketch: Uint8Array): number {
  const cached = cachedCount(sketch);
  if (cached !== 0n) return Number(cached);
  const m = registerCount(sketch);
  const c = new Array<number>(HLL_VALUE_MAX + 1).fill(0);
  for (let r = 0; r < m; r++) c[hllValueAt(sketch, r)]!++;
  let z = m * tau(c[HLL_VALUE_MAX]! / m);
  for (let k = HLL_VALUE_MAX; k > 0; k--) z = 0.5 * (z + c[k]!);
  z += m * sigma(c[0]! / m);
  return Math.round((alpha(indexBitsOf(sketch)) * m * m) / z);
}

export interface SketchShape {
  indexBits: number;
  minhashBits: number;
}

/** The shape several sketches can be combined into: the fewest index bits; minhash bits only when all agree. */
export function compatibleShape(sketches: readonly Uint8Array[]): SketchShape {
  let indexBits = indexBitsOf(sketches[0]!);
  let minhashBits = minhashBitsOf(sketches[0]!);
  for (let i = 1; i < sketches.length; i++) {
    const s = sketches[i]!;
    if (indexBits > indexBitsOf(s)) indexBits = indexBitsOf(s);
    if (minhashBits !== 0 && minhashBits !== minhashBitsOf(s)) minhashBits = 0;
  }
  return { indexBits, minhashBits };
}

/**
 * Folds `from` into `into` register by register (the larger register wins).
 * `into` has at most as many index bits as `from`: registers of `from` whose
 * low index bits agree land in the same register.
 */
export function unionInto(into: Uint8Array, from: Uint8Array): void {
  const mask = registerCount(into) - 1;
  const n = registerCount(from);
  if (minhashBitsOf(into) === 0) {
    for (let r = 0; r < n; r++) {
      const v = hllValueAt(from, r);
      if (hllValueAt(into, r & mask) < v) setHllValueAt(into, r & mask, v);
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    const v = getRegister(from, r);
    if (getRegister(into, r & mask) < v) setRegister(into, r & mask, v);
  }
  into.fill(0, 3, 11);
}

/** A new sketch holding the union of `sketches`, in their compatible shape. */
export function unionOf(sketches: readonly Uint8Array[]): Uint8Array {
  const shape = compatibleShape(sketches);
  const out = emptySketch(shape.indexBits, shape.minhashBits);
  for (const s of sketches) unionInto(out, s);
  return out;
}

export function estimateUnionCount(sketches: readonly Uint8Array[]): number {
  return estimateCount(unionOf(sketches));
}

function usedRegisters(sketch: Uint8Array): number {
  let n = 0;
  const m = registerCount(sketch);
  for (let r = 0; r < m; r++) if (getRegister(sketch, r) !== 0n) n++;
  return n;
}

/** Aerospike looks at the first 2^index_bits bytes of the registers (all of them hold minhash sketches' first registers). */
function hasData(sketch: Uint8Array): boolean {
  const end = Math.min(11 + registerCount(sketch), sketch.length);
  for (let i = 11; i < end; i++) if (sketch[i] !== 0) return true;
  return false;
}

/** Keeps in `into` only the registers equal in both. */
function intersectInto(into: Uint8Array, other: Uint8Array): void {
  const mask = registerCount(into) - 1;
  const n = registerCount(other);
  for (let r = 0; r < n; r++) {
    const v0 = getRegister(into, r & mask);
    const v1 = getRegister(other, r);
    setRegister(into, r & mask, v0 === v1 ? v0 : 0n);
  }
}

/** Expected number of register collisions of two random sets of the given sizes (HyperMinHash's correction). */
function expectedCollisions(shape: SketchShape, card0: number, card1: number): number {
  const m = 2 ** shape.indexBits;
  let cp = 0;
  for (let i = 1; i <= HLL_VALUE_MAX; i++) {
    let b1 = i !== HLL_VALUE_MAX ? 2 ** -i : 0;
    let b2 = 2 ** (-i + 1);
    b1 /= m;
    b2 /= m;
    const prX = (1 - b1) ** card0 - (1 - b2) ** card0;
    const prY = (1 - b1) ** card1 - (1 - b2) ** card1;
    cp += prX * prY;
  }
  return (cp * m) / 2 ** shape.minhashBits;
}

function plainIntersectCount(sketches: readonly Uint8Array[]): number {
  const union = estimateUnionCount(sketches);
  let sum = 0;
  for (const s of sketches) sum += estimateCount(s);
  if (sketches.length === 2) return sum > union ? sum - union : 0;
  // Three sketches: inclusion–exclusion over the pairwise intersections.
  const [a, b, c] = sketches as [Uint8Array, Uint8Array, Uint8Array];
  const pairs = estimateIntersectCount([a, b]) + estimateIntersectCount([b, c]) + estimateIntersectCount([a, c]);
  const result = union - (sum - pairs);
  return result < 0 ? 0 : result;
}

/** Jaccard similarity estimate (NaN when every sketch is empty). */
export function estimateSimilarity(sketches: readonly Uint8Array[]): number {
  const shape = compatibleShape(sketches);
  if (shape.minhashBits === 0) return plainIntersectCount(sketches) / estimateUnionCount(sketches);
  let oneHasData = false;
  let oneIsEmpty = false;
  for (const s of sketches) {
    if (hasData(s)) oneHasData = true;
    else oneIsEmpty = true;
  }
  if (oneIsEmpty) return oneHasData ? 0 : NaN;
  const agg = emptySketch(shape.indexBits, shape.minhashBits);
  for (const s of sketches) unionInto(agg, s);
  const nUnion = usedRegisters(agg);
  const inter = emptySketch(shape.indexBits, shape.minhashBits);
  unionInto(inter, sketches[0]!);
  for (let i = 1; i < sketches.length; i++) intersectInto(inter, sketches[i]!);
  const nIntersect = usedRegisters(inter);
  const ec = sketches.length === 2 ? expectedCollisions(shape, estimateCount(sketches[0]!), estimateCount(sketches[1]!)) : 0;
  const result = (nIntersect - ec) / nUnion;
  return result < 0 ? 0 : result;
}

/** Estimated size of the intersection of 2 or 3 sketches (more need equal, non-zero minhash bits). */
export function estimateIntersectCount(sketches: readonly Uint8Array[]): number {
  const shape = compatibleShape(sketches);
  if (shape.minhashBits === 0) return plainIntersectCount(sketches);
  const j = estimateSimilarity(sketches);
  if (Number.isNaN(j)) return 0;
  return Math.round(estimateUnionCount(sketches) * j);
}
