/**
 * Scans, secondary-index queries and index builds. Each walks its source in
 * small chunks, decodes one chunk synchronously and yields to the event loop
 * before the next, so writes keep flowing while a scan of millions of records
 * runs. Positions are slot numbers (scans) or index values (queries), never
 * snapshots of the data, so memory stays bounded whatever the namespace's size.
 */
import type { QueryFilter, ScanOptions } from '../api.js';
import type { Namespace } from '../namespace/namespace.js';
import { opsError } from '../operations/index.js';
import { isVisible, toStoredRecord, yieldToLoop } from './stored-record.js';
import { filterRanges, matchesFilter, type EntryCursor, type SecondaryIndex } from '../secondary-index/index.js';
import type { StoredRecord } from '../types.js';

/** Slots examined per chunk between yields (a chunk decodes at most this many records: ~1–2 ms). */
export const SCAN_CHUNK_SLOTS = 512;
/** Index entries fetched per query page. */
export const QUERY_PAGE_ENTRIES = 256;

/** The namespace, re-fetched per chunk so that a scan stops with ENGINE_ERR_CLOSED once the engine closes. */
export type NamespaceLookup = () => Namespace;

export function checkScanOptions(options: ScanOptions): void {
  if (typeof options !== 'object' || options === null) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'scan options must be an object');
  if (options.set !== undefined && typeof options.set !== 'string') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'scan option set must be a string');
  if (options.bins !== undefined && (!Array.isArray(options.bins) || options.bins.some((b) => typeof b !== 'string'))) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'scan option bins must be a list of bin names');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'scan option onProgress must be a function');
  }
}

function checkAbort(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) {
    const err = opsError('ENGINE_ERR_ABORTED', `the ${what} was aborted by its caller`);
    (err as { cause?: unknown }).cause = signal.reason;
    throw err;
  }
}

/**
 * Calls `onChunk` with the visible record slots of the namespace (optionally of
 * one set), chunk by chunk, yielding between chunks. `onChunk` runs
 * synchronously, so the slots are unchanged since the visibility check.
 */
export async function forEachVisibleSlot(
  lookup: NamespaceLookup,
  set: string | undefined,
  onChunk: (ns: Namespace, slots: number[]) => void,
  signal: AbortSignal | undefined,
  what: string,
): Promise<void> {
  const slots: number[] = [];
  for (let first = 0; ; first += SCAN_CHUNK_SLOTS) {
    checkAbort(signal, what);
    const ns = lookup();
    if (first >= ns.index.slotHighWater) return;
    // A set the namespace has never seen has no records (find never adds a set).
    const setId = set === undefined ? -1 : ns.index.sets.find(set);
    if (set !== undefined && setId < 0) return;
    visibleSlots(ns, first, setId, slots);
    onChunk(ns, slots);
    await yieldToLoop();
  }
}

/** The visible slots of [first, first + SCAN_CHUNK_SLOTS), optionally of one set id (-1 = any). */
function visibleSlots(ns: Namespace, first: number, setId: number, out: number[]): void {
  const index = ns.index;
  const end = Math.min(first + SCAN_CHUNK_SLOTS, index.slotHighWater);
  const nowSec = ns.nowSec();
  out.length = 0;
  for (let slot = first; slot < end; slot++) {
    if (!isVisible(ns, slot, nowSec)) continue;
    if (setId >= 0 && index.setId(slot) !== setId) continue;
    out.push(slot);
  }
}

/**
 * Streams visible records in slot order. Each chunk is decoded synchronously
 * (slots cannot change within it) and handed out before the next is read, so a
 * slow consumer holds back the scan rather than filling memory. A record
 * written during the scan appears if its slot is still ahead of the scan.
 */
export async function* scanRecords(lookup: NamespaceLookup, options: ScanOptions): AsyncGenerator<StoredRecord> {
  checkScanOptions(options);
  let visited = 0;
  const slots: number[] = [];
  for (let first = 0; ; first += SCAN_CHUNK_SLOTS) {
    checkAbort(options.signal, 'scan');
    const ns = lookup();
    if (first >= ns.index.slotHighWater) return;
    const setId = options.set === undefined ? -1 : ns.index.sets.find(options.set);
    if (options.set !== undefined && setId < 0) return;
    visibleSlots(ns, first, setId, slots);
    const nowSec = ns.nowSec();
    const chunk = slots.map((slot) => toStoredRecord(ns.versionAt(slot), options.bins, nowSec));
    visited += chunk.length;
    for (const rec of chunk) yield rec;
    options.onProgress?.(visited);
    await yieldToLoop();
  }
}

/**
 * Streams the records an index finds for `filter`, re-checking each against the
 * record itself. A filter of several key ranges (geo) can meet a record in more
 * than one (a list of points in different cells): each record is sent once.
 */
export async function* queryRecords(lookup: NamespaceLookup, index: SecondaryIndex, filter: QueryFilter, options: ScanOptions): AsyncGenerator<StoredRecord> {
  checkScanOptions(options);
  const ranges = filterRanges(filter);
  const seen = ranges.length > 1 ? new Set<number>() : null;
  let visited = 0;
  const slots: number[] = [];
  for (const [lo, hi] of ranges) {
    let cursor: EntryCursor | null = null;
    do {
      checkAbort(options.signal, 'query');
      const ns = lookup();
      slots.length = 0;
      cursor = index.read(lo, hi, cursor, QUERY_PAGE_ENTRIES, slots);
      const nowSec = ns.nowSec();
      const setId = options.set === undefined ? -1 : ns.index.sets.find(options.set);
      if (options.set !== undefined && setId < 0) return;
      const page: StoredRecord[] = [];
      for (const slot of slots) {
        if (!isVisible(ns, slot, nowSec)) continue;
        if (setId >= 0 && ns.index.setId(slot) !== setId) continue;
        if (seen !== null) {
          if (seen.has(slot)) continue;
          seen.add(slot);
        }
        visited++;
        const v = ns.versionAt(slot);
        // The index may hold a string-hash collision, a geo candidate outside the exact shape, or an entry a write is about to replace: the record decides.
        if (matchesFilter(filter, v.bins)) page.push(toStoredRecord(v, options.bins, nowSec));
      }
      for (const rec of page) yield rec;
      options.onProgress?.(visited);
      if (cursor !== null || slots.length > 0) await yieldToLoop();
    } while (cursor !== null);
  }
}
