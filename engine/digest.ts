/**
 * Record digests exactly as Aerospike clients compute them, so a key stored here
 * has the same 20-byte identity (and the same partition) as in Aerospike:
 * RIPEMD-160 over the set name's UTF-8 bytes, one key-type byte (integer 1,
 * string 3, bytes 4 — Aerospike's particle types), then the key bytes. Integers
 * are hashed as 8-byte big-endian two's complement. The namespace is not part of
 * the digest (it picks the index, not the identity).
 */
import { EngineError } from './errors.js';
import { ripemd160 } from './ripemd160.js';
import type { RecordKey } from './types.js';
import type { Digest, UserKey } from '../record/index.js';
import { writeUtf8 } from './bytes/utf8.js';

export const DIGEST_BYTES = 20;
export const PARTITION_COUNT = 4096;

/** Aerospike particle types used as the key-type byte. */
export const KEY_TYPE_INTEGER = 1;
export const KEY_TYPE_STRING = 3;
export const KEY_TYPE_BYTES = 4;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The key-type byte of a user key; throws ENGINE_ERR_INVALID_ARGUMENT for other types. */
export function keyTypeOf(key: UserKey): number {
  if (typeof key === 'string') return KEY_TYPE_STRING;
  if (typeof key === 'number' || typeof key === 'bigint') return KEY_TYPE_INTEGER;
  if (key instanceof Uint8Array) return KEY_TYPE_BYTES;
  throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a key must be a string, an integer or bytes', { key: String(key) });
}

/** The bytes a key contributes to its digest (and stores with the record). */
export function keyBytes(key: UserKey): Uint8Array {
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (key instanceof Uint8Array) return key;
  const out = Buffer.allocUnsafe(8);
  writeInt64BE(out, 0, key);
  return out;
}

function integerKey(key: number | bigint): bigint {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) {
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'an integer key must be a safe integer (use a bigint beyond 2^53)', { key });
    }
    return BigInt(key);
  }
  if (key < INT64_MIN || key > INT64_MAX) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'an integer key must fit in a signed 64-bit integer', { key: key.toString() });
  }
  return key;
}

let scratch = Buffer.allocUnsafe(4096);

function ensureScratch(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/** Writes an integer key as 8 bytes big-endian two's complement (without a BigInt for safe integers). */
function writeInt64BE(buf: Buffer, at: number, key: number | bigint): void {
  if (typeof key === 'number' && Number.isSafeInteger(key)) {
    // |hi| < 2^21 and 0 <= lo < 2^32: plain byte stores, no range checks to pay.
    const hi = Math.floor(key / 2 ** 32);
    const lo = key - hi * 2 ** 32;
    buf[at] = hi >>> 24;
    buf[at + 1] = hi >>> 16;
    buf[at + 2] = hi >>> 8;
    buf[at + 3] = hi;
    buf[at + 4] = lo >>> 24;
    buf[at + 5] = lo >>> 16;
    buf[at + 6] = lo >>> 8;
    buf[at + 7] = lo;
    return;
  }
  buf.writeBigInt64BE(integerKey(key), at);
}

/** The 20-byte RIPEMD-160 digest of (set, key) as Aerospike clients compute it. */
export function computeDigest(set: string, key: UserKey): Digest {
  const type = keyTypeOf(key);
  // Worst case 3 UTF-8 bytes per UTF-16 unit; sized once so nothing moves mid-write.
  const keyMax = type === KEY_TYPE_STRING ? (key as string).length * 3 : type === KEY_TYPE_INTEGER ? 8 : (key as Uint8Array).length;
  const buf = ensureScratch(set.length * 3 + 1 + keyMax);
  let at = writeUtf8(buf, 0, set);
  buf[at++] = type;
  if (type === KEY_TYPE_STRING) {
    at += writeUtf8(buf, at, key as string);
  } else if (type === KEY_TYPE_INTEGER) {
    writeInt64BE(buf, at, key as number | bigint);
    at += 8;
  } else {
    buf.set(key as Uint8Array, at);
    at += (key as Uint8Array).length;
  }
  const out = new Uint8Array(DIGEST_BYTES);
  ripemd160(buf, at, out);
  return out;
}

/**
 * The digest that addresses `key`: the digest it carries (as Aerospike clients
 * send one), else the digest of its user key. Throws ENGINE_ERR_INVALID_ARGUMENT
 * when it has neither, or a digest that is not 20 bytes.
 */
export function digestOfKey(key: RecordKey): Digest {
  if (key === null || typeof key !== 'object' || typeof key.set !== 'string') {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a key is { ns, set, key } (or { ns, set, digest }) with a string set name', {});
  }
  const digest = key.digest;
  if (digest !== undefined) {
    if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) {
      throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `a digest is ${DIGEST_BYTES} bytes`, { ns: key.ns });
    }
    return digest;
  }
  if (key.key === undefined) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a key needs a user key or a digest', { ns: key.ns });
  return computeDigest(key.set, key.key);
}

/** Aerospike's partition id: the first two digest bytes, little-endian, masked to 12 bits. */
export function partitionId(digest: Digest): number {
  return (digest[0]! | (digest[1]! << 8)) & (PARTITION_COUNT - 1);
}

/** Lower-case hex, the form Aerospike tools print digests in. */
export function digestHex(digest: Digest): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('hex');
}

export function digestFromHex(hex: string): Digest {
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a digest is 40 hex characters', { digest: hex });
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
