/**
 * Readers of field contents: namespace and set names, digests, user keys,
 * integers, and the partition selection of scans and queries.
 */
import { DIGEST_BYTES, ParticleType } from './constants.js';
import { badValue, malformed, unsupported } from './errors.js';
import type { FieldSet } from './message.js';

/** A user key as the engine takes it. */
export type AsKey = string | number | bigint | Uint8Array;

/** Strict UTF-8: names and keys that are not valid UTF-8 are refused rather than mangled. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, ASCII without the decoder (names are almost always ASCII). */
export function readUtf8(buf: Buffer, start: number, end: number, what: string): string {
  for (let i = start; i < end; i++) {
    if (buf[i]! > 0x7f) {
      try {
        return utf8.decode(buf.subarray(start, end));
      } catch {
        throw badValue(`${what} is not valid UTF-8`);
      }
    }
  }
  return buf.toString('latin1', start, end);
}

/** The field's text, or undefined when the field is absent. */
export function fieldString(fields: FieldSet, buf: Buffer, type: number, what: string): string | undefined {
  const start = fields.start[type]!;
  if (start < 0) return undefined;
  return readUtf8(buf, start, fields.end[type]!, what);
}

/** The 20-byte digest (a view), or undefined when absent. */
export function fieldDigest(fields: FieldSet, buf: Buffer, type: number): Buffer | undefined {
  const start = fields.start[type]!;
  if (start < 0) return undefined;
  const end = fields.end[type]!;
  if (end - start !== DIGEST_BYTES) throw malformed(`digest field holds ${end - start} bytes; a digest is ${DIGEST_BYTES}`);
  return buf.subarray(start, end);
}

/** A big-endian unsigned integer of 1, 2, 4 or 8 bytes (8-byte values above 2^53 are refused). */
export function fieldUint(fields: FieldSet, buf: Buffer, type: number, what: string): number | undefined {
  const start = fields.start[type]!;
  if (start < 0) return undefined;
  const n = fields.end[type]! - start;
  switch (n) {
    case 1:
      return buf[start]!;
    case 2:
      return buf.readUInt16BE(start);
    case 4:
      return buf.readUInt32BE(start);
    case 8: {
      const v = buf.readBigUInt64BE(start);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw badValue(`${what} ${v} is too large`);
      return Number(v);
    }
    default:
      throw malformed(`${what} field holds ${n} bytes; expected 1, 2, 4 or 8`);
  }
}

/** The task id of a scan or query: 8 bytes, kept as a decimal string (it may exceed 2^53). */
export function fieldTaskId(fields: FieldSet, buf: Buffer, type: number): string | undefined {
  const start = fields.start[type]!;
  if (start < 0) return undefined;
  if (fields.end[type]! - start !== 8) throw malformed(`task id field holds ${fields.end[type]! - start} bytes; expected 8`);
  return buf.readBigUInt64BE(start).toString();
}

/** A user key: a particle-type byte, then the value. */
export function readUserKey(buf: Buffer, start: number, end: number): AsKey {
  if (end - start < 1) throw malformed('user key field is empty (it needs a particle-type byte)');
  const type = buf[start]!;
  const at = start + 1;
  switch (type) {
    case ParticleType.INTEGER: {
      if (end - at !== 8) throw malformed(`integer user key holds ${end - at} bytes; expected 8`);
      const v = buf.readBigInt64BE(at);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    case ParticleType.STRING:
      return readUtf8(buf, at, end, 'string user key');
    case ParticleType.BLOB:
      return new Uint8Array(buf.subarray(at, end));
    case ParticleType.DOUBLE:
      throw unsupported('double user keys are not supported; use an integer, string or bytes key');
    default:
      throw badValue(`user key of particle type ${type}; keys are integers, strings or bytes`);
  }
}

export function fieldUserKey(fields: FieldSet, buf: Buffer, type: number): AsKey | undefined {
  const start = fields.start[type]!;
  if (start < 0) return undefined;
  return readUserKey(buf, start, fields.end[type]!);
}

/** Partitions of field 11: 2-byte little-endian ids. */
export function readPartitionIds(buf: Buffer, start: number, end: number, partitions: number): number[] {
  if ((end - start) % 2 !== 0) throw malformed(`partition-id field of ${end - start} bytes is not a list of 2-byte ids`);
  const out: number[] = [];
  for (let at = start; at < end; at += 2) {
    const pid = buf.readUInt16LE(at);
    if (pid >= partitions) throw badValue(`partition id ${pid} is out of range (0..${partitions - 1})`);
    out.push(pid);
  }
  return out;
}

/** Digests of field 12: 20 bytes each (views). */
export function readDigestArray(buf: Buffer, start: number, end: number): Buffer[] {
  if ((end - start) % DIGEST_BYTES !== 0) throw malformed(`digest-array field of ${end - start} bytes is not a list of ${DIGEST_BYTES}-byte digests`);
  const out: Buffer[] = [];
  for (let at = start; at < end; at += DIGEST_BYTES) out.push(buf.subarray(at, at + DIGEST_BYTES));
  return out;
}

/** The partition a digest belongs to: its first two bytes, little-endian, modulo the partition count. */
export function partitionOf(digest: Uint8Array, partitions = 4096): number {
  return (digest[0]! | (digest[1]! << 8)) & (partitions - 1);
}
