/**
 * operate: several steps on one record, atomically. The steps run on the
 * current version inside Engine.mutate's synchronous section (no other write to
 * the record can interleave), and the new version goes through the namespace's
 * single write path: one store, one change-log entry, one generation.
 */
import type { Operation, OperateResult, WritePolicy } from '../api.js';
import { BINS_PER_RECORD_MAX } from '../limits.js';
import { applyOperations, checkTtl, checkWritePolicy, isReadingStep, opsError, opsInputFromVersion, resolveVoidTime } from './index.js';
import { metaView, type WriteContext } from './record-rules.js';
import type { RecordKey } from '../types.js';
import type { RecordVersion } from '../../record/index.js';
import { versionFromBody } from '../../record/index.js';

/** An operate made only of steps that never change the record is a read. */
export function isReadOnly(ops: readonly Operation[]): boolean {
  return Array.isArray(ops) && ops.every((op) => typeof op === 'object' && op !== null && typeof op.step !== 'number' && isReadingStep(op));
}

/** Read-only operate on the current version (null = absent or expired; tombstones count as absent). */
export function operateRead(current: RecordVersion | null, ops: readonly Operation[], nowSec: number, ctx: { lut: number; contributor: string }): OperateResult {
  const outcome = applyOperations(opsInputFromVersion(current), ops, ctx);
  return { ...metaView(current!, nowSec), results: outcome.results };
}

/**
 * The next version for an operate with writes, or null to store nothing (no step
 * changed the record, or every bin of an absent record was removed).
 * `result` receives what the caller returns to the client.
 */
export function nextVersionForOperate(
  current: RecordVersion | null,
  key: RecordKey,
  ops: readonly Operation[],
  policy: WritePolicy,
  ctx: WriteContext,
  result: { value?: OperateResult },
): RecordVersion | null {
  checkTtl(policy.ttl);
  const live = current !== null && !current.deleted ? current : null;
  const decision = checkWritePolicy(live, policy);
  const outcome = applyOperations(opsInputFromVersion(current), ops, { lut: ctx.lut, contributor: ctx.counterContributor }, { replace: decision.replace });
  if (!outcome.mutated || (live === null && outcome.deleted)) {
    result.value = live === null
      ? { generation: 0, ttl: -1, lut: ctx.lut, region: ctx.region, results: outcome.results }
      : { ...metaView(live, ctx.nowSec), results: outcome.results };
    return null;
  }
  // Every value a step wrote was checked (validate.ts) and untouched bins were valid when stored: only the count can break.
  if (Object.keys(outcome.bins).length > BINS_PER_RECORD_MAX) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `a record has at most ${BINS_PER_RECORD_MAX} bins`);
  }
  const body = { bins: outcome.bins, binLuts: outcome.binLuts, counters: outcome.counters ?? {}, dormant: outcome.dormantCounters ?? null };
  const next = versionFromBody(current, body, outcome.deleted, {
    ns: ctx.ns,
    set: ctx.set,
    digest: ctx.digest,
    lut: ctx.lut,
    region: ctx.region,
    // Tombstones never expire (nsup collects them after the grace period instead).
    voidTime: outcome.deleted ? 0 : resolveVoidTime(policy.ttl, ctx.defaultTtlSec, ctx.nowSec, live?.voidTime ?? 0),
    key: (policy.sendKey ?? true) && key.key !== undefined ? key.key : current?.key,
  });
  result.value = { ...metaView(next, ctx.nowSec), results: outcome.results };
  return next;
}
