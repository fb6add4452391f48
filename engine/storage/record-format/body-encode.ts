/**
 * A put's fast path: the body [bins, binLuts] encoded by hand, byte for byte as
 * msgpackr (with bin-codec.ts's options) writes it, for the common case of
 * flat bins whose values are strings, numbers, booleans or null. msgpackr's
 * general pack was ~1 µs of a ~4.5 µs put for a 1 KiB record.
 *
 * Identical bytes matter beyond decoding: the shipper copies tokens of the
 * stored body to the wire (wire/v1/encode-stored.ts) and the byte fixtures pin
 * them. The choices copied from msgpackr: maps and strings take the smallest
 * header that fits; integers in uint32 range take the smallest unsigned form
 * (positive fixint up to 0x7f), other int32 the smallest signed form; every
 * other number is a float64; a string is its UTF-8 bytes with U+FFFD for lone
 * surrogates (what Buffer writes). Anything else (nested lists and maps,
 * bigint, bytes, non-plain objects, counters) returns null and msgpackr
 * encodes the body.
 */
import type { BinValue, Bins, HlcTimestamp } from '../../../record/index.js';

/** Bodies bigger than this go to msgpackr (which grows its buffer). */
const OUT_BYTES = 256 * 1024;

const out = Buffer.allocUnsafe(OUT_BYTES);
const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
let pos = 0;

/** Thrown inside the encoder to leave for msgpackr; never escapes this file. */
const SLOW = Symbol('slow path');

/** The encoded body, valid until the next call; or null when msgpackr must encode it. */
export function encodeBodyFast(bins: Bins, binLuts: Record<string, HlcTimestamp>): Uint8Array | null {
  pos = 0;
  out[pos++] = 0x92;
  try {
    writeMap(bins);
    writeMap(binLuts);
  } catch (err) {
    if (err !== SLOW) throw err;
    return null;
  }
  return out.subarray(0, pos);
}

function writeMap(map: Record<string, BinValue>): void {
  if (map === null || typeof map !== 'object' || map.constructor !== Object) throw SLOW;
  const keys = Object.keys(map);
  const n = keys.length;
  if (n >= 0x10) throw SLOW;
  room(1);
  out[pos++] = 0x80 | n;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    writeString(key);
    writeValue(map[key]!);
  }
}

function room(bytes: number): void {
  if (pos + bytes > OUT_BYTES) throw SLOW;
}

function writeValue(value: BinValue): void {
  switch (typeof value) {
    case 'string':
      writeString(value);
      return;
    case 'number':
      writeNumber(value);
      return;
    case 'boolean':
      room(1);
      out[pos++] = value ? 0xc3 : 0xc2;
      return;
    default:
      if (value !== null) throw SLOW;
      room(1);
      out[pos++] = 0xc0;
  }
}

function writeNumber(value: number): void {
  room(9);
  if (value >>> 0 === value) {
    if (value < 0x80) {
      out[pos++] = value;
    } else if (value < 0x100) {
      out[pos++] = 0xcc;
      out[pos++] = value;
    } else if (value < 0x10000) {
      out[pos++] = 0xcd;
      view.setUint16(pos, value);
      pos += 2;
    } else {
      out[pos++] = 0xce;
      view.setUint32(pos, value);
      pos += 4;
    }
  } else if (value >> 0 === value) {
    if (value >= -0x20) {
      out[pos++] = 0x100 + value;
    } else if (value >= -0x80) {
      out[pos++] = 0xd0;
      out[pos++] = value + 0x100;
    } else if (value >= -0x8000) {
      out[pos++] = 0xd1;
      view.setInt16(pos, value);
      pos += 2;
    } else {
      out[pos++] = 0xd2;
      view.setInt32(pos, value);
      pos += 4;
    }
  } else {
    out[pos++] = 0xcb;
    view.setFloat64(pos, value);
    pos += 8;
  }
}

/** Buffer's own UTF-8 encoder, called without write()'s argument parsing. */
const utf8Write = (Buffer.prototype as unknown as { utf8Write(this: Buffer, s: string, offset: number, length: number): number }).utf8Write;

/** msgpack string header size for a UTF-8 length: fixstr, str8, str16, str32. */
function headerBytes(bytes: number): number {
  return bytes < 0x20 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5;
}

function writeString(s: string): void {
  const chars = s.length;
  // UTF-8 needs at most 3 bytes per UTF-16 unit; 5 for the largest header.
  room(5 + 3 * chars);
  if (chars < 0x20) {
    // Short strings, usually ASCII (bin names): a byte loop, no native call.
    let ascii = true;
    for (let i = 0; i < chars; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      out[pos + 1 + i] = c;
    }
    if (ascii) {
      out[pos] = 0xa0 | chars;
      pos += 1 + chars;
      return;
    }
  }
  // The UTF-8 length lies in [chars, 3 × chars]: when both ends need the same
  // header the bytes go straight after it, else after room for the largest
  // header and are moved up against the real one.
  const guess = headerBytes(chars);
  const at = guess === headerBytes(3 * chars) ? guess : 5;
  const bytes = utf8Write.call(out, s, pos + at, OUT_BYTES - pos - at);
  const header = headerBytes(bytes);
  if (header !== at) out.copyWithin(pos + header, pos + at, pos + at + bytes);
  if (header === 1) {
    out[pos] = 0xa0 | bytes;
  } else if (header === 2) {
    out[pos] = 0xd9;
    out[pos + 1] = bytes;
  } else if (header === 3) {
    out[pos] = 0xda;
    view.setUint16(pos + 1, bytes);
  } else {
    out[pos] = 0xdb;
    view.setUint32(pos + 1, bytes);
  }
  pos += header + bytes;
}
