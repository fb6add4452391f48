/**
 * The shipper's fast path: wire v1 bytes of a record straight from its stored
 * body (the MessagePack array [bins, binLuts] that engine/bin-codec.ts wrote),
 * without decoding the bins into objects and packing them again. Decoding and
 * re-encoding was over half of the shipper's CPU per record.
 *
 * The output must be byte for byte what encodeRecord() writes for the decoded
 * version (the byte fixtures and "identical versions, identical bytes" rely on
 * it). Both sides are msgpackr with standard types, so almost every token is
 * written identically and is copied as is; the differences are rewritten:
 *   - maps: the body uses the smallest header, the wire always map16;
 *   - integers beyond 32 bits: stored as float64 (numbers) or uint64, sent as
 *     int64 (encode.ts's wideInt).
 * Anything else that could decode and re-encode differently (counters, float32,
 * extensions, map32, numeric-looking map keys that JS objects reorder, small
 * values in 64-bit tokens, deep nesting) returns null: the caller then takes
 * the slow path, which is the definition of the format. The metadata entries
 * are written by stored-head.ts; transcode.ts chooses between the two paths.
 */
import { BIN_DEPTH_MAX } from './message.js';
import { packr } from './codec.js';
import { headToWireMap, type RecordHead } from './encode.js';
import { INT32_MIN, INT_TOKEN_BYTES_MAX, UINT32_MAX, writeInt64 } from './msgpack-ints.js';
import { HEAD_BYTES_MAX, writeHead } from './stored-head.js';

/** Thrown inside the transcoder to leave for the slow path; never escapes this file. */
const SLOW = Symbol('slow path');

const KEY_BIN_LUTS = Buffer.from([0xa7, ...Buffer.from('binLuts')]);
const KEY_BINS = Buffer.from([0xa4, ...Buffer.from('bins')]);
const INT64_LIMIT = 2n ** 63n;

/**
 * Results are cut from slabs: each record is written once, in wire order, at
 * the free end of the current slab and returned as a view of it; the next
 * record starts after it. No copy per result, and no view per piece.
 */
const SLAB_BYTES = 256 * 1024;
let out = Buffer.allocUnsafe(SLAB_BYTES);
/** Where the record being written starts in `out` (bytes before it belong to earlier results). */
let recordStart = 0;
let outPos = 0;
let src: Uint8Array = out;
let srcView: DataView = new DataView(out.buffer, out.byteOffset, out.byteLength);
/** End of the body in src (the body is src[start, srcEnd)). */
let srcEnd = 0;
let pos = 0;

function ensure(bytes: number): void {
  if (outPos + bytes <= out.length) return;
  // A new slab; the record written so far moves to its start (earlier results keep the old one).
  const written = outPos - recordStart;
  const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (written + bytes)));
  out.copy(next, 0, recordStart, outPos);
  out = next;
  recordStart = 0;
  outPos = written;
}

/** Up to this many bytes, a loop beats TypedArray.set of a subarray (a view per call). */
const LOOP_COPY_BYTES_MAX = 24;

function copy(from: number, to: number): void {
  if (to > srcEnd) throw SLOW;
  ensure(to - from);
  outPos = put(out, outPos, src, from, to);
}

function writeUInt64(value: bigint): void {
  ensure(9);
  out[outPos] = 0xd3;
  out.writeBigUInt64BE(value, outPos + 1);
  outPos += 9;
}

/** Whether a decoded map key could change place in a JS object (integer-like) or is special. */
function awkwardKey(start: number, len: number): boolean {
  if (len === 0) return false;
  const c = src[start]!;
  return (c >= 0x30 && c <= 0x39) || (len === 9 && c === 0x5f && Buffer.from(src.buffer, src.byteOffset + start, len).toString('latin1') === '__proto__');
}

function u8(): number {
  if (pos >= srcEnd) throw SLOW;
  return src[pos++]!;
}

function mapBody(entries: number, depth: number): void {
  ensure(3);
  out[outPos] = 0xde;
  out[outPos + 1] = entries >>> 8;
  out[outPos + 2] = entries;
  outPos += 3;
  for (let i = 0; i < entries; i++) {
    // Keys are strings (bin names, nested map keys); anything else goes the slow way.
    const at = pos;
    const t = u8();
    let len: number;
    let headerBytes: number;
    if (t >= 0xa0 && t <= 0xbf) {
      len = t & 0x1f;
      headerBytes = 1;
    } else if (t === 0xd9) {
      len = u8();
      headerBytes = 2;
    } else if (t === 0xda) {
      if (pos + 2 > srcEnd) throw SLOW;
      len = srcView.getUint16(pos);
      headerBytes = 3;
    } else throw SLOW;
    const keyStart = at + headerBytes;
    if (awkwardKey(keyStart, len)) throw SLOW;
    pos = keyStart + len;
    copy(at, pos);
    value(depth + 1);
  }
}

