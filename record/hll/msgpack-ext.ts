/**
 * How a HyperLogLog value travels in xdrgate's own MessagePack formats (the
 * stored record body and wire v1): a MessagePack ext of type 18 (Aerospike's
 * HLL particle type) whose data is the sketch bytes. A standard ext, so any
 * MessagePack reader decodes it (as an ext it may not know); a blob stays a
 * bin value of its own. msgpackr keeps extensions in one process-wide table,
 * so the storage format and the wire format both register this one definition
 * (passing msgpackr's addExtension keeps record/ free of packages).
 */
import { HllValue } from './value.js';

export const HLL_MSGPACK_EXT_TYPE = 18;

export interface HllMsgpackExtension {
  Class: typeof HllValue;
  type: number;
  pack(value: HllValue): Uint8Array;
  unpack(data: Uint8Array): HllValue;
}

export const hllMsgpackExtension: HllMsgpackExtension = {
  Class: HllValue,
  type: HLL_MSGPACK_EXT_TYPE,
  pack: (value) => value.bytes,
  // The data is a view into the decoder's buffer (a reused device buffer, a Kafka batch): copy it.
  unpack: (data) => new HllValue(Uint8Array.from(data)),
};
