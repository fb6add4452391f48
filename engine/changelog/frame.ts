/**
 * On-disk format of change-log segments (version 1), pure encode/decode.
 *
 * Segment file `<firstSeq, 16 digits>.clog`:
 *   header (32 bytes): magic "XCLG" | u16 version | u16 reserved | f64 firstSeq |
 *                      f64 baseLut (max lut of all earlier entries) | u32 crc32c(bytes 0..24) | u32 0
 *   then frames, back to back:
 *   frame: u32 crc32c(bytes 4..end) | u32 payloadBytes | payload
 *   payload: f64 seq | u8 kind | u8 region | f64 lut | 20 bytes digest | u8 setBytes | set (utf-8)
 * All little-endian. The crc covers the length too, so a damaged length field is
 * caught like damaged data. baseLut keeps lastLut() exact when the newest segment
 * is still empty.
 */
import type { ChangeEvent, ChangeKind } from '../types.js';
import { Utf8Interner } from '../bytes/utf8-interner.js';
import { readUtf8, writeUtf8 } from '../bytes/utf8.js';
import { crc32c as crc32cOf } from './crc32c.js';

export const SEGMENT_MAGIC = 0x474c4358; // "XCLG" read as u32 LE
export const SEGMENT_VERSION = 1;
export const HEADER_BYTES = 32;
export const FRAME_PREFIX_BYTES = 8;
export const DIGEST_BYTES = 20;
/** Payload bytes before the set name. */
export const PAYLOAD_FIXED_BYTES = 8 + 1 + 1 + 8 + DIGEST_BYTES + 1;
export const SET_BYTES_MAX = 255;
export const FRAME_BYTES_MIN = FRAME_PREFIX_BYTES + PAYLOAD_FIXED_BYTES;
export const FRAME_BYTES_MAX = FRAME_BYTES_MIN + SET_BYTES_MAX;

const KIND_CODES: Record<ChangeKind, number> = { write: 1, delete: 2, expire: 3 };
const KINDS: ReadonlyArray<ChangeKind | undefined> = [undefined, 'write', 'delete', 'expire'];

export function kindCode(kind: ChangeKind): number {
  const code = KIND_CODES[kind];
  if (code === undefined) throw new TypeError(`change log: unknown change kind ${String(kind)}`);
  return code;
}

export function segmentFileName(firstSeq: number): string {
  return `${String(firstSeq).padStart(16, '0')}.clog`;
}

/** firstSeq from a segment file name, or -1 when the name is not a segment's. */
export function parseSegmentFileName(name: string): number {
  const m = /^(\d{16})\.clog$/.exec(name);
  if (m === null) return -1;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : -1;
}

export interface SegmentHeader {
  firstSeq: number;
  baseLut: number;
}

export function encodeHeader(header: SegmentHeader): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeUInt32LE(SEGMENT_MAGIC, 0);
  b.writeUInt16LE(SEGMENT_VERSION, 4);
  b.writeDoubleLE(header.firstSeq, 8);
  b.writeDoubleLE(header.baseLut, 16);
  b.writeUInt32LE(crc32cOf(b, 0, 24), 24);
  return b;
}

/** The header, or a sentence saying what is wrong with it. */
export function decodeHeader(b: Buffer): SegmentHeader | string {
  if (b.length < HEADER_BYTES) return `header is ${b.length} bytes, expected ${HEADER_BYTES}`;
  if (b.readUInt32LE(0) !== SEGMENT_MAGIC) return 'bad magic';
  const version = b.readUInt16LE(4);
  if (version !== SEGMENT_VERSION) return `unsupported segment version ${version}`;
  if (b.readUInt32LE(24) !== crc32cOf(b, 0, 24)) return 'header checksum mismatch';
  return { firstSeq: b.readDoubleLE(8), baseLut: b.readDoubleLE(16) };
}

/**
 * Encodes one frame at `offset` of `buf` and returns its length. The caller
 * guarantees FRAME_BYTES_MIN + 3 × set.length bytes of room (the worst UTF-8 case).
 * Returns -1 when the set name is longer than SET_BYTES_MAX bytes (nothing usable written).
 */
