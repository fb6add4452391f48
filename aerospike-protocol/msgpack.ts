/**
 * MessagePack as Aerospike uses it for list and map bins and CDT arguments:
 * every string and blob (str or bin family) starts with one byte naming its
 * particle type (3 string, 4 blob, 23 GeoJSON, other blob kinds), an empty
 * one has none; an ordered list or map starts with an ext element that carries
 * its order flags (skipped here); fixext1 of type 0xff is +infinity (1) or the
 * wildcard (0) in range arguments.
 *
 * The decoder trusts nothing: every length is checked against the bytes left
 * (so a 5-byte input cannot ask for a billion elements) and nesting is bounded.
 */
import { ParticleType } from './constants.js';
import { badValue, unsupported } from './errors.js';
import type { ByteWriter } from './byte-writer.js';
import { AsSpecial, setKey, type AsMap, type AsValue } from './values.js';
import { GeoJson, HllValue, compareCodePoints, isOrderedList, orderedList, type BinValue } from '../record/index.js';

/** Aerospike's list flag for an ordered list (the ext type of a list's metadata element). */
const LIST_FLAG_ORDERED = 0x01;

/** Deepest nesting accepted (a guard against runaway recursion, far above real data). */
export const MSGPACK_DEPTH_MAX = 64;

const EXT_SPECIAL = 0xff;

export class MsgpackReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw badValue(`MessagePack value runs past its end (needs ${n} more bytes at offset ${this.pos})`);
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** The header of an array: its element count. Throws if the next value is not an array. */
  arrayHeader(): number {
    const b = this.u8();
    let n: number;
    if ((b & 0xf0) === 0x90) n = b & 0x0f;
    else if (b === 0xdc) n = this.u16();
    else if (b === 0xdd) n = this.u32();
    else throw badValue(`expected a MessagePack array, found type byte 0x${b.toString(16)}`);
    // Every element takes at least one byte.
    if (n > this.end - this.pos) throw badValue(`MessagePack array of ${n} elements in ${this.end - this.pos} bytes`);
    return n;
  }

  /** Peeks whether the next value is an array (without consuming it). */
  nextIsArray(): boolean {
    if (this.pos >= this.end) return false;
    const b = this.buf[this.pos]!;
    return (b & 0xf0) === 0x90 || b === 0xdc || b === 0xdd;
  }

  /** Peeks whether the next value is an ext (the order metadata of an ordered collection). */
  nextIsExt(): boolean {
    if (this.pos >= this.end) return false;
    const b = this.buf[this.pos]!;
    return (b >= 0xd4 && b <= 0xd8) || (b >= 0xc7 && b <= 0xc9);
  }

  /** An integer (for op codes, flags, indexes, counts). */
  int(): number {
    const v = this.value(0);
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    throw badValue(`expected a MessagePack integer, found ${describe(v)}`);
  }

  value(depth = 0): AsValue {
    if (depth > MSGPACK_DEPTH_MAX) throw badValue(`MessagePack value nests deeper than ${MSGPACK_DEPTH_MAX}`);
    const b = this.u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xe0) === 0xa0) return this.raw(b & 0x1f);
    if ((b & 0xf0) === 0x90) return this.array(b & 0x0f, depth);
    if ((b & 0xf0) === 0x80) return this.map(b & 0x0f, depth);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf: {
        this.need(8);
        const v = this.buf.readBigUInt64BE(this.pos);
        this.pos += 8;
        if (v > 0x7fffffffffffffffn) throw badValue(`MessagePack uint64 ${v} does not fit a signed 64-bit integer`);
        return narrow(v);
      }
      case 0xd0: {
        this.need(1);
        return this.buf.readInt8(this.pos++);
      }
      case 0xd1: {
        this.need(2);
        const v = this.buf.readInt16BE(this.pos);
        this.pos += 2;
        return v;
      }
      case 0xd2: {
        this.need(4);
        const v = this.buf.readInt32BE(this.pos);
        this.pos += 4;
        return v;
      }
      case 0xd3: {
        this.need(8);
        const v = this.buf.readBigInt64BE(this.pos);
        this.pos += 8;
        return narrow(v);
      }
      case 0xca: {
        this.need(4);
        const v = this.buf.readFloatBE(this.pos);
        this.pos += 4;
        return v;
      }
      case 0xcb: {
        this.need(8);
        const v = this.buf.readDoubleBE(this.pos);
        this.pos += 8;
        return v;
      }
      case 0xd9:
      case 0xc4:
        return this.raw(this.u8());
      case 0xda:
      case 0xc5:
        return this.raw(this.u16());
      case 0xdb:
      case 0xc6:
        return this.raw(this.u32());
      case 0xdc:
        return this.array(this.u16(), depth);
      case 0xdd:
        return this.array(this.u32(), depth);
      case 0xde:
        return this.map(this.u16(), depth);
      case 0xdf:
        return this.map(this.u32(), depth);
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      default:
        throw badValue(`0x${b.toString(16)} is not a MessagePack type byte`);
    }
  }

  /** Skips one whole value (used for metadata elements). */
  skip(): void {
    this.value(0);
  }

  private raw(n: number): AsValue {
    this.need(n);
    const start = this.pos;
    this.pos += n;
    if (n === 0) return new Uint8Array(0);
    const type = this.buf[start]!;
    if (type === ParticleType.STRING) return this.buf.toString('utf8', start + 1, start + n);
    // A GeoJSON value inside a list or map is its text behind the particle type, without flags or cells.
    if (type === ParticleType.GEOJSON) return new GeoJson(this.buf.toString('utf8', start + 1, start + n));
    if (type === ParticleType.HLL) return new HllValue(new Uint8Array(this.buf.subarray(start + 1, start + n)));
    // Blobs of any language keep their bytes; the kind byte is not kept.
    return new Uint8Array(this.buf.subarray(start + 1, start + n));
  }

  private array(n: number, depth: number): AsValue[] {
    if (n > this.end - this.pos) throw badValue(`MessagePack array of ${n} elements in ${this.end - this.pos} bytes`);
    const out: AsValue[] = [];
    // A flagged list's first element is an ext whose type holds its flags; the element count includes it.
    let ordered = false;
    if (n > 0 && this.nextIsExt()) {
      ordered = (this.skipExt() & LIST_FLAG_ORDERED) !== 0;
      n--;
    }
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return ordered ? (orderedList(out as BinValue[]) as AsValue[]) : out;
  }

  private map(n: number, depth: number): AsMap | Map<AsValue, AsValue> {
    if (n * 2 > this.end - this.pos) throw badValue(`MessagePack map of ${n} pairs in ${this.end - this.pos} bytes`);
    // An ordered map's first pair is (ext with its order flags, nil); the pair count includes it.
    if (n > 0 && this.nextIsExt()) {
      this.skipExt();
      this.skip();
      n--;
    }
    const obj: AsMap = {};
    let keyed: Map<AsValue, AsValue> | null = null;
    for (let i = 0; i < n; i++) {
      const key = this.value(depth + 1);
      const value = this.value(depth + 1);
      if (keyed === null && typeof key === 'string') {
        setKey(obj, key, value);
        continue;
      }
      if (keyed === null) {
        keyed = new Map<AsValue, AsValue>();
        for (const k of Object.keys(obj)) keyed.set(k, obj[k]!);
      }
      keyed.set(key, value);
    }
    return keyed ?? obj;
  }

  /** Skips an ext element; returns its type (a collection's flags). */
  private skipExt(): number {
    const b = this.u8();
    let n: number;
    if (b >= 0xd4 && b <= 0xd8) n = 1 << (b - 0xd4);
    else if (b === 0xc7) n = this.u8();
    else if (b === 0xc8) n = this.u16();
    else n = this.u32();
    this.need(n + 1);
    const type = this.buf[this.pos]!;
    this.pos += n + 1;
    return type;
  }

  private ext(n: number): AsValue {
    this.need(n + 1);
    const type = this.buf[this.pos]!;
    const first = this.buf[this.pos + 1];
    this.pos += n + 1;
    if (type === EXT_SPECIAL && n === 1) {
      if (first === 0x01) return AsSpecial.INF;
      if (first === 0x00) return AsSpecial.WILDCARD;
    }
    throw unsupported(`MessagePack ext type ${type} (${n} bytes) is not a value this server stores`);
  }
}

