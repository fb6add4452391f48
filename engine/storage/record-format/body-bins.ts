/**
 * A get's fast path: the bins of a stored body (the MessagePack array
 * [bins, binLuts, counters?, dormantCounters?] that bin-codec.ts wrote) decoded straight from the
 * device buffer, without decoding the per-bin luts a get throws away and
 * without msgpackr's general machinery. Decoding the whole body with msgpackr
 * was ~2 µs of a ~5 µs get for a 1 KiB record, most of it the long string.
 *
 * The result must equal what decodeBody(...).bins returns, value for value.
 * Only tokens whose msgpackr decoding is plain are decoded here: nil, booleans,
 * integers up to 32 bits, float32/float64, UTF-8 strings that are valid UTF-8,
 * arrays, and maps whose keys are short strings other than `__proto__`.
 * Anything else (64-bit integers, binary, extensions, odd keys, invalid UTF-8,
 * deep nesting) leaves for decodeBody, which is the definition of the format.
 */
import { isUtf8 } from 'node:buffer';
import { decodeBody, type RecordBody } from './bin-codec.js';
import type { BinValue, Bins, HlcTimestamp } from '../../../record/index.js';
import { dataViewOf } from '../../bytes/data-view-of.js';
import { Utf8Interner } from '../../bytes/utf8-interner.js';
import { readUtf8 } from '../../bytes/utf8.js';

/** Thrown inside the decoder to leave for the slow path; never escapes this file. */
const SLOW = Symbol('slow path');

/** Nesting deeper than this is decoded by msgpackr (which has its own limits). */
const DEPTH_MAX = 32;


let src: Buffer = Buffer.alloc(0);
let view = new DataView(src.buffer, src.byteOffset, src.byteLength);
let pos = 0;
let end = 0;

/** The bins of the body stored in bytes [start, stop) of `buf`. */
export function decodeBins(buf: Buffer, start: number, stop: number): Bins {
  return binsFast(buf, start, stop) ?? decodeBody(buf.subarray(start, stop)).bins;
}

/**
 * Bins and bin luts of a body without counters (the read before a local write
 * merges into it), decoded here; null when msgpackr must decode it (counters,
 * or any token the bins path leaves to msgpackr).
 */
export function bodyFast(buf: Buffer, start: number, stop: number): RecordBody | null {
  if (stop <= start || buf[start] !== 0x92) return null;
  const bins = binsFast(buf, start, stop);
  if (bins === null) return null;
  try {
    const binLuts = topMap();
    if (binLuts === null || pos !== end) return null;
    for (const name in binLuts) if (typeof binLuts[name] !== 'number') return null;
    return { bins, binLuts: binLuts as Record<string, HlcTimestamp> };
  } catch (err) {
    if (err !== SLOW) throw err;
    return null;
  }
}

/** The bins decoded here, or null when msgpackr must decode this body (exported for the tests). */
export function binsFast(buf: Buffer, start: number, stop: number): Bins | null {
  const head = buf[start];
  // fixarray of 2 (bins, binLuts), 3 (with counters) or 4 (with dormant counters), as encodeBody writes it.
  if (stop <= start || head === undefined || head < 0x92 || head > 0x94) return null;
  if (src !== buf) {
    src = buf;
    view = dataViewOf(buf);
  }
  pos = start + 1;
  end = stop;
  try {
    return topMap();
  } catch (err) {
    if (err !== SLOW) throw err;
    return null;
  }
}

/** One of the body's top-level maps (bins, bin luts) at `pos`, or null when the token there is not a map. */
function topMap(): Bins | null {
  const token = byteAt();
  if (token >= 0x80 && token <= 0x8f) return readMap(token - 0x80, 0);
  if (token === 0xde) return readMap(u16(), 0);
  if (token === 0xdf) return readMap(u32(), 0);
  return null;
}

function byteAt(): number {
  if (pos >= end) throw SLOW;
  return src[pos++]!;
}

