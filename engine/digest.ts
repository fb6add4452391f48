/**
 * Record digests exactly as Aerospike clients compute them, so a key stored here
 * has the same 20-byte identity (and the same partition) as in Aerospike:
 * RIPEMD-160 over the set name's UTF-8 bytes, one key-type byte (integer 1,
 * string 3, bytes 4 — Aerospike's particle types), then the key bytes. Integers
 * are hashed as 8-byte big-endian two's complement. The namespace is not part of
 * the digest (it picks the index, not the identity).
 */
import { createHash } from 'node:crypto';
import { EngineError } from './errors.js';
import type { Digest, UserKey } from './types.js';

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
  out.writeBigInt64BE(integerKey(key));
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

const typeByte = [Buffer.from([0]), Buffer.from([KEY_TYPE_INTEGER]), Buffer.from([0]), Buffer.from([KEY_TYPE_STRING]), Buffer.from([KEY_TYPE_BYTES])];

/** The 20-byte RIPEMD-160 digest of (set, key) as Aerospike clients compute it. */
export function computeDigest(set: string, key: UserKey): Digest {
  const type = keyTypeOf(key);
  const hash = createHash('ripemd160');
  hash.update(set, 'utf8');
  hash.update(typeByte[type]!);
  hash.update(keyBytes(key));
  // A copy: digest() may hand back a view into a shared pool.
  return new Uint8Array(hash.digest());
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