function array(entries: number, depth: number): void {
  for (let i = 0; i < entries; i++) value(depth + 1);
}

/**
 * Moves `pos` past one value without writing it (the bins map, to find the
 * binLuts map after it). Only what value() accepts needs to be known here:
 * value() checks every token when the bins are transcoded afterwards.
 */
function skip(depth: number): void {
  if (depth > BIN_DEPTH_MAX + 1) throw SLOW;
  const t = u8();
  let n = 0;
  if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return;
  if (t >= 0xa0 && t <= 0xbf) n = t & 0x1f;
  else if (t >= 0x80 && t <= 0x8f) return skipMany(2 * (t & 0x0f), depth);
  else if (t >= 0x90 && t <= 0x9f) return skipMany(t & 0x0f, depth);
  else {
    switch (t) {
      case 0xcc:
      case 0xd0:
        n = 1;
        break;
      case 0xcd:
      case 0xd1:
        n = 2;
        break;
      case 0xce:
      case 0xd2:
        n = 4;
        break;
      case 0xcb:
      case 0xd3:
      case 0xcf:
        n = 8;
        break;
      case 0xd9:
      case 0xc4:
        n = u8();
        break;
      case 0xda:
      case 0xc5:
        if (pos + 2 > srcEnd) throw SLOW;
        n = 2 + srcView.getUint16(pos);
        break;
      case 0xdb:
      case 0xc6:
        if (pos + 4 > srcEnd) throw SLOW;
        n = 4 + srcView.getUint32(pos);
        break;
      case 0xde:
      case 0xdc: {
        if (pos + 2 > srcEnd) throw SLOW;
        const entries = srcView.getUint16(pos);
        pos += 2;
        return skipMany(t === 0xde ? 2 * entries : entries, depth);
      }
      case 0xdd: {
        if (pos + 4 > srcEnd) throw SLOW;
        const entries = srcView.getUint32(pos);
        pos += 4;
        return skipMany(entries, depth);
      }
      default:
        throw SLOW;
    }
  }
  pos += n;
  if (pos > srcEnd) throw SLOW;
}

function skipMany(values: number, depth: number): void {
  for (let i = 0; i < values; i++) skip(depth + 1);
}

/** Transcodes one value at `pos`; `depth` counts as encode.ts's binValue does (a bin is depth 1). */
function value(depth: number): void {
  if (depth > BIN_DEPTH_MAX) throw SLOW;
  const at = pos;
  const t = u8();
  if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return copy(at, pos);
  if (t >= 0xa0 && t <= 0xbf) return copy(at, (pos += t & 0x1f));
  if (t >= 0x80 && t <= 0x8f) return mapBody(t & 0x0f, depth);
  if (t >= 0x90 && t <= 0x9f) {
    copy(at, pos);
    return array(t & 0x0f, depth);
  }
  switch (t) {
    case 0xcc:
    case 0xd0:
      return copy(at, (pos += 1));
    case 0xcd:
    case 0xd1:
      return copy(at, (pos += 2));
    case 0xce:
    case 0xd2:
      return copy(at, (pos += 4));
    case 0xd9:
    case 0xc4:
      return copy(at, (pos += 1 + (src[pos] ?? 0)));
    case 0xda:
    case 0xc5:
      if (pos + 2 > srcEnd) throw SLOW;
      return copy(at, (pos += 2 + srcView.getUint16(pos)));
    case 0xdb:
    case 0xc6:
      if (pos + 4 > srcEnd) throw SLOW;
      return copy(at, (pos += 4 + srcView.getUint32(pos)));
    case 0xde: {
      if (pos + 2 > srcEnd) throw SLOW;
      const n = srcView.getUint16(pos);
      pos += 2;
      return mapBody(n, depth);
    }
    case 0xdc:
    case 0xdd: {
      const wide = t === 0xdd;
      if (pos + (wide ? 4 : 2) > srcEnd) throw SLOW;
      const n = wide ? srcView.getUint32(pos) : srcView.getUint16(pos);
      pos += wide ? 4 : 2;
      copy(at, pos);
      return array(n, depth);
    }
    case 0xcb: {
      if (pos + 8 > srcEnd) throw SLOW;
      const n = srcView.getFloat64(pos);
      pos += 8;
      if (!Number.isSafeInteger(n)) return copy(at, pos);
      // wideInt: a safe integer beyond 32 bits goes out as int64; a small one would be an int token.
      if (n > UINT32_MAX || n < INT32_MIN) {
        ensure(INT_TOKEN_BYTES_MAX);
        outPos = writeInt64(out, outPos, n);
        return;
      }
      throw SLOW;
    }
    case 0xd3: {
      if (pos + 8 > srcEnd) throw SLOW;
      const b = srcView.getBigInt64(pos);
      pos += 8;
      // Decoded as a number when safe; within 32 bits that re-encodes as a smaller int token.
      if (b <= BigInt(UINT32_MAX) && b >= BigInt(INT32_MIN)) throw SLOW;
      return copy(at, pos);
    }
    case 0xcf: {
      if (pos + 8 > srcEnd) throw SLOW;
      const b = srcView.getBigUint64(pos);
      pos += 8;
      if (b <= BigInt(UINT32_MAX)) throw SLOW;
      // Below 2^63 the wire writes int64 (the same bytes as uint64 there, but another type byte).
      return b < INT64_LIMIT ? writeUInt64(b) : copy(at, pos);
    }
    default:
      // float32, extensions, map32, never-used: not worth a rule.
      throw SLOW;
  }
}

