/**
 * HLL_MODIFY steps: init, add, set-union, refresh-count, fold. Each builds a
 * new sketch from the bin's (record/hll/ does the arithmetic) after the
 * checks Aerospike makes, in its order: the bin's type, the arguments, the
 * create-only / update-only policy, then whether the op applies to this bin.
 */
import { HllValue, hll } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import type { HllBits } from './args.js';
import { HllOp, HllWriteFlags, type HllStep } from './types.js';

export interface HllModifyOutcome {
  /** The op's result: elements that raised a register (add), the count (refresh-count), or null. */
  result: number | null;
  /** The new sketch, or undefined when the bin stays as it is (a no-fail refusal). */
  next?: HllValue;
}

function notApplicable(where: string, message: string): never {
  throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', `${where}: ${message}`);
}

const UNSET = -1;

/** The union's bits when it is created or folded: the fewest index bits; minhash bits only when all sketches agree. */
function unionBits(sketches: Uint8Array[]): { indexBits: number; minhashBits: number } {
  let indexBits = Infinity;
  let minhashBits = UNSET;
  for (const s of sketches) {
    indexBits = Math.min(indexBits, hll.indexBitsOf(s));
    const m = hll.minhashBitsOf(s);
    if (m !== minhashBits) minhashBits = minhashBits === UNSET ? m : 0;
  }
  return { indexBits, minhashBits };
}

function checkUnion(old: Uint8Array, sketches: Uint8Array[], flags: number, where: string): void {
  if ((flags & HllWriteFlags.ALLOW_FOLD) !== 0) return;
  const given = unionBits(sketches);
  if (hll.indexBitsOf(old) > given.indexBits) notApplicable(where, `the bin has ${hll.indexBitsOf(old)} index bits and a value ${given.indexBits}; add the allow-fold flag to fold the union`);
  const m = hll.minhashBitsOf(old);
  if (m !== 0 && m !== given.minhashBits) notApplicable(where, 'the union would drop the bin\'s minhash bits; add the allow-fold flag');
}

function build(step: HllStep, bits: HllBits, old: Uint8Array | null, where: string): HllModifyOutcome {
  switch (step.code) {
    case HllOp.INIT: {
      if (old === null && bits.indexBits === UNSET) notApplicable(where, 'creating a HyperLogLog bin needs index bits');
      const indexBits = bits.indexBits !== UNSET ? bits.indexBits : hll.indexBitsOf(old!);
      const minhashBits = bits.minhashBits !== UNSET ? bits.minhashBits : old === null ? 0 : hll.minhashBitsOf(old);
      if (!hll.validBits(indexBits, minhashBits)) notApplicable(where, `index bits ${indexBits} and minhash bits ${minhashBits} add up to more than 64`);
      return { result: null, next: new HllValue(hll.emptySketch(indexBits, minhashBits)) };
    }
    case HllOp.ADD: {
      if (old === null && bits.indexBits === UNSET) notApplicable(where, 'the bin does not exist and the add gives no index bits to create it with');
      const from = old ?? hll.emptySketch(bits.indexBits, bits.minhashBits === UNSET ? 0 : bits.minhashBits);
      const { sketch, added } = hll.addElements(from, step.elements!);
      return { result: added, next: new HllValue(sketch) };
    }
    case HllOp.SET_UNION: {
      const sketches = step.sketches!;
      if (old !== null) checkUnion(old, sketches, step.flags ?? 0, where);
      return { result: null, next: new HllValue(hll.unionOf(old === null ? sketches : [...sketches, old])) };
    }
    case HllOp.REFRESH_COUNT: {
      if (old === null) throw opsError('ENGINE_ERR_BIN_NOT_FOUND', `${where}: there is no HyperLogLog bin to count`);
      const { sketch, count } = hll.withCachedCount(old);
      return { result: count, next: new HllValue(sketch) };
    }
    case HllOp.FOLD: {
      if (old === null) throw opsError('ENGINE_ERR_BIN_NOT_FOUND', `${where}: there is no HyperLogLog bin to fold`);
      if (hll.minhashBitsOf(old) > 0) notApplicable(where, 'a HyperLogLog with minhash bits cannot be folded');
      if (bits.indexBits === UNSET || hll.indexBitsOf(old) < bits.indexBits) notApplicable(where, `the bin has ${hll.indexBitsOf(old)} index bits, fewer than ${bits.indexBits}`);
      return { result: null, next: new HllValue(hll.foldSketch(old, bits.indexBits)) };
    }
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${where}: ${step.code} is not a HyperLogLog modify operation`);
  }
}

/** Runs a modify step on the bin's current sketch (null: no bin). */
export function modifyHll(step: HllStep, bits: HllBits, old: Uint8Array | null, where: string): HllModifyOutcome {
  const flags = step.flags ?? 0;
  const noFail = (flags & HllWriteFlags.NO_FAIL) !== 0;
  if (old !== null && (flags & HllWriteFlags.CREATE_ONLY) !== 0) {
    if (noFail) return { result: null };
    throw opsError('ENGINE_ERR_BIN_EXISTS', `${where}: the bin exists and the op is create-only`);
  }
  if (old === null && (flags & HllWriteFlags.UPDATE_ONLY) !== 0) {
    if (noFail) return { result: null };
    throw opsError('ENGINE_ERR_BIN_NOT_FOUND', `${where}: the bin does not exist and the op is update-only`);
  }
  return build(step, bits, old, where);
}
