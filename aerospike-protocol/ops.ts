/** Readers of one op of a decoded message: its bin name and its value. */
import { BIN_NAME_BYTES_MAX } from './constants.js';
import { ProtocolError } from './errors.js';
import { readUtf8 } from './fields.js';
import type { OpList } from './message.js';
import { readParticle } from './particles.js';
import type { AsValue } from './values.js';

/** The op's bin name ('' for ops without one: touch, delete, read-all). Longer than 15 bytes is refused. */
export function opName(ops: OpList, buf: Buffer, i: number): string {
  const len = ops.nameLen[i]!;
  if (len === 0) return '';
  if (len > BIN_NAME_BYTES_MAX) throw new ProtocolError('PROTO_ERR_BAD_VALUE', `bin name of ${len} bytes is longer than ${BIN_NAME_BYTES_MAX}`);
  const start = ops.nameStart[i]!;
  return readUtf8(buf, start, start + len, 'bin name');
}

/** The op's value, decoded by its particle type. */
export function opValue(ops: OpList, buf: Buffer, i: number): AsValue {
  return readParticle(ops.particle[i]!, buf, ops.valueStart[i]!, ops.valueEnd[i]!);
}
