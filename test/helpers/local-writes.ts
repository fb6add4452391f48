/**
 * The engine's own write path as pure functions, for tests that play local
 * histories without a store: nextVersionForPut (put), nextVersionForOperate
 * (increments and other steps) and tombstoneFor (durable delete) are exactly
 * what Engine.put / operate / remove compute before storing, and they are built
 * on record/'s local-update rule. Nothing here re-implements the rule.
 */
import type { Operation, WritePolicy } from '../../engine/api.js';
import { nextVersionForPut, tombstoneFor, type WriteContext } from '../../engine/operations/record-rules.js';
import { nextVersionForOperate } from '../../engine/operations/operate.js';
import type { Bins, RecordVersion, UserKey } from '../../record/index.js';

/** Where and when a local change happens. */
export interface At {
  ns?: string;
  set?: string;
  digest: Uint8Array;
  /** @default 'k' */
  key?: UserKey;
  /** HLC time of the change. */
  lut: number;
  region: number;
}

function context(at: At): WriteContext {
  return { ns: at.ns ?? 'test', set: at.set ?? 'demo', digest: at.digest, key: at.key ?? 'k', lut: at.lut, region: at.region, counterContributor: String(at.region), nowSec: 1000, defaultTtlSec: 0 };
}

/** Engine.put of `bins` over `current`. */
export function put(current: RecordVersion | null, bins: Bins, at: At, policy: WritePolicy = {}): RecordVersion {
  return nextVersionForPut(current, bins, policy, context(at));
}

/** Engine.operate of `ops` over `current`: the stored version, or `current` when the operate stores nothing. */
export function operate(current: RecordVersion | null, ops: Operation[], at: At, policy: WritePolicy = {}): RecordVersion | null {
  const ctx = context(at);
  const next = nextVersionForOperate(current, { ns: ctx.ns, set: ctx.set, key: ctx.key }, ops, policy, ctx, {});
  return next ?? current;
}

/** Engine.operate with one increment step. */
export function incr(current: RecordVersion | null, bin: string, delta: number, at: At): RecordVersion {
  return operate(current, [{ op: 'incr', bin, value: delta }], at)!;
}

/** Engine.remove (durable): the tombstone, or `current` itself when there is no live record to delete. */
export function del(current: RecordVersion | null, at: At): RecordVersion | null {
  if (current === null || current.deleted) return current;
  return tombstoneFor(current, at.lut, at.region);
}
