/**
 * The on-device record format. Every record is a fixed 72-byte header, the set
 * name, the user key, then the MessagePack body (bin-codec.ts):
 *
 *   off size field
 *     0  4   magic 'XREC' (0x58524543)
 *     4  4   totalBytes  header + set + key + body (records start on 16-byte boundaries)
 *     8  4   hdrCrc      CRC-32 of bytes [12, 64 + setLen + keyLen)
 *    12  4   bodyCrc     CRC-32 of the body
 *    16  4   blockSeq    sequence of the write-block use this record was written in
 *    20  4   generation
 *    24  4   voidTime    unix seconds, 0 = never expires
 *    28  1   region
 *    29  1   flags       FLAG_TOMBSTONE | FLAG_HAS_KEY
 *    30  1   setLen      ≤ 63 bytes, as in Aerospike
 *    31  1   keyType     0 = no key stored, else Aerospike's particle type
 *    32  8   lut         HLC timestamp, float64 LE
 *    40 20   digest
 *    60  2   keyLen
 *    62  2   reserved (0)
 *    64  8   changeSeq   change-log seq of the mutation that wrote this version, float64 LE
 *
 * Why two checksums: cold start must read every header but must not decode
 * bins, and defrag rewrites blockSeq when it moves a record; a separate header
 * checksum lets both touch only the header while the body keeps its checksum.
 * changeSeq lets recovery find versions on the device whose change event the
 * log lost in a crash (seq above the log's head), exactly, whatever their lut.
 * blockSeq tells a record of the block's current use from stale bytes of an
 * earlier use of the same block: a scan stops at the first record whose
 * blockSeq differs.
 */
import { crc32, crc32Range } from '../checksum.js';
import { decodeBody, type RecordBody } from './bin-codec.js';
import type { Digest, HlcTimestamp, UserKey } from '../../../record/index.js';
import { KEY_TYPE_BYTES, KEY_TYPE_INTEGER, KEY_TYPE_STRING } from '../../digest.js';
import { dataViewOf } from '../../bytes/data-view-of.js';
import { readUtf8 } from '../../bytes/utf8.js';

export const RECORD_MAGIC = 0x58524543;
export const RECORD_HEADER_BYTES = 72;
export const RECORD_ALIGN_BYTES = 16;
export const SET_NAME_BYTES_MAX = 63;
export const KEY_BYTES_MAX = 0xffff;

export const FLAG_TOMBSTONE = 0x01;
export const FLAG_HAS_KEY = 0x02;

/** Metadata written in a record header. */
export interface RecordMeta {
  /** Change-log seq of the event this write appended. */
  changeSeq: number;
  generation: number;
  voidTime: number;
  lut: HlcTimestamp;
  region: number;
  flags: number;
}

/** Parsed header fields; one object is reused across a scan (no allocation per record). */
export interface HeaderView extends RecordMeta {
  totalBytes: number;
  blockSeq: number;
  bodyCrc: number;
  setStart: number;
  setLen: number;
  keyType: number;
  keyStart: number;
  keyLen: number;
  bodyStart: number;
  /** Offset of the digest within the buffer. */
  digestAt: number;
}

export function newHeaderView(): HeaderView {
  return {
    changeSeq: 0, generation: 0, voidTime: 0, lut: 0, region: 0, flags: 0, totalBytes: 0, blockSeq: 0, bodyCrc: 0,
    setStart: 0, setLen: 0, keyType: 0, keyStart: 0, keyLen: 0, bodyStart: 0, digestAt: 0,
  };
}

export function alignUp(bytes: number): number {
  return (bytes + RECORD_ALIGN_BYTES - 1) & ~(RECORD_ALIGN_BYTES - 1);
}

/** Bytes a record with these parts occupies (before alignment). */
export function recordBytes(setLen: number, keyLen: number, bodyLen: number): number {
  return RECORD_HEADER_BYTES + setLen + keyLen + bodyLen;
}

// Headers are read and written through a DataView (data-view-of.ts): far cheaper
// than Buffer's readUInt32LE/readDoubleLE in a loop over millions of headers
// during cold start.
const dataView = dataViewOf;

/**
 * Writes one record at `pos` of `target` (which must have room for
 * recordBytes(...)) and returns its unaligned size.
 */
export function writeRecord(
  target: Buffer,
  pos: number,
  meta: RecordMeta,
  digest: Digest,
  setBytes: Uint8Array,
  keyType: number,
  keyBytes: Uint8Array,
  body: Uint8Array,
  blockSeq: number,
): number {
  const total = recordBytes(setBytes.length, keyBytes.length, body.length);
  const dv = dataView(target);
  dv.setUint32(pos, RECORD_MAGIC, true);
  dv.setUint32(pos + 4, total, true);
  dv.setUint32(pos + 16, blockSeq >>> 0, true);
  dv.setUint32(pos + 20, meta.generation >>> 0, true);
  dv.setUint32(pos + 24, meta.voidTime >>> 0, true);
  target[pos + 28] = meta.region;
  target[pos + 29] = meta.flags;
  target[pos + 30] = setBytes.length;
  target[pos + 31] = keyType;
  dv.setFloat64(pos + 32, meta.lut, true);
  target.set(digest, pos + 40);
  dv.setUint16(pos + 60, keyBytes.length, true);
  dv.setUint16(pos + 62, 0, true);
  dv.setFloat64(pos + 64, meta.changeSeq, true);
  let at = pos + RECORD_HEADER_BYTES;
  target.set(setBytes, at);
  at += setBytes.length;
  target.set(keyBytes, at);
  at += keyBytes.length;
  target.set(body, at);
  dv.setUint32(pos + 12, crc32(body), true);
  dv.setUint32(pos + 8, crc32Range(target, pos + 12, at), true);
  return total;
}

