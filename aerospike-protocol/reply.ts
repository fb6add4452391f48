/**
 * Writers of what the server sends: proto frames, AS_MSG headers, fields and
 * ops, into a ByteWriter. A reply is written in place (no intermediate
 * objects); sizes known only afterwards are patched at marks.
 */
import { FieldType, MSG_HEADER_BYTES, MessageType, OP_HEADER_BYTES, PROTO_HEADER_BYTES, PROTO_VERSION, ParticleType } from './constants.js';
import type { ByteWriter } from './byte-writer.js';
import type { AsKey } from './fields.js';
import { particleTypeOf, writeParticle } from './particles.js';
import type { AsValue } from './values.js';

/** Starts a frame of `type`; returns the mark that endFrame patches. */
export function beginFrame(w: ByteWriter, type: number = MessageType.MESSAGE): number {
  const mark = w.mark();
  w.ensure(PROTO_HEADER_BYTES);
  w.buf[w.pos] = PROTO_VERSION;
  w.buf[w.pos + 1] = type;
  // Bytes 2..3 hold the size's top 16 bits: always 0 for the sizes this server writes (< 4 GiB).
  w.buf[w.pos + 2] = 0;
  w.buf[w.pos + 3] = 0;
  w.pos += PROTO_HEADER_BYTES;
  return mark;
}

/** Patches the size of the frame begun at `mark`. */
export function endFrame(w: ByteWriter, mark: number): void {
  w.patchU32(mark + 4, w.since(mark) - PROTO_HEADER_BYTES);
}

/**
 * A 22-byte AS_MSG header. `voidTime` counts seconds from 2010-01-01 (0 = never
 * expires); `index` is offset 14, the row index in batch replies.
 */
export function writeMsgHeader(w: ByteWriter, info3: number, resultCode: number, generation: number, voidTime: number, index: number, nFields: number, nOps: number, info1 = 0, info2 = 0): void {
  w.ensure(MSG_HEADER_BYTES);
  const b = w.buf;
  const p = w.pos;
  b[p] = MSG_HEADER_BYTES;
  b[p + 1] = info1;
  b[p + 2] = info2;
  b[p + 3] = info3;
  b[p + 4] = 0;
  b[p + 5] = resultCode;
  w.view.setUint32(p + 6, generation >>> 0);
  w.view.setUint32(p + 10, voidTime >>> 0);
  w.view.setUint32(p + 14, index >>> 0);
  w.view.setUint16(p + 18, nFields);
  w.view.setUint16(p + 20, nOps);
  w.pos = p + MSG_HEADER_BYTES;
}

/** Patches the op count of a header written at `headerMark` (when it is known only after the ops). */
export function patchOpCount(w: ByteWriter, headerMark: number, nOps: number): void {
  w.patchU16(headerMark + 20, nOps);
}

export function writeFieldBytes(w: ByteWriter, type: number, data: Uint8Array): void {
  w.u32(data.length + 1);
  w.u8(type);
  w.bytes(data);
}

export function writeFieldString(w: ByteWriter, type: number, s: string): void {
  const mark = w.mark();
  w.u32(0);
  w.u8(type);
  const n = w.utf8(s);
  w.patchU32(mark, n + 1);
}

export function writeFieldU64LE(w: ByteWriter, type: number, v: bigint): void {
  w.u32(9);
  w.u8(type);
  w.ensure(8);
  w.view.setBigUint64(w.pos, v, true);
  w.pos += 8;
}

/** Field 2: the user key with its particle type. */
export function writeKeyField(w: ByteWriter, key: AsKey): void {
  const mark = w.mark();
  w.u32(0);
  w.u8(FieldType.KEY);
  if (typeof key === 'string') {
    w.u8(ParticleType.STRING);
    w.utf8(key);
  } else if (typeof key === 'number') {
    w.u8(ParticleType.INTEGER);
    w.int64(key);
  } else if (typeof key === 'bigint') {
    w.u8(ParticleType.INTEGER);
    w.i64(key);
  } else {
    w.u8(ParticleType.BLOB);
    w.bytes(key);
  }
  w.patchU32(mark, w.since(mark) - 4);
}

/** An op carrying a bin: its name, particle type and value (op type READ in replies). */
export function writeBinOp(w: ByteWriter, name: string, value: AsValue, opType = 1): void {
  const mark = w.mark();
  w.ensure(OP_HEADER_BYTES);
  w.pos += 4;
  w.buf[w.pos++] = opType;
  w.buf[w.pos++] = particleTypeOf(value);
  w.buf[w.pos++] = 0;
  const nameMark = w.mark();
  w.pos += 1;
  const nameLen = w.utf8(name);
  w.patchU8(nameMark, nameLen);
  writeParticle(w, value);
  w.patchU32(mark, w.since(mark) - 4);
}

/** The whole reply to a single-record command without bins: one frame, one header. */
export function writeStatusReply(w: ByteWriter, resultCode: number, generation: number, voidTime: number): void {
  const frame = beginFrame(w);
  writeMsgHeader(w, 0, resultCode, generation, voidTime, 0, 0, 0);
  endFrame(w, frame);
}

/** The end of a multi-record stream (scan, query, batch): a header with LAST. */
export function writeLastReply(w: ByteWriter, resultCode: number): void {
  const frame = beginFrame(w);
  writeMsgHeader(w, 0x01, resultCode, 0, 0, 0, 0, 0);
  endFrame(w, frame);
}
