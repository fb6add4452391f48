/**
 * The 8-byte proto header in front of every message: version (2), type, and
 * the body size as a 48-bit big-endian number.
 */
import { PROTO_HEADER_BYTES, PROTO_VERSION } from './constants.js';

export interface ProtoHeader {
  version: number;
  type: number;
  /** Body bytes after the header. */
  size: number;
}

/** Reads a header at `offset` (the caller checked that 8 bytes are there). */
export function readProtoHeader(buf: Uint8Array, offset = 0): ProtoHeader {
  const size =
    buf[offset + 2]! * 2 ** 40 +
    buf[offset + 3]! * 2 ** 32 +
    ((buf[offset + 4]! << 24) >>> 0) +
    (buf[offset + 5]! << 16) +
    (buf[offset + 6]! << 8) +
    buf[offset + 7]!;
  return { version: buf[offset]!, type: buf[offset + 1]!, size };
}

/** Writes a version-2 header of `type` for a body of `size` bytes at `offset`. */
export function writeProtoHeader(buf: Uint8Array, offset: number, type: number, size: number): void {
  buf[offset] = PROTO_VERSION;
  buf[offset + 1] = type;
  const high = Math.floor(size / 2 ** 32);
  buf[offset + 2] = (high >>> 8) & 0xff;
  buf[offset + 3] = high & 0xff;
  buf[offset + 4] = (size >>> 24) & 0xff;
  buf[offset + 5] = (size >>> 16) & 0xff;
  buf[offset + 6] = (size >>> 8) & 0xff;
  buf[offset + 7] = size & 0xff;
}

/** A whole message: header and body in one new buffer. */
export function frame(type: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(PROTO_HEADER_BYTES + body.length);
  writeProtoHeader(out, 0, type, body.length);
  out.set(body, PROTO_HEADER_BYTES);
  return out;
}
