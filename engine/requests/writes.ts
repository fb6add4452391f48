/**
 * The requests that change records: put, remove, touch, operate and the
 * versions applied from other regions. Each computes the next version with
 * the pure rules of operations/ and stores it through the one write path
 * (mutate → Namespace.store); in commit-to-device mode it resolves only once
 * the write is fsync'd.
 */
import type { ApplyResult, Operation, OperateResult, RemovePolicy, WritePolicy } from '../api.js';
import { digestOfKey } from '../digest.js';
import { EngineError, isEngineError } from '../errors.js';
import type { Namespace } from '../namespace/namespace.js';
import { isPolicyRefusal } from '../namespace/stats.js';
import { checkBins } from '../operations/bin-check.js';
import { isReadOnly, nextVersionForOperate, operateRead } from '../operations/operate.js';
import { checkRemove, metaView, nextVersionForPut, tombstoneFor, touchedVersion, type WriteContext } from '../operations/record-rules.js';
import { checkVersion, newestCounterEpoch } from '../operations/version-check.js';
import type { RecordKey, RecordMetaView } from '../types.js';
import type { Bins, Digest, RecordVersion } from '../../record/index.js';
import type { EngineContext } from './context.js';
import { checkDigest } from './reads.js';

/** Computes the next version from the current one (null = absent or expired; a tombstone when durably deleted); null stores nothing. */
export type ProduceVersion = (current: RecordVersion | null, ctx: WriteContext) => RecordVersion | null;

/**
 * The write path shared by every client mutation: `produce` gets the current
 * version and returns the next one to store. Runs synchronously up to the
 * store, then waits for durability as the namespace's mode requires.
 */
export async function mutate(c: EngineContext, key: RecordKey, produce: ProduceVersion): Promise<RecordVersion | null> {
  const ns = c.namespace(key.ns);
  const next = mutateNow(c, ns, key, produce);
  const durable = next === null ? null : ns.durable();
  if (durable !== null) await countedDurable(ns, durable);
  return next;
}

/** The synchronous part of a mutation: read, produce, store; counts success or failure. */
function mutateNow(c: EngineContext, ns: Namespace, key: RecordKey, produce: ProduceVersion): RecordVersion | null {
  try {
    const digest = digestOfKey(key);
    const { version: current } = ns.currentVersion(digest);
    const next = produce(current, c.writeContext(ns, key.set, digest, key.key));
    if (next !== null) ns.store(next, next.deleted ? 'delete' : 'write', !next.deleted);
    ns.stats.writeSuccess++;
    return next;
  } catch (err) {
    if (isPolicyRefusal(err)) ns.stats.writeRefused++;
    else ns.stats.writeError++;
    throw err;
  }
}

/** Waits for durability; a failed fsync turns the counted success into an error. */
async function countedDurable(ns: Namespace, durable: Promise<void>): Promise<void> {
  try {
    await durable;
  } catch (err) {
    ns.stats.writeSuccess--;
    ns.stats.writeError++;
    throw err;
  }
}

export function put(c: EngineContext, key: RecordKey, bins: Bins, policy: WritePolicy = {}): Promise<RecordMetaView> {
  const t0 = performance.now();
  let ns: Namespace;
  let next: RecordVersion | null;
  let nowSec = 0;
  try {
    ns = c.namespace(key?.ns);
    next = mutateNow(c, ns, key, (current, ctx) => {
      nowSec = ctx.nowSec;
      checkBins(bins);
      // Removing the last bin leaves a tombstone (Aerospike deletes such a
      // record; here the delete must replicate), see nextVersionForPut.
      return nextVersionForPut(current, bins, policy, ctx);
    });
  } catch (err) {
    c.done(key?.ns, 'write', t0, 'error', err);
    return Promise.reject(err);
  }
  const meta = metaView(next!, nowSec);
  const durable = ns.durable();
  // Buffered mode: no second promise and no extra turn of the microtask queue.
  if (durable === null) {
    c.done(ns.name, 'write', t0, 'success');
    return Promise.resolve(meta);
  }
  return countedDurable(ns, durable).then(
    () => (c.done(ns.name, 'write', t0, 'success'), meta),
    (err: unknown) => (c.done(ns.name, 'write', t0, 'error', err), Promise.reject(err)),
  );
}

