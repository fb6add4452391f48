/**
 * The versioned wire format shared by the shipper and the receiver (they never
 * import each other). v1 is the only version; a v2 would live in ./v2/ and the
 * decoder would dispatch on the `v` field.
 */
export { WIRE_FORMAT_VERSION, KIND_RECORD, KIND_HEARTBEAT } from './v1/message.js';
export type { Heartbeat, WireMessage } from './v1/message.js';
export { encodeRecord, encodeHeartbeat, recordToWireMap, headToWireMap } from './v1/encode.js';
export type { RecordHead } from './v1/encode.js';
export { encodeRecordFromBody } from './v1/encode-stored.js';
export { transcodeStoredVersion, type StoredVersion, type TranscodedVersion } from './v1/transcode.js';
export { decodeMessage } from './v1/decode.js';
export { WIRE_ERRORS, WireError, isWireError } from './errors.js';
export type { WireErrorCode } from './errors.js';
