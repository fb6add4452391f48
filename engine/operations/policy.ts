/**
 * Write-policy checks as pure functions: given what is stored (or nothing) and
 * the policy, allow the write or refuse it with a typed error. The engine calls
 * them inside its single write path, before anything is stored.
 */
import type { RemovePolicy, WritePolicy } from '../api.js';
import { opsError } from './fail.js';

/** Aerospike's largest TTL (10 years, its max-ttl ceiling). */
export const TTL_SEC_MAX = 10 * 365 * 24 * 3600;
/** Keep the record's current void-time (Aerospike's TTL_DONT_UPDATE, the Python client's aerospike.TTL_DONT_UPDATE). */
export const TTL_DONT_UPDATE = -2;
/** Never expire (Aerospike's TTL_NEVER_EXPIRE). */
export const TTL_NEVER_EXPIRE = -1;
/** Use the namespace's default-ttl (Aerospike's TTL_NAMESPACE_DEFAULT). */
export const TTL_NAMESPACE_DEFAULT = 0;

export interface StoredMeta {
  generation: number;
  /** Unix seconds; 0 = never expires. */
  voidTime: number;
}

export interface WriteDecision {
  /** Replace all bins (bins the write does not name are removed) rather than merge into them. */
  replace: boolean;
}

/**
 * Checks `exists` and `generation` against the live record (`existing`; null when
 * absent, expired or a tombstone). An absent record counts as generation 0, so
 * `{ mode: 'eq', value: 0 }` means "only if it does not exist yet".
 */
export function checkWritePolicy(existing: StoredMeta | null, policy: WritePolicy | undefined): WriteDecision {
  const exists = policy?.exists ?? 'upsert';
  switch (exists) {
    case 'create':
      if (existing !== null) throw opsError('ENGINE_ERR_RECORD_EXISTS', 'the record exists and the write policy is create-only; use another key or exists policy');
      break;
    case 'update':
    case 'replace':
      if (existing === null) throw opsError('ENGINE_ERR_RECORD_NOT_FOUND', `the record does not exist and the write policy is ${exists}-only`);
      break;
    case 'upsert':
    case 'create-or-replace':
      break;
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `write policy exists must be upsert, create, update, replace or create-or-replace, not "${String(exists)}"`);
  }
  checkGeneration(existing?.generation ?? 0, policy?.generation);
  return { replace: exists === 'replace' || exists === 'create-or-replace' };
}

export function checkRemovePolicy(existing: StoredMeta | null, policy: RemovePolicy | undefined): void {
  checkGeneration(existing?.generation ?? 0, policy?.generation);
}

function checkGeneration(current: number, expect: WritePolicy['generation']): void {
  if (expect === undefined) return;
  if (typeof expect !== 'object' || expect === null || !Number.isSafeInteger(expect.value) || (expect.mode !== 'eq' && expect.mode !== 'gt')) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'write policy generation must be { mode: "eq" | "gt", value: <integer> }');
  }
  const ok = expect.mode === 'eq' ? current === expect.value : expect.value > current;
  if (!ok) {
    const want = expect.mode === 'eq' ? `exactly ${expect.value}` : `below ${expect.value}`;
    throw opsError('ENGINE_ERR_GENERATION_MISMATCH', `the record's generation is ${current}, the write policy wants ${want}; re-read the record and retry`, {
      generation: current,
      expected: expect,
    });
  }
}

export function checkTtl(ttlSec: unknown): void {
  if (ttlSec === undefined) return;
  if (typeof ttlSec !== 'number' || !Number.isSafeInteger(ttlSec) || ttlSec < TTL_DONT_UPDATE || ttlSec > TTL_SEC_MAX) {
    throw opsError(
      'ENGINE_ERR_INVALID_ARGUMENT',
      `ttl must be an integer from -2 (keep) and -1 (never) through ${TTL_SEC_MAX} seconds, 0 meaning the namespace default; got ${String(ttlSec)}`,
      { ttl: ttlSec },
    );
  }
}

/**
 * The void-time (unix seconds, 0 = never) a write leaves on the record.
 * `currentVoidTime` is the stored one (0 for a new record).
 */
export function resolveVoidTime(ttlSec: number | undefined, defaultTtlSec: number, nowSec: number, currentVoidTime: number): number {
  checkTtl(ttlSec);
  const ttl = ttlSec ?? TTL_NAMESPACE_DEFAULT;
  if (ttl === TTL_DONT_UPDATE) return currentVoidTime;
  if (ttl === TTL_NEVER_EXPIRE) return 0;
  const effective = ttl === TTL_NAMESPACE_DEFAULT ? defaultTtlSec : ttl;
  return effective <= 0 ? 0 : nowSec + effective;
}

/** Seconds left, as clients see it: -1 = never expires. */
export function ttlFromVoidTime(voidTime: number, nowSec: number): number {
  return voidTime === 0 ? -1 : Math.max(0, voidTime - nowSec);
}