export function encodeFrame(
  buf: Buffer,
  offset: number,
  seq: number,
  kind: number,
  region: number,
  lut: number,
  digest: Uint8Array,
  set: string,
): number {
  const p = offset + FRAME_PREFIX_BYTES;
  buf.writeDoubleLE(seq, p);
  buf[p + 8] = kind;
  buf[p + 9] = region;
  buf.writeDoubleLE(lut, p + 10);
  // Byte loops beat buf.set and buf.write (~30 and ~120 ns) for 20 bytes and short names.
  for (let k = 0; k < DIGEST_BYTES; k++) buf[p + 18 + k] = digest[k]!;
  const setStart = p + PAYLOAD_FIXED_BYTES;
  const setBytes = writeUtf8(buf, setStart, set);
  if (setBytes > SET_BYTES_MAX) return -1;
  buf[setStart - 1] = setBytes;
  const payloadBytes = PAYLOAD_FIXED_BYTES + setBytes;
  buf.writeUInt32LE(payloadBytes, offset + 4);
  const end = setStart + setBytes;
  buf.writeUInt32LE(crc32cOf(buf, offset + 4, end), offset);
  return end - offset;
}

/**
 * Length of the valid frame at `offset` (FRAME_PREFIX_BYTES + payload), or a
 * negative reason: -1 not enough bytes for the prefix, -2 implausible length,
 * -3 frame runs past `end`, -4 checksum mismatch.
 */
export function checkFrame(buf: Buffer, offset: number, end: number, verifyCrc: boolean): number {
  if (end - offset < FRAME_PREFIX_BYTES) return -1;
  const payloadBytes = buf.readUInt32LE(offset + 4);
  if (payloadBytes < PAYLOAD_FIXED_BYTES || payloadBytes > PAYLOAD_FIXED_BYTES + SET_BYTES_MAX) return -2;
  const frameBytes = FRAME_PREFIX_BYTES + payloadBytes;
  if (offset + frameBytes > end) return -3;
  if (buf[offset + FRAME_PREFIX_BYTES + PAYLOAD_FIXED_BYTES - 1] !== payloadBytes - PAYLOAD_FIXED_BYTES) return -2;
  if (verifyCrc && buf.readUInt32LE(offset) !== crc32cOf(buf, offset + 4, offset + frameBytes)) return -4;
  return frameBytes;
}

export function frameSeq(buf: Buffer, offset: number): number {
  return buf.readDoubleLE(offset + FRAME_PREFIX_BYTES);
}

export function frameLut(buf: Buffer, offset: number): number {
  return buf.readDoubleLE(offset + FRAME_PREFIX_BYTES + 10);
}

/** Set names of decoded frames: a handful per namespace, decoded once each. */
const setNames = new Utf8Interner(256, SET_BYTES_MAX, readUtf8);

/**
 * Decodes a frame already checked with checkFrame. The digest is copied into
 * a Buffer of its own (from Node's allocation pool), so a shipper can use it
 * as a Kafka key as it is.
 */
export function decodeFrame(buf: Buffer, offset: number, ns: string): ChangeEvent {
  const p = offset + FRAME_PREFIX_BYTES;
  const kind = KINDS[buf[p + 8]!];
  if (kind === undefined) throw new TypeError(`change log: unknown kind code ${buf[p + 8]}`);
  const setBytes = buf[p + PAYLOAD_FIXED_BYTES - 1]!;
  const setStart = p + PAYLOAD_FIXED_BYTES;
  const digest = Buffer.allocUnsafe(DIGEST_BYTES);
  for (let k = 0; k < DIGEST_BYTES; k++) digest[k] = buf[p + 18 + k]!;
  return {
    seq: buf.readDoubleLE(p),
    kind,
    ns,
    set: setBytes === 0 ? '' : setNames.text(buf, setStart, setStart + setBytes),
    digest,
    lut: buf.readDoubleLE(p + 10),
    region: buf[p + 9]!,
  };
}
