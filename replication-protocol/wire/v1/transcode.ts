/**
 * Wire v1 bytes of a version as a storage engine keeps it: its metadata and its
 * stored body, a MessagePack array [bins, binLuts, counters?, dormantCounters?]
 * (the engine's readStoredVersions lends both). A body without counter state
 * is transcoded as it lies (encode-stored.ts); any other is decoded by the
 * engine and encoded (encode.ts), which defines the format. Either way the
 * bytes are exactly encodeRecord of the decoded version.
 */
import { holdsCounterState, type RecordVersion } from '../../../record/index.js';
import { isWireError, type WireError } from '../errors.js';
import { encodeRecord, type RecordHead } from './encode.js';
import { encodeRecordFromBody } from './encode-stored.js';

/** A stored version as the transcoder reads it; the engine's StoredVersionView is one. */
export interface StoredVersion {
  readonly head: RecordHead;
  /** The body is bytes[bodyStart, bodyEnd); read during the call only. */
  readonly bytes: Uint8Array;
  /** A DataView over the whole of `bytes`. */
  readonly view: DataView;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** The whole version, for the bodies the fast path declines. */
  decode(): RecordVersion;
}

export interface TranscodedVersion {
  head: RecordHead;
  /** Wire v1 message bytes (owned by the caller). */
  wire: Buffer;
  /** The version holds counter state, visible or dormant (record/'s holdsCounterState): the shipper's rule depends on it. */
  holdsCounters: boolean;
}

/**
 * The wire v1 message of a stored version, or the WireError that encoding it
 * raised (a value the format cannot carry): returned, not thrown, so that a
 * batch read goes on past a record that cannot be shipped. Other errors throw.
 */
export function transcodeStoredVersion(stored: StoredVersion): TranscodedVersion | WireError {
  const head = stored.head;
  try {
    const wire = encodeRecordFromBody(head, stored.bytes, stored.bodyStart, stored.bodyEnd, stored.view);
    // The fast path only takes bodies without counter state.
    if (wire !== null) return { head, wire, holdsCounters: false };
    const version = stored.decode();
    return { head, wire: encodeRecord(version), holdsCounters: holdsCounterState(version) };
  } catch (err) {
    if (isWireError(err)) return err;
    throw err;
  }
}
