/**
 * The shape checks Aerospike makes on an HLL op's arguments before it looks at
 * the bin: out-of-range bit counts, flags the op does not take, an empty
 * element list, malformed sketches. Each is a PARAMETER error
 * (ENGINE_ERR_INVALID_ARGUMENT), and nothing runs.
 */
import { hll } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { HLL_OPS, HllOp, HllWriteFlags, type HllStep } from './types.js';

/** The bits an op asked for; -1 = unset. */
export interface HllBits {
  indexBits: number;
  minhashBits: number;
}

function bad(where: string, message: string): never {
  throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${where}: ${message}`);
}

function bitsArg(value: unknown, where: string, field: string): number {
  if (value === undefined || value === -1) return -1;
  if (typeof value !== 'number' || !Number.isInteger(value)) bad(where, `${field} must be an integer (or -1 for unset)`);
  return value;
}

function checkSketches(sketches: unknown, where: string): void {
  if (!Array.isArray(sketches) || sketches.length === 0) bad(where, 'needs a non-empty list of HyperLogLog values');
  sketches.forEach((s, i) => {
    if (!(s instanceof Uint8Array)) bad(where, `HyperLogLog value ${i} is not bytes`);
    const problem = hll.sketchProblem(s);
    if (problem !== null) bad(where, `HyperLogLog value ${i}: ${problem}`);
  });
}

/** More than two sketches can only be intersected when all keep the same, non-zero, minhash bits. */
function checkIntersectable(sketches: Uint8Array[], where: string): void {
  if (sketches.length <= 2) return;
  const minhash = hll.minhashBitsOf(sketches[0]!);
  if (minhash === 0 || sketches.some((s) => hll.minhashBitsOf(s) !== minhash)) {
    bad(where, `intersecting more than 2 HyperLogLog values needs equal, non-zero minhash bits in all of them`);
  }
}

/** Checks `step` and returns the bits it asked for. */
export function checkHllStep(step: HllStep, where: string): HllBits {
  const def = HLL_OPS.get(step.code);
  if (def === undefined) bad(where, `${String(step.code)} is not a HyperLogLog operation code`);
  const indexBits = def.indexBits === true ? bitsArg(step.indexBits, where, 'index bits') : -1;
  const minhashBits = def.minhashBits === true ? bitsArg(step.minhashBits, where, 'minhash bits') : -1;
  if (indexBits !== -1 && !hll.validIndexBits(indexBits)) bad(where, `index bits ${indexBits} out of range ${hll.HLL_INDEX_BITS_MIN}..${hll.HLL_INDEX_BITS_MAX}`);
  if (minhashBits !== -1) {
    if (!hll.validMinhashBits(minhashBits)) bad(where, `minhash bits ${minhashBits} must be 0 or ${hll.HLL_MINHASH_BITS_MIN}..${hll.HLL_MINHASH_BITS_MAX}`);
    if (indexBits !== -1 && !hll.validBits(indexBits, minhashBits)) bad(where, `index bits ${indexBits} and minhash bits ${minhashBits} add up to more than 64`);
  }
  const flags = step.flags ?? 0;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0) bad(where, 'flags must be a non-negative integer');
  if ((flags & ~def.flags) !== 0) bad(where, `flags 0x${flags.toString(16)} are not accepted by ${def.name}`);
  if ((flags & HllWriteFlags.CREATE_ONLY) !== 0 && (flags & HllWriteFlags.UPDATE_ONLY) !== 0) bad(where, 'create-only and update-only exclude each other');
  if (def.elements === true) {
    const elements = step.elements;
    if (!Array.isArray(elements) || elements.length === 0) bad(where, 'needs a non-empty list of elements');
    if (elements.some((e) => !(e instanceof Uint8Array) || e.length === 0)) bad(where, 'an element is not a packed value');
  }
  if (def.sketches === true) {
    checkSketches(step.sketches, where);
    if (step.code === HllOp.INTERSECT_COUNT || step.code === HllOp.SIMILARITY) checkIntersectable(step.sketches!, where);
  }
  return { indexBits, minhashBits };
}
