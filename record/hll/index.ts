/**
 * HyperLogLog values (Aerospike's HyperMinHash sketches): the byte layout,
 * building, and the estimates, all pure. The door of record/hll/.
 */
export { HllValue, isHllValue } from './value.js';
export {
  HLL_HEADER_BYTES, HLL_INDEX_BITS_MAX, HLL_INDEX_BITS_MIN, HLL_MINHASH_BITS_MAX, HLL_MINHASH_BITS_MIN, emptySketch, indexBitsOf, minhashBitsOf,
  sketchBytes, sketchProblem, validBits, validIndexBits, validMinhashBits,
} from './sketch.js';
export {
  compatibleShape, estimateCount, estimateIntersectCount, estimateSimilarity, estimateUnionCount, unionOf, type SketchShape,
} from './estimate.js';
export { addElements, foldSketch, hashElement, mayContainAll, withCachedCount } from './update.js';
export { compactElement } from './element.js';
export { murmur3x64128 } from './murmur3.js';
export { HLL_MSGPACK_EXT_TYPE, hllMsgpackExtension, type HllMsgpackExtension } from './msgpack-ext.js';
