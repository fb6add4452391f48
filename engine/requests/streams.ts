/**
 * The requests that stream many records: scans, secondary-index queries,
 * scans by partition, and the versions changed since a lut (the shipper's
 * recovery scan). Errors (unknown namespace, bad options, abort, closed engine)
 * surface on iteration, never from the call itself.
 */
import type { PartitionScanItem, PartitionScanOptions, QueryFilter, ScanOptions, VersionScanOptions } from '../api.js';
import { isEngineError } from '../errors.js';
import { checkFilter } from '../secondary-index/index.js';
import type { StoredRecord } from '../types.js';
import type { HlcTimestamp, RecordVersion } from '../../record/index.js';
import type { EngineContext, NamespaceEntry } from './context.js';
import { checkPartitionScanOptions, queryPartitionRecords, scanPartitionRecords } from './partition-scan.js';
import { checkScanOptions, queryRecords, scanRecords } from './scan.js';

/** Versions per batch of scanVersionsSince before it yields to the event loop. */
const SCAN_BATCH = 256;

export function scan(c: EngineContext, nsName: string, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
  async function* run(): AsyncGenerator<StoredRecord> {
    c.entry(nsName);
    checkScanOptions(options);
    yield* scanRecords(() => c.namespace(nsName), options);
  }
  return c.counted(nsName, 'scan', run());
}

export function query(c: EngineContext, nsName: string, filter: QueryFilter, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
  async function* run(): AsyncGenerator<StoredRecord> {
    const entry = c.entry(nsName);
    checkFilter(filter);
    checkScanOptions(options);
    const index = await builtIndex(entry, filter, options.set);
    yield* queryRecords(() => c.namespace(nsName), index, filter, options);
  }
  return c.counted(nsName, 'query', run());
}

export function scanPartitions(c: EngineContext, nsName: string, options: PartitionScanOptions): AsyncIterable<PartitionScanItem> {
  async function* run(): AsyncGenerator<PartitionScanItem> {
    const entry = c.entry(nsName);
    checkPartitionScanOptions(options);
    const lookup = () => c.namespace(nsName);
    if (options.filter === undefined) {
      yield* scanPartitionRecords(lookup, options);
      return;
    }
    checkFilter(options.filter);
    const index = await builtIndex(entry, options.filter, options.set);
    yield* queryPartitionRecords(lookup, index, options);
  }
  return c.counted(nsName, options?.filter === undefined ? 'scan' : 'query', run());
}

/** The index a query reads; a query on an index still being built waits for the build, so it never sees half an index. */
async function builtIndex(entry: NamespaceEntry, filter: QueryFilter, set: string | undefined) {
  const index = entry.state.sindexes.forQuery(filter, set);
  const build = entry.state.builds.get(index.spec.name);
  if (build !== undefined) await build;
  return index;
}

/** Every live version (tombstones included) whose lut is after `sinceLut`, in slot order. */
export async function* scanVersionsSince(c: EngineContext, nsName: string, sinceLut: HlcTimestamp, options: VersionScanOptions = {}): AsyncIterable<RecordVersion> {
  const ns = c.namespace(nsName);
  const index = ns.index;
  const slots: number[] = [];
  index.forEach((slot) => {
    if (index.lut(slot) > sinceLut) slots.push(slot);
  });
  options.onTotal?.(slots.length);
  for (let i = 0; i < slots.length; i += SCAN_BATCH) {
    const batch: RecordVersion[] = [];
    const nowSec = ns.nowSec();
    for (const slot of slots.slice(i, i + SCAN_BATCH)) {
      // The slot may have been removed or reused since the snapshot; skip what is no longer newer.
      if (c.closed) return;
      if (!index.isLive(slot) || index.lut(slot) <= sinceLut || ns.isExpired(slot, nowSec)) continue;
      try {
        batch.push(ns.versionAt(slot));
      } catch (err) {
        // One unreadable record must not cost the caller every record after it (a
        // rewind restoring a region wants everything readable); it says which one.
        if (options.onUnreadable === undefined || !isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE')) throw err;
        options.onUnreadable(index.digestAt(slot), err);
      }
    }
    for (const v of batch) yield v;
  }
}