function need(bytes: number): void {
  if (pos + bytes > end) throw SLOW;
}

// Big-endian fixed-width readers: each checks the bytes are there and moves past them.
// One small function per width (not one taking a getter): a getter passed as an
// argument makes the call megamorphic, ~15 % slower on number-heavy bodies.
function u16(): number {
  need(2);
  pos += 2;
  return view.getUint16(pos - 2);
}

function u32(): number {
  need(4);
  pos += 4;
  return view.getUint32(pos - 4);
}

function i8(): number {
  need(1);
  return view.getInt8(pos++);
}

function i16(): number {
  need(2);
  pos += 2;
  return view.getInt16(pos - 2);
}

function i32(): number {
  need(4);
  pos += 4;
  return view.getInt32(pos - 4);
}

function f32(): number {
  need(4);
  pos += 4;
  return view.getFloat32(pos - 4);
}

function f64(): number {
  need(8);
  pos += 8;
  return view.getFloat64(pos - 8);
}

function readMap(size: number, depth: number): Bins {
  if (depth > DEPTH_MAX) throw SLOW;
  const out: Bins = {};
  for (let i = 0; i < size; i++) {
    const k = byteAt();
    // msgpackr reads other key tokens through a different path (and renames __proto__).
    if (k < 0xa0 || k > 0xbf) throw SLOW;
    const key = readKey(k - 0xa0);
    if (key === '__proto__') throw SLOW;
    out[key] = readValue(depth);
  }
  return out;
}

function readArray(size: number, depth: number): BinValue[] {
  if (depth > DEPTH_MAX) throw SLOW;
  const out = new Array<BinValue>(size);
  for (let i = 0; i < size; i++) out[i] = readValue(depth);
  return out;
}

/** Bin names seen lately, by a hash of their bytes: a hit costs a compare instead of a string decode. */
const binNames = new Utf8Interner(4096, 16, utf8Of);

function readKey(bytes: number): string {
  need(bytes);
  const from = pos;
  pos += bytes;
  return binNames.text(src, from, pos);
}

function readString(bytes: number): string {
  need(bytes);
  const from = pos;
  pos += bytes;
  return utf8Of(src, from, pos);
}

/** Bytes [from, to) of `buf` as a string, or SLOW when they are not valid UTF-8. */
function utf8Of(buf: Uint8Array, from: number, to: number): string {
  const s = readUtf8(buf, from, to);
  // Valid UTF-8 decodes to the same string whichever decoder reads it; Buffer
  // and msgpackr differ only on invalid sequences (e.g. encoded lone surrogates),
  // which Buffer turns into U+FFFD. No U+FFFD in the result: the bytes were valid.
  if (s.indexOf('\uFFFD') !== -1 && !isUtf8(buf.subarray(from, to))) throw SLOW;
  return s;
}

function readValue(depth: number): BinValue {
  const t = byteAt();
  if (t < 0x80) return t;
  if (t >= 0xe0) return t - 0x100;
  if (t <= 0x8f) return readMap(t - 0x80, depth + 1);
  if (t <= 0x9f) return readArray(t - 0x90, depth + 1);
  if (t <= 0xbf) return readString(t - 0xa0);
  switch (t) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xca:
      return f32();
    case 0xcb:
      return f64();
    case 0xcc:
      return byteAt();
    case 0xcd:
      return u16();
    case 0xce:
      return u32();
    case 0xd0:
      return i8();
    case 0xd1:
      return i16();
    case 0xd2:
      return i32();
    case 0xd9:
      return readString(byteAt());
    case 0xda:
      return readString(u16());
    case 0xdb:
      return readString(u32());
    case 0xdc:
      return readArray(u16(), depth + 1);
    case 0xdd:
      return readArray(u32(), depth + 1);
    case 0xde:
      return readMap(u16(), depth + 1);
    case 0xdf:
      return readMap(u32(), depth + 1);
    default:
      // 64-bit integers (number or bigint by size), binary, extensions.
      throw SLOW;
  }
}
