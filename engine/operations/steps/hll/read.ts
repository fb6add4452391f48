/** HLL_READ steps: count, union, union count, intersect count, similarity, describe, may-contain. */
import { HllValue, hll, type BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { HllOp, type HllStep } from './types.js';

function checkIntersectWithBin(bin: Uint8Array, sketches: Uint8Array[], where: string): void {
  if (sketches.length <= 2) return;
  const m = hll.minhashBitsOf(bin);
  if (m === 0 || m !== hll.minhashBitsOf(sketches[0]!)) {
    throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', `${where}: intersecting the bin with more than 2 HyperLogLog values needs the bin's minhash bits to match theirs`);
  }
}

/** Runs a read step on the bin's sketch. */
export function readHll(step: HllStep, bin: Uint8Array, where: string): BinValue {
  const all = (): Uint8Array[] => [...step.sketches!, bin];
  switch (step.code) {
    case HllOp.COUNT:
      return hll.estimateCount(bin);
    case HllOp.GET_UNION:
      return new HllValue(hll.unionOf(all()));
    case HllOp.UNION_COUNT:
      return hll.estimateUnionCount(all());
    case HllOp.INTERSECT_COUNT:
      checkIntersectWithBin(bin, step.sketches!, where);
      return hll.estimateIntersectCount(all());
    case HllOp.SIMILARITY:
      checkIntersectWithBin(bin, step.sketches!, where);
      return hll.estimateSimilarity(all());
    case HllOp.DESCRIBE:
      return [hll.indexBitsOf(bin), hll.minhashBitsOf(bin)];
    case HllOp.MAY_CONTAIN:
      return hll.mayContainAll(bin, step.elements!) ? 1 : 0;
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${where}: ${step.code} is not a HyperLogLog read operation`);
  }
}