/** An int64 as a number when it is safe, else a bigint. */
function narrow(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function describe(v: AsValue): string {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof HllValue) return 'a HyperLogLog';
  if (v instanceof Map) return 'a map';
  if (v instanceof AsSpecial) return v.kind;
  if (v instanceof GeoJson) return 'a GeoJSON value';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${String(v)}`;
}

/** Decodes one whole value from buf[start, end); trailing bytes are an error. */
export function decodeMsgpack(buf: Buffer, start = 0, end = buf.length): AsValue {
  const r = new MsgpackReader(buf, start, end);
  const v = r.value(0);
  if (!r.atEnd()) throw badValue(`${end - r.pos} bytes follow the MessagePack value`);
  return v;
}

// ---- encoding ----

function strHeader(w: ByteWriter, n: number): void {
  if (n < 32) w.u8(0xa0 | n);
  else if (n < 0x100) {
    w.u8(0xd9);
    w.u8(n);
  } else if (n < 0x10000) {
    w.u8(0xda);
    w.u16(n);
  } else {
    w.u8(0xdb);
    w.u32(n);
  }
}

export function writeArrayHeader(w: ByteWriter, n: number): void {
  if (n < 16) w.u8(0x90 | n);
  else if (n < 0x10000) {
    w.u8(0xdc);
    w.u16(n);
  } else {
    w.u8(0xdd);
    w.u32(n);
  }
}

export function writeMapHeader(w: ByteWriter, n: number): void {
  if (n < 16) w.u8(0x80 | n);
  else if (n < 0x10000) {
    w.u8(0xde);
    w.u16(n);
  } else {
    w.u8(0xdf);
    w.u32(n);
  }
}

export function writeInteger(w: ByteWriter, v: number | bigint): void {
  if (typeof v === 'number') {
    if (v >= 0) {
      if (v < 0x80) return w.u8(v);
      if (v < 0x100) return (w.u8(0xcc), w.u8(v));
      if (v < 0x10000) return (w.u8(0xcd), w.u16(v));
      if (v < 0x100000000) return (w.u8(0xce), w.u32(v));
      w.u8(0xcf);
      return w.int64(v);
    }
    if (v >= -32) return w.u8(v & 0xff);
    if (v >= -128) return (w.u8(0xd0), w.u8(v & 0xff));
    if (v >= -32768) return (w.u8(0xd1), w.u16(v & 0xffff));
    if (v >= -2147483648) return (w.u8(0xd2), w.i32(v));
    w.u8(0xd3);
    return w.int64(v);
  }
  if (v >= 0n) {
    w.u8(0xcf);
    w.ensure(8);
    w.view.setBigUint64(w.pos, v);
    w.pos += 8;
    return;
  }
  w.u8(0xd3);
  w.i64(v);
}

/** A string with its particle-type prefix byte. */
export function writeString(w: ByteWriter, s: string): void {
  const n = Buffer.byteLength(s, 'utf8');
  strHeader(w, n + 1);
  w.u8(ParticleType.STRING);
  w.utf8(s);
}

export function writeGeoJson(w: ByteWriter, g: GeoJson): void {
  const n = Buffer.byteLength(g.text, 'utf8');
  strHeader(w, n + 1);
  w.u8(ParticleType.GEOJSON);
  w.utf8(g.text);
}

export function writeBlob(w: ByteWriter, b: Uint8Array): void {
  // Clients send blobs with str headers too; every client reads them back.
  strHeader(w, b.length + 1);
  w.u8(ParticleType.BLOB);
  w.bytes(b);
}


/** The metadata pair that starts a key-ordered map: an empty ext of type 1 (K-ordered), then nil. */
function writeKeyOrderedHeader(w: ByteWriter, pairs: number): void {
  writeMapHeader(w, pairs + 1);
  w.u8(0xc7);
  w.u8(0x00);
  w.u8(0x01);
  w.u8(0xc0);
}

/**
 * Encodes a value. A map whose keys are strings (a plain object) is written
 * key-ordered, keys sorted, as the official clients write objects: the server
 * keeps such maps in key order. A JS Map is written unordered, in its own
 * order (CDT results asked for as unordered maps).
 */
export function writeMsgpack(w: ByteWriter, v: AsValue, depth = 0): void {
  if (depth > MSGPACK_DEPTH_MAX) throw badValue(`value nests deeper than ${MSGPACK_DEPTH_MAX}`);
  if (v === null) return w.u8(0xc0);
  switch (typeof v) {
    case 'boolean':
      return w.u8(v ? 0xc3 : 0xc2);
    case 'number':
      if (Number.isInteger(v) && Number.isSafeInteger(v)) return writeInteger(w, v);
      w.u8(0xcb);
      return w.f64(v);
    case 'bigint':
      return writeInteger(w, v);
    case 'string':
      return writeString(w, v);
  }
  if (v instanceof Uint8Array) return writeBlob(w, v);
  if (v instanceof HllValue) {
    strHeader(w, v.bytes.length + 1);
    w.u8(ParticleType.HLL);
    return w.bytes(v.bytes);
  }
  if (v instanceof GeoJson) return writeGeoJson(w, v);
  if (Array.isArray(v)) {
    if (isOrderedList(v)) {
      // As Aerospike returns an ordered list: one more element, an empty ext whose type is the list's flags.
      writeArrayHeader(w, v.length + 1);
      w.u8(0xc7);
      w.u8(0x00);
      w.u8(LIST_FLAG_ORDERED);
    } else writeArrayHeader(w, v.length);
    for (const item of v) writeMsgpack(w, item, depth + 1);
    return;
  }
  if (v instanceof Map) {
    writeMapHeader(w, v.size);
    for (const [key, value] of v) {
      writeMsgpack(w, key, depth + 1);
      writeMsgpack(w, value, depth + 1);
    }
    return;
  }
  if (v instanceof AsSpecial) {
    w.u8(0xd4);
    w.u8(EXT_SPECIAL);
    return w.u8(v === AsSpecial.INF ? 0x01 : 0x00);
  }
  const keys = Object.keys(v).sort(compareCodePoints);
  writeKeyOrderedHeader(w, keys.length);
  for (const key of keys) {
    writeString(w, key);
    writeMsgpack(w, (v as AsMap)[key]!, depth + 1);
  }
}
