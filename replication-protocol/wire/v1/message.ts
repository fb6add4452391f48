/**
 * Wire format v1: what one Kafka message value holds. docs/wire-format.md is the
 * human specification of the same thing; keep the two in step.
 *
 * Every message is ONE standard MessagePack map (no msgpackr record extension;
 * three ext types: 18 for HyperLogLog bin values, 23 for GeoJSON bin values'
 * UTF-8 text (see codec.ts), ORDERED_LIST_EXT_TYPE (0x4f) holding an ordered
 * list's items as an array), so any conforming decoder reads it. Integers that do not
 * fit in 32 bits (luts, large bin values, bigint) are int64/uint64, never float.
 */
import type { HlcTimestamp, RecordVersion } from '../../../record/index.js';

export const WIRE_FORMAT_VERSION = 1;

/** Field `kind` of a record message. */
export const KIND_RECORD = 'record';
/** Field `kind` of a heartbeat message. */
export const KIND_HEARTBEAT = 'heartbeat';

/**
 * A periodic message of an idle (or busy) route, so the destination can tell a
 * stalled route (heartbeats stop or backlog grows) from a quiet one.
 */
export interface Heartbeat {
  /** Route name (the receiver also knows it from the topic; this is for humans and DLQ readers). */
  route: string;
  /** Id of the source region. */
  region: number;
  /** Source HLC when the heartbeat was made. */
  hlc: HlcTimestamp;
  /** Change-log entries of this route's namespace not yet shipped (committed) by the route. */
  backlog: number;
}

export type WireMessage =
  | { kind: 'record'; version: RecordVersion }
  | { kind: 'heartbeat'; heartbeat: Heartbeat };

/** Longest namespace / set / route name accepted, bytes of UTF-8 (Aerospike: 31 / 63). */
export const NAME_CHARS_MAX = 63;
/** Largest nesting of lists and maps accepted in a bin value (a bound on decoder recursion). */
export const BIN_DEPTH_MAX = 32;