export async function remove(c: EngineContext, key: RecordKey, policy: RemovePolicy = {}): Promise<boolean> {
  const t0 = performance.now();
  const ns = c.namespace(key.ns);
  try {
    const digest = digestOfKey(key);
    const { slot, version: current } = ns.currentVersion(digest);
    if (!checkRemove(current, policy, ns.name)) {
      ns.stats.deleteNotFound++;
      c.done(ns.name, 'delete', t0, 'not-found');
      return false;
    }
    if (policy.durable ?? true) ns.store(tombstoneFor(current!, c.hlc.now(), c.regionId), 'delete', false);
    else ns.drop(slot, 'delete');
    const durable = ns.durable();
    if (durable !== null) await durable;
    ns.stats.deleteSuccess++;
    c.done(ns.name, 'delete', t0, 'success');
    return true;
  } catch (err) {
    ns.stats.deleteError++;
    c.done(ns.name, 'delete', t0, 'error', err);
    throw err;
  }
}

export async function touch(c: EngineContext, key: RecordKey, ttlSec?: number): Promise<RecordMetaView> {
  const t0 = performance.now();
  let result: RecordMetaView | null = null;
  try {
    await mutate(c, key, (current, ctx) => {
      if (current === null || current.deleted) {
        throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', 'touch of a record that does not exist', { ns: ctx.ns, set: ctx.set });
      }
      const next = touchedVersion(current, ttlSec, ctx);
      result = metaView(next, ctx.nowSec);
      return next;
    });
  } catch (err) {
    c.done(key?.ns, 'touch', t0, isEngineError(err, 'ENGINE_ERR_RECORD_NOT_FOUND') ? 'not-found' : 'error', err);
    throw err;
  }
  c.done(key.ns, 'touch', t0, 'success');
  return result!;
}

/**
 * Several steps on one record, atomically: the steps run on the current
 * version inside mutate's synchronous section, so no other write to the record
 * can interleave. An operate of reading steps only stores nothing.
 */
export function operate(c: EngineContext, key: RecordKey, ops: Operation[], policy: WritePolicy = {}): Promise<OperateResult> {
  policy ??= {};
  return c.timed(key?.ns, 'operate', async () => {
    if (isReadOnly(ops)) {
      const ns = c.namespace(key.ns);
      const { version } = ns.currentVersion(digestOfKey(key));
      return operateRead(version, ops, ns.nowSec(), { lut: c.hlc.now(), contributor: ns.counterContributor });
    }
    const result: { value?: OperateResult } = {};
    await mutate(c, key, (current, ctx) => nextVersionForOperate(current, key, ops, policy, ctx, result));
    return result.value!;
  });
}

/** Stores a version written in another region, as the receiver's resolver decided. */
export async function applyVersion(c: EngineContext, version: RecordVersion): Promise<ApplyResult> {
  const t0 = performance.now();
  const ns = c.namespace(version?.ns);
  try {
    checkVersion(version);
    // Local writes after this one must get later luts than the remote write (and than every counter epoch it holds).
    c.hlc.observe(version.counters === undefined && version.dormantCounters === undefined ? version.lut : Math.max(version.lut, newestCounterEpoch(version)));
    ns.store(version, version.deleted ? 'delete' : 'write', !version.deleted);
    const durable = ns.durable();
    if (durable !== null) await durable;
    ns.stats.applySuccess++;
    c.done(ns.name, 'apply', t0, 'success');
    return { applied: true };
  } catch (err) {
    ns.stats.applyError++;
    c.done(ns.name, 'apply', t0, 'error', err);
    throw err;
  }
}

/**
 * Reads the current version, lets `decide` pick the version to store and
 * stores it, all before the first await: no local write can land between the
 * read and the store (applyVersion's synchronous part runs to the store when
 * called). Resolves once the stored version is durable as the mode requires.
 */
export function applyDecided(c: EngineContext, nsName: string, digest: Digest, decide: (local: RecordVersion | null) => RecordVersion | null): Promise<ApplyResult> {
  try {
    const ns = c.namespace(nsName);
    checkDigest(digest, 'a digest', nsName);
    const winner = decide(ns.currentVersion(digest).version);
    if (winner === null) return Promise.resolve({ applied: false });
    return applyVersion(c, winner);
  } catch (err) {
    return Promise.reject(err);
  }
}
