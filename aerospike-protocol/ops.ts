/** Readers of one op of a decoded message: its bin name and its value. */
import { readUtf8 } from './fields.js';
import type { OpList } from './message.js';
import { readParticle } from './particles.js';
import type { AsValue } from './values.js';

/**
 * The op's bin name ('' for ops without one: touch, delete, read-all). Its
 * length (at most 255, one byte) is the engine's to judge against the 15-byte
 * limit, so a client sees Aerospike's BIN_NAME result for a long name.
 */
export function opName(ops: OpList, buf: Buffer, i: number): string {
  const len = ops.nameLen[i]!;
  if (len === 0) return '';
  const start = ops.nameStart[i]!;
  return readUtf8(buf, start, start + len, 'bin name');
}

/** The op's value, decoded by its particle type. */
export function opValue(ops: OpList, buf: Buffer, i: number): AsValue {
  return readParticle(ops.particle[i]!, buf, ops.valueStart[i]!, ops.valueEnd[i]!);
}
