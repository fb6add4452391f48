/**
 * The requests that read single records: get, exists, batch reads, and the
 * stored versions the replication side reads (as records, or lent as stored bytes).
 */
import type { BatchKey, ReadOptions, StoredVersionView } from '../api.js';
import { digestOfKey, DIGEST_BYTES } from '../digest.js';
import { EngineError } from '../errors.js';
import { BATCH_KEYS_MAX } from '../limits.js';
import { opsError } from '../operations/index.js';
import { metaView } from '../operations/record-rules.js';
import type { RecordKey, RecordMetaView, StoredRecord } from '../types.js';
import type { Digest, RecordVersion } from '../../record/index.js';
import { StoredVersionLoan } from '../namespace/namespace.js';
import type { EngineContext } from './context.js';
import type { Namespace } from '../namespace/namespace.js';
import { selectBins, yieldToLoop } from './stored-record.js';

/** Keys read per synchronous slice of a batch before yielding to the event loop. */
const BATCH_SLICE_KEYS = 500;

export async function get(c: EngineContext, key: RecordKey, options: ReadOptions = {}): Promise<StoredRecord | null> {
  const t0 = performance.now();
  const ns = c.namespace(key.ns);
  try {
    const digest = digestOfKey(key);
    // One clock read for the expiry check and the ttl returned.
    const nowSec = ns.nowSec();
    const slot = ns.findVisible(digest, nowSec);
    if (slot < 0) {
      ns.stats.readNotFound++;
      c.done(ns.name, 'read', t0, 'not-found');
      return null;
    }
    const rec = ns.storedRecordAt(slot, digest, nowSec);
    if (options.bins !== undefined) {
      const all = rec.bins;
      const bins: StoredRecord['bins'] = {};
      for (const name of options.bins) if (name in all) bins[name] = all[name]!;
      rec.bins = bins;
    }
    ns.stats.readSuccess++;
    c.done(ns.name, 'read', t0, 'success');
    return rec;
  } catch (err) {
    ns.stats.readError++;
    c.done(ns.name, 'read', t0, 'error', err);
    throw err;
  }
}

export async function exists(c: EngineContext, key: RecordKey): Promise<RecordMetaView | null> {
  const t0 = performance.now();
  const ns = c.namespace(key.ns);
  try {
    const slot = ns.findVisible(digestOfKey(key));
    if (slot < 0) {
      ns.stats.readNotFound++;
      c.done(ns.name, 'read', t0, 'not-found');
      return null;
    }
    ns.stats.readSuccess++;
    const i = ns.index;
    c.done(ns.name, 'read', t0, 'success');
    return metaView({ generation: i.generation(slot), voidTime: i.voidTime(slot), lut: i.lut(slot), region: i.region(slot) }, ns.nowSec());
  } catch (err) {
    ns.stats.readError++;
    c.done(ns.name, 'read', t0, 'error', err);
    throw err;
  }
}

export async function batchGet(c: EngineContext, keys: BatchKey[], options: ReadOptions = {}): Promise<Array<StoredRecord | null>> {
  if (!Array.isArray(keys)) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'batchGet takes a list of keys');
  if (keys.length > BATCH_KEYS_MAX) {
    throw opsError('ENGINE_ERR_BATCH_TOO_LARGE', `a batch reads at most ${BATCH_KEYS_MAX} keys, got ${keys.length}; split it`, { keys: keys.length });
  }
  const nsName = keys[0]?.ns ?? '';
  return c.timed(nsName, 'batch', async () => {
    const out: Array<StoredRecord | null> = new Array(keys.length).fill(null);
    for (let first = 0; first < keys.length; first += BATCH_SLICE_KEYS) {
      if (first > 0) await yieldToLoop();
      const end = Math.min(first + BATCH_SLICE_KEYS, keys.length);
      let ns: Namespace | null = null;
      let nowSec = 0;
      for (let i = first; i < end; i++) {
        const key = keys[i]!;
        if (key === null || typeof key !== 'object' || typeof key.set !== 'string') {
          throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'each batch key is { ns, set, key } with a string set name');
        }
        // Batches name one namespace almost always: look it up, and read the clock, once per slice and namespace.
        if (ns === null || ns.name !== key.ns) {
          ns = c.namespace(key.ns);
          nowSec = ns.nowSec();
        }
        out[i] = readOne(ns, key, options.bins, nowSec);
      }
    }
    return out;
  });
}

/** The record as a get returns it (the bins alone are decoded, not the per-bin luts), or null. */
function readOne(ns: Namespace, key: BatchKey, bins: string[] | undefined, nowSec: number): StoredRecord | null {
  const digest = digestOfKey(key);
  const slot = ns.findVisible(digest, nowSec);
  if (slot < 0) return null;
  const rec = ns.storedRecordAt(slot, digest, nowSec);
  if (bins !== undefined) rec.bins = selectBins(rec.bins, bins);
  return rec;
}

/** The current version of a record by digest, tombstones included (null when absent or expired). */
export async function readVersion(c: EngineContext, nsName: string, digest: Digest): Promise<RecordVersion | null> {
  const ns = c.namespace(nsName);
  checkDigest(digest, 'a digest', nsName);
  return ns.currentVersion(digest).version;
}

/** `read` of the current stored version of each digest (EngineApi.readStoredVersions), lent one at a time. */
export async function readStoredVersions<T>(c: EngineContext, nsName: string, digests: readonly Digest[], read: (stored: StoredVersionView) => T): Promise<Array<T | null>> {
  const ns = c.namespace(nsName);
  const out = new Array<T | null>(digests.length);
  const loan = new StoredVersionLoan(ns);
  // Synchronous over the batch: every read is from memory or the page cache, and one promise serves them all.
  for (let i = 0; i < digests.length; i++) {
    const digest = digests[i];
    checkDigest(digest, `digests[${i}]`, nsName);
    const slot = ns.findCurrent(digest);
    if (slot < 0) {
      out[i] = null;
      continue;
    }
    ns.lendStoredAt(slot, digest, loan);
    out[i] = read(loan);
  }
  return out;
}

/** Throws ENGINE_ERR_INVALID_ARGUMENT unless `digest` is 20 bytes; `what` names the argument in the message. */
export function checkDigest(digest: unknown, what: string, ns: string): asserts digest is Digest {
  if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `${what} must be 20 bytes`, { ns });
  }
}
