/**
 * The pure part of the write path: given the current version of a record (or
 * null) and a client request, compute the next version. No I/O and no clock
 * reads (the caller passes `lut` and `nowSec`), so every rule here is unit
 * testable; namespace.ts stores what these functions return.
 */
import { EngineError } from './errors.js';
import type { RemovePolicy, WritePolicy } from './api.js';
import type { Bins, CounterState, Digest, HlcTimestamp, RecordMetaView, RecordVersion, UserKey } from './types.js';

export interface WriteContext {
  ns: string;
  set: string;
  digest: Digest;
  key: UserKey;
  lut: HlcTimestamp;
  region: number;
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
  const w = startFrom(current);
  if ((exists === 'replace' || exists === 'create-or-replace') && live) {
    // Bins the replacement drops become bin tombstones so merges do not bring them back.
    for (const name of Object.keys(w.bins)) {
      if (!(name in bins)) {
        w.binLuts[name] = ctx.lut;
        delete w.bins[name];
      }
    }
    w.counters = {};
  }
  for (const name in bins) {
    const value = bins[name]!;
    w.binLuts[name] = ctx.lut;
    if (value === null) delete w.bins[name];
    else w.bins[name] = value;
    if (Object.hasOwn(w.counters, name)) {
      // A plain write starts a new counter epoch (docs/conflict.md, the local update rule).
      if (typeof value === 'number') w.counters[name] = { base: value, baseLut: ctx.lut, p: {}, n: {} };
      else delete w.counters[name];
    }
  }
  const deleted = isEmpty(w.bins);
  if (deleted && !Object.hasOwn(w.binLuts, DELETE_HORIZON_BIN)) {
    // Removing the last bin is not a record delete: the tombstone states the old
    // horizon so it does not delete concurrent writes made elsewhere.
    w.binLuts[DELETE_HORIZON_BIN] = current === null ? 0 : deleteHorizon(current);
  }
  const version: RecordVersion = {
    ns: ctx.ns,
    set: ctx.set,
    digest: ctx.digest,
    generation: (current === null ? 0 : current.generation) + 1,
    voidTime: deleted ? 0 : voidTimeFor(policy.ttl, ctx),
    lut: ctx.lut,
    region: ctx.region,
    deleted,
    bins: w.bins,
    binLuts: w.binLuts,
  };
  if (policy.sendKey ?? true) version.key = ctx.key;
  else if (current !== null && current.key !== undefined) version.key = current.key;
  if (!isEmpty(w.counters)) version.counters = w.counters;
  return version;
}

/** Whether an object has no own enumerable keys (without allocating a key array). */
function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

interface Working {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters: Record<string, CounterState>;
}

/**
 * The reserved binLuts entry holding a record's delete horizon (docs/conflict.md):
 * 18 bytes, longer than any bin name, so it never clashes with a bin.
 */
export const DELETE_HORIZON_BIN = '!record-deleted-at';

/** A version's delete horizon: explicit entry, else its lut for a tombstone, else 0. */
export function deleteHorizon(v: RecordVersion): HlcTimestamp {
  if (Object.hasOwn(v.binLuts, DELETE_HORIZON_BIN)) return v.binLuts[DELETE_HORIZON_BIN]!;
  return v.deleted ? v.lut : 0;
}

/**
 * What a local write starts from: nothing; a tombstone's bin tombstones with its
 * horizon made explicit (the new version is live); or a live record's state.
 */
function startFrom(current: RecordVersion | null): Working {
  if (current === null) return { bins: {}, binLuts: {}, counters: {} };
  if (current.deleted) return { bins: {}, binLuts: { ...current.binLuts, [DELETE_HORIZON_BIN]: deleteHorizon(current) }, counters: {} };
  return { bins: { ...current.bins }, binLuts: { ...current.binLuts }, counters: { ...(current.counters ?? {}) } };
}

/** The tombstone a durable delete leaves: no bins, the delete's lut, generation + 1. */
export function tombstoneFor(current: RecordVersion, lut: HlcTimestamp, region: number): RecordVersion {
  const t: RecordVersion = {
    ns: current.ns,
    set: current.set,
    digest: current.digest,
    generation: current.generation + 1,
    voidTime: 0,
    lut,
    region,
    deleted: true,
    bins: {},
    binLuts: {},
  };
  if (current.key !== undefined) t.key = current.key;
  return t;
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
