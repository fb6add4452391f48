/**
 * The pure part of the write path: given the current version of a record (or
 * null) and a client request, compute the next version. No I/O and no clock
 * reads (the caller passes `lut` and `nowSec`), so every rule here is unit
 * testable; namespace.ts stores what these functions return.
 */
import { EngineError } from '../errors.js';
import type { RemovePolicy, WritePolicy } from '../api.js';
import type { RecordMetaView } from '../types.js';
import type { Bins, Digest, HlcTimestamp, RecordVersion, UserKey } from '../../record/index.js';
import { putBody, sealBody, tombstoneOf, versionFromBody } from '../../record/index.js';

export interface WriteContext {
  ns: string;
  set: string;
  digest: Digest;
  /** Undefined when the caller addressed the record by digest only. */
  key: UserKey | undefined;
  lut: HlcTimestamp;
  region: number;
  /** The key this region books counter increments of the namespace under (Namespace.counterContributor). */
  counterContributor: string;
  nowSec: number;
  defaultTtlSec: number;
}

/** Generation of `current` as a client sees it (0 when absent). */
function generationOf(current: RecordVersion | null): number {
  return current === null || current.deleted ? 0 : current.generation;
}

export function checkGeneration(current: RecordVersion | null, check: { mode: 'eq' | 'gt'; value: number } | undefined, ns: string): void {
  if (check === undefined) return;
  const gen = generationOf(current);
  const ok = check.mode === 'eq' ? gen === check.value : check.value > gen;
  if (!ok) {
    throw new EngineError('ENGINE_ERR_GENERATION_MISMATCH',
      `generation check ${check.mode} ${check.value} failed: the record is at generation ${gen}; re-read it and retry`, { ns, generation: gen, expected: check.value });
  }
}

/** voidTime for a write policy ttl: 0 → namespace default, -1 → never, n > 0 → now + n. */
export function voidTimeFor(ttlSec: number | undefined, ctx: Pick<WriteContext, 'nowSec' | 'defaultTtlSec'>): number {
  const ttl = ttlSec === undefined || ttlSec === 0 ? ctx.defaultTtlSec : ttlSec;
  if (ttl === -1 || ttl === 0) return 0;
  if (!Number.isSafeInteger(ttl) || ttl < -1) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `ttl must be -1 (never), 0 (namespace default) or a positive number of seconds, got ${ttl}`, { field: 'ttl' });
  }
  return ctx.nowSec + ttl;
}

/** The metadata view a client gets back. */
export function metaView(v: Pick<RecordVersion, 'generation' | 'voidTime' | 'lut' | 'region'>, nowSec: number): RecordMetaView {
  return { generation: v.generation, ttl: v.voidTime === 0 ? -1 : Math.max(0, v.voidTime - nowSec), lut: v.lut, region: v.region };
}

/**
 * The next version for a put. `current` is the visible record (null when
 * absent, expired or never written); a tombstone counts as absent for the
 * exists policy but lends its generation so generations keep increasing.
 */
export function nextVersionForPut(current: RecordVersion | null, bins: Bins, policy: WritePolicy, ctx: WriteContext): RecordVersion {
  const exists = policy.exists ?? 'upsert';
  const live = current !== null && !current.deleted;
  if (exists === 'create' && live) {
    throw new EngineError('ENGINE_ERR_RECORD_EXISTS', 'the record already exists (create-only write)', { ns: ctx.ns, set: ctx.set });
  }
  if ((exists === 'update' || exists === 'replace') && !live) {
    throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', `the record does not exist (${exists}-only write)`, { ns: ctx.ns, set: ctx.set });
  }
  checkGeneration(current, policy.generation, ctx.ns);
  // The local-update rule (record/): bins merged in, or replacing a live record's.
  const body = putBody(current, bins, (exists === 'replace' || exists === 'create-or-replace') && live, ctx.lut);
  const deleted = sealBody(body);
  return versionFromBody(current, body, deleted, {
    ns: ctx.ns,
    set: ctx.set,
    digest: ctx.digest,
    lut: ctx.lut,
    region: ctx.region,
    voidTime: deleted ? 0 : voidTimeFor(policy.ttl, ctx),
    key: (policy.sendKey ?? true) && ctx.key !== undefined ? ctx.key : current?.key,
  });
}

/** The tombstone a durable delete leaves (record/'s tombstoneOf: generation + 1, counter states kept dormant). */
export function tombstoneFor(current: RecordVersion, lut: HlcTimestamp, region: number): RecordVersion {
  return tombstoneOf(current, lut, region);
}

export function checkRemove(current: RecordVersion | null, policy: RemovePolicy, ns: string): boolean {
  if (current === null || current.deleted) {
    if (policy.generation !== undefined) checkGeneration(current, policy.generation, ns);
    return false;
  }
  checkGeneration(current, policy.generation, ns);
  return true;
}

/** The next version for a touch: same bins, new voidTime and lut, generation + 1. */
export function touchedVersion(current: RecordVersion, ttlSec: number | undefined, ctx: Pick<WriteContext, 'lut' | 'region' | 'nowSec' | 'defaultTtlSec'>): RecordVersion {
  return { ...current, generation: current.generation + 1, voidTime: voidTimeFor(ttlSec, ctx), lut: ctx.lut, region: ctx.region };
}