/** Changes the blockSeq of a record in place (defrag moved it) and fixes its header checksum. */
export function restampRecord(buf: Buffer, pos: number, blockSeq: number): void {
  buf.writeUInt32LE(blockSeq >>> 0, pos + 16);
  const hdrEnd = pos + RECORD_HEADER_BYTES + buf[pos + 30]! + buf.readUInt16LE(pos + 60);
  buf.writeUInt32LE(crc32Range(buf, pos + 12, hdrEnd), pos + 8);
}

/** parseHeader results. */
export const HeaderStatus = {
  /** A valid header. */
  Ok: 0,
  /** No record starts here (wrong magic or another block use): a clean end of the block's data. */
  End: 1,
  /** Looks like a record of this block use but fails a length or checksum check. */
  Bad: 2,
} as const;
export type HeaderStatus = (typeof HeaderStatus)[keyof typeof HeaderStatus];

/**
 * Parses the header at `pos` of `buf` (whose valid bytes end at `limit`) into
 * `out`. With `blockSeq` ≥ 0 a record of another block use counts as End.
 */
export function parseHeader(buf: Buffer, pos: number, limit: number, blockSeq: number, out: HeaderView, checkCrc = true): HeaderStatus {
  const dv = dataView(buf);
  if (pos + RECORD_HEADER_BYTES > limit) return pos + 4 <= limit && dv.getUint32(pos, true) === RECORD_MAGIC ? HeaderStatus.Bad : HeaderStatus.End;
  if (dv.getUint32(pos, true) !== RECORD_MAGIC) return HeaderStatus.End;
  const seq = dv.getUint32(pos + 16, true);
  if (blockSeq >= 0 && seq !== blockSeq) return HeaderStatus.End;
  const total = dv.getUint32(pos + 4, true);
  const setLen = buf[pos + 30]!;
  const keyLen = dv.getUint16(pos + 60, true);
  const hdrEnd = pos + RECORD_HEADER_BYTES + setLen + keyLen;
  if (total < hdrEnd - pos || hdrEnd > limit || setLen > SET_NAME_BYTES_MAX) return HeaderStatus.Bad;
  if (checkCrc && crc32Range(buf, pos + 12, hdrEnd) !== dv.getUint32(pos + 8, true)) return HeaderStatus.Bad;
  if (pos + total > limit) return HeaderStatus.Bad;
  out.totalBytes = total;
  out.bodyCrc = dv.getUint32(pos + 12, true);
  out.blockSeq = seq;
  out.generation = dv.getUint32(pos + 20, true);
  out.voidTime = dv.getUint32(pos + 24, true);
  out.region = buf[pos + 28]!;
  out.flags = buf[pos + 29]!;
  out.setLen = setLen;
  out.keyType = buf[pos + 31]!;
  out.lut = dv.getFloat64(pos + 32, true);
  out.changeSeq = dv.getFloat64(pos + 64, true);
  out.digestAt = pos + 40;
  out.keyLen = keyLen;
  out.setStart = pos + RECORD_HEADER_BYTES;
  out.keyStart = out.setStart + setLen;
  out.bodyStart = hdrEnd;
  return HeaderStatus.Ok;
}

/** Whether the body of a parsed record matches its checksum. */
export function bodyIntact(buf: Buffer, h: HeaderView, pos: number): boolean {
  return crc32Range(buf, h.bodyStart, pos + h.totalBytes) === h.bodyCrc;
}

export function setNameOf(buf: Buffer, h: HeaderView): string {
  return h.setLen === 0 ? '' : buf.toString('utf8', h.setStart, h.setStart + h.setLen);
}

/** The stored user key, or undefined when none was stored. */
export function userKeyOf(buf: Buffer, h: HeaderView): UserKey | undefined {
  const start = h.keyStart;
  const end = start + h.keyLen;
  switch (h.keyType) {
    case KEY_TYPE_STRING:
      return readUtf8(buf, start, end);
    case KEY_TYPE_INTEGER: {
      // Two 32-bit reads and no BigInt on the common path: readBigInt64BE plus
      // the two range BigInts cost more than the rest of a get's key handling.
      // hi in [-2^21, 2^21) is exactly the range where hi·2^32 + lo is a safe integer.
      const hi = buf.readInt32BE(start);
      if (hi >= -0x200000 && hi < 0x200000) {
        const n = hi * 2 ** 32 + buf.readUInt32BE(start + 4);
        if (Number.isSafeInteger(n)) return n;
      }
      return buf.readBigInt64BE(start);
    }
    case KEY_TYPE_BYTES:
      return new Uint8Array(buf.subarray(start, end));
    default:
      return undefined;
  }
}

export function bodyOf(buf: Buffer, h: HeaderView, pos: number): RecordBody {
  return decodeBody(buf.subarray(h.bodyStart, pos + h.totalBytes));
}
