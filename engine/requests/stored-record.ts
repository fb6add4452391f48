/** Shared by batch reads, scans and queries: a stored version as a client sees it. */
import type { Namespace } from '../namespace/namespace.js';
import type { StoredRecord } from '../types.js';
import type { Bins, RecordVersion } from '../../record/index.js';

export function selectBins(bins: Bins, wanted: readonly string[] | undefined): Bins {
  if (wanted === undefined) return bins;
  const out: Bins = {};
  for (const name of wanted) if (Object.hasOwn(bins, name)) out[name] = bins[name]!;
  return out;
}

export function toStoredRecord(v: RecordVersion, wanted: readonly string[] | undefined, nowSec: number): StoredRecord {
  // One literal of fixed shape (no spread): batches and scans build thousands of these per call.
  const rec: StoredRecord = {
    generation: v.generation,
    ttl: v.voidTime === 0 ? -1 : Math.max(0, v.voidTime - nowSec),
    lut: v.lut,
    region: v.region,
    digest: v.digest,
    bins: selectBins(v.bins, wanted),
  };
  if (v.key !== undefined) rec.key = v.key;
  return rec;
}

/** Whether `slot` holds a record a client may see now: live, not a tombstone, not expired. */
export function isVisible(ns: Namespace, slot: number, nowSec: number): boolean {
  return ns.index.isLive(slot) && !ns.index.isTombstone(slot) && !ns.isExpired(slot, nowSec);
}

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