/**
 * Wire v1 bytes (an owned Buffer) of the record whose metadata is `head` and
 * whose stored body is bytes [start, end) of `buf`, or null when this body
 * needs the slow path (decode, then encodeRecord). `view` is a DataView over
 * the whole of `buf`; a storage engine that keeps one per buffer passes it.
 */
export function encodeRecordFromBody(
  head: RecordHead, buf: Uint8Array, start = 0, end = buf.length, view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength),
): Buffer | null {
  // [bins, binLuts] only: counters' objects are rebuilt field by field by the encoder.
  if (end - start < 3 || buf[start] !== 0x92) return null;
  src = buf;
  srcView = view;
  srcEnd = end;
  pos = start + 1;
  outPos = recordStart;
  let result: Buffer | null = null;
  try {
    ensure(HEAD_BYTES_MAX);
    const headEnd = writeHead(out, outPos, head);
    if (headEnd >= 0) outPos = headEnd;
    else {
      const headBytes = packr.pack(headToWireMap(head));
      if (headBytes[0] !== 0xde) return null;
      outPos = recordStart;
      ensure(headBytes.length);
      out.set(headBytes, outPos);
      outPos += headBytes.length;
    }
    // The wire always writes map16 headers: count the two maps that follow.
    out.writeUInt16BE(out.readUInt16BE(recordStart + 1) + 2, recordStart + 1);
    // The body holds bins first, the wire wants binLuts first: find the binLuts
    // map past the bins, write it, then come back for the bins.
    if (!isMap(src[pos])) return null;
    const binsAt = pos;
    skip(0);
    const lutsAt = pos;
    if (!isMap(src[pos])) return null;
    append(KEY_BIN_LUTS);
    // encodeBins counts a bin as depth 1 and the bins map itself as 0.
    value(1);
    if (pos !== srcEnd) return null;
    append(KEY_BINS);
    pos = binsAt;
    srcEnd = lutsAt;
    value(0);
    if (pos !== lutsAt) return null;
    result = out.subarray(recordStart, outPos);
    recordStart = outPos;
    return result;
  } catch (err) {
    if (err === SLOW) return null;
    throw err;
  } finally {
    // Declined: the next record reuses the space.
    if (result === null) outPos = recordStart;
    src = out;
  }
}

/** Copies from[start, end) to `to` at `at`; returns the position after it. */
function put(to: Uint8Array, at: number, from: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n <= LOOP_COPY_BYTES_MAX) for (let i = 0; i < n; i++) to[at + i] = from[start + i]!;
  else to.set(from.subarray(start, end), at);
  return at + n;
}

function append(bytes: Uint8Array): void {
  ensure(bytes.length);
  outPos = put(out, outPos, bytes, 0, bytes.length);
}

function isMap(t: number | undefined): boolean {
  return t !== undefined && ((t >= 0x80 && t <= 0x8f) || t === 0xde);
}
