/**
 * HyperLogLog bin steps (Aerospike's HLL_READ / HLL_MODIFY ops): the bin must
 * hold a HyperLogLog (or be absent); a read of an absent bin gives null.
 */
import { HllValue, type BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { checkHllStep } from './args.js';
import { modifyHll } from './modify.js';
import { readHll } from './read.js';
import { isHllRead, type HllStep } from './types.js';

export { HllOp, HllWriteFlags, isHllRead, isKnownHllCode, type HllStep } from './types.js';

export interface HllOutcome {
  result: BinValue;
  /** The bin's new value; undefined leaves it as it is. */
  next?: HllValue;
}

export function applyHll(current: BinValue | undefined, step: HllStep, where: string): HllOutcome {
  if (current !== undefined && current !== null && !(current instanceof HllValue)) {
    throw opsError('ENGINE_ERR_BIN_TYPE_MISMATCH', `${where}: the bin does not hold a HyperLogLog`);
  }
  const bits = checkHllStep(step, where);
  const sketch = current instanceof HllValue ? current.bytes : null;
  if (isHllRead(step.code)) return { result: sketch === null ? null : readHll(step, sketch, where) };
  const { result, next } = modifyHll(step, bits, sketch, where);
  return next === undefined ? { result } : { result, next };
}
