/**
 * Scans and secondary-index queries by partition, in digest order within each
 * partition: what Aerospike clients ask for (every scan and query names the
 * partitions to read, and a partition can be resumed after the last digest a
 * previous page returned). Records of one partition come out in ascending
 * digest order, so "after digest d" is well defined; after each partition the
 * stream says it is done.
 *
 * A scan snapshots the slots of the wanted partitions once (a counting sort of
 * the primary index, 4 bytes a record), then decodes one partition at a time
 * in chunks, yielding to the event loop between chunks. A slot removed or
 * reused after the snapshot is skipped (its digest no longer matches, or it is
 * no longer visible), as a record written after it may be missed: like
 * Aerospike's, a scan is not a point-in-time snapshot. A query collects the
 * candidate slots its index finds (bounded by the matches), groups them by
 * partition and sorts each group by digest the same way.
 */
import type { PartitionScanItem, PartitionScanOptions } from '../api.js';
import { DIGEST_BYTES, PARTITION_COUNT, partitionId } from '../digest.js';
import type { Namespace } from '../namespace/namespace.js';
import { opsError } from '../operations/index.js';
import { isVisible, toStoredRecord, yieldToLoop } from './stored-record.js';
import { type NamespaceLookup, SCAN_CHUNK_SLOTS, QUERY_PAGE_ENTRIES } from './scan.js';
import { filterRanges, matchesFilter, type EntryCursor, type SecondaryIndex } from '../secondary-index/index.js';
import type { Digest, RecordVersion } from '../../record/index.js';

/** Most partitions one request may name (all of them). */
const PARTITIONS_MAX = PARTITION_COUNT;

export function checkPartitionScanOptions(options: PartitionScanOptions): void {
  if (typeof options !== 'object' || options === null) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'partition scan options must be an object');
  const { partitions, resumeAfter } = options;
  if (!Array.isArray(partitions) || partitions.length > PARTITIONS_MAX || partitions.some((p) => !Number.isInteger(p) || p < 0 || p >= PARTITION_COUNT)) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `partitions must be a list of partition ids 0..${PARTITION_COUNT - 1}`);
  }
  if (resumeAfter !== undefined && (!Array.isArray(resumeAfter) || resumeAfter.some((d) => !(d instanceof Uint8Array) || d.length !== DIGEST_BYTES))) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `resumeAfter must be a list of ${DIGEST_BYTES}-byte digests`);
  }
}

/** Per wanted partition: whether it is wanted, and the digest to resume after (null: from the start). */
function wantedPartitions(options: PartitionScanOptions): { pids: number[]; after: Map<number, Digest> } {
  const after = new Map<number, Digest>();
  const seen = new Uint8Array(PARTITION_COUNT);
  for (const pid of options.partitions) seen[pid] = 1;
  for (const d of options.resumeAfter ?? []) {
    const pid = partitionId(d);
    seen[pid] = 1;
    after.set(pid, d);
  }
  const pids: number[] = [];
  for (let pid = 0; pid < PARTITION_COUNT; pid++) if (seen[pid] === 1) pids.push(pid);
  return { pids, after };
}

function compareDigestAt(flat: Uint8Array, a: number, b: number): number {
  const pa = a * DIGEST_BYTES;
  const pb = b * DIGEST_BYTES;
  for (let i = 0; i < DIGEST_BYTES; i++) {
    const d = flat[pa + i]! - flat[pb + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function compareToDigest(flat: Uint8Array, a: number, digest: Digest): number {
  const pa = a * DIGEST_BYTES;
  for (let i = 0; i < DIGEST_BYTES; i++) {
    const d = flat[pa + i]! - digest[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** The slots of `slots` in ascending digest order, only those after `after`, with their digests. */
function sortByDigest(ns: Namespace, slots: ArrayLike<number>, after: Digest | undefined): Array<{ slot: number; digest: Digest }> {
  const n = slots.length;
  const flat = new Uint8Array(n * DIGEST_BYTES);
  for (let i = 0; i < n; i++) ns.index.digestAt(slots[i]!, flat, i * DIGEST_BYTES);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (after === undefined || compareToDigest(flat, i, after) > 0) order.push(i);
  order.sort((a, b) => compareDigestAt(flat, a, b));
  return order.map((i) => ({ slot: slots[i]!, digest: flat.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES) }));
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw opsError('ENGINE_ERR_ABORTED', 'the scan was aborted by its caller');
}

/** Yields the records of one partition's sorted entries (re-checked), chunk by chunk, then its done marker. */
async function* emitPartition(
  lookup: NamespaceLookup,
  pid: number,
  entries: Array<{ slot: number; digest: Digest }>,
  options: PartitionScanOptions,
  inSet: (ns: Namespace, slot: number) => boolean,
  matches: ((bins: RecordVersion['bins']) => boolean) | null,
): AsyncGenerator<PartitionScanItem> {
  for (let first = 0; first < entries.length; first += SCAN_CHUNK_SLOTS) {
    checkAbort(options.signal);
    const ns = lookup();
    const nowSec = ns.nowSec();
    const chunk: PartitionScanItem[] = [];
    const end = Math.min(first + SCAN_CHUNK_SLOTS, entries.length);
    for (let i = first; i < end; i++) {
      const { slot, digest } = entries[i]!;
      if (!ns.index.isLive(slot) || !ns.index.digestEquals(slot, digest) || !isVisible(ns, slot, nowSec) || !inSet(ns, slot)) continue;
      const version = ns.versionAt(slot, digest);
      if (matches !== null && !matches(version.bins)) continue;
      chunk.push({ pid, record: toStoredRecord(version, options.noBins === true ? [] : options.bins, nowSec), set: version.set });
    }
    for (const item of chunk) yield item;
    if (end < entries.length) await yieldToLoop();
  }
  yield { pid, done: true };
}

function setFilter(ns: Namespace, set: string | undefined): ((ns: Namespace, slot: number) => boolean) | null {
  if (set === undefined) return () => true;
  const setId = ns.index.sets.find(set);
  if (setId < 0) return null;
  return (n, slot) => n.index.setId(slot) === setId;
}

/** A scan of the wanted partitions (see the module comment). */
export async function* scanPartitionRecords(lookup: NamespaceLookup, options: PartitionScanOptions): AsyncGenerator<PartitionScanItem> {
  const { pids, after } = wantedPartitions(options);
  let ns = lookup();
  const inSet = setFilter(ns, options.set);
  if (inSet === null) {
    for (const pid of pids) yield { pid, done: true };
    return;
  }
  const snapshot = ns.index.partitionSnapshot();
  for (const pid of pids) {
    checkAbort(options.signal);
    ns = lookup();
    const slots = snapshot.slots.subarray(snapshot.starts[pid]!, snapshot.starts[pid + 1]!);
    yield* emitPartition(lookup, pid, sortByDigest(ns, slots, after.get(pid)), options, inSet, null);
  }
}

/** A secondary-index query of the wanted partitions: candidates from the index, grouped by partition, in digest order. */
export async function* queryPartitionRecords(lookup: NamespaceLookup, index: SecondaryIndex, options: PartitionScanOptions): AsyncGenerator<PartitionScanItem> {
  const filter = options.filter!;
  const { pids, after } = wantedPartitions(options);
  const wanted = new Uint8Array(PARTITION_COUNT);
  for (const pid of pids) wanted[pid] = 1;
  const byPid = new Map<number, number[]>();
  for (const [lo, hi] of filterRanges(filter)) {
    let cursor: EntryCursor | null = null;
    const page: number[] = [];
    do {
      checkAbort(options.signal);
      const ns = lookup();
      page.length = 0;
      cursor = index.read(lo, hi, cursor, QUERY_PAGE_ENTRIES, page);
      for (const slot of page) {
        const pid = ns.index.partitionOf(slot);
        if (wanted[pid] !== 1) continue;
        let list = byPid.get(pid);
        if (list === undefined) byPid.set(pid, (list = []));
        list.push(slot);
      }
      if (cursor !== null) await yieldToLoop();
    } while (cursor !== null);
  }
  const inSet = setFilter(lookup(), options.set);
  for (const pid of pids) {
    const slots = byPid.get(pid);
    if (slots === undefined || inSet === null) {
      yield { pid, done: true };
      continue;
    }
    // The index may hold a string-hash collision or an entry a write is about to replace: the record decides.
    yield* emitPartition(lookup, pid, sortByDigest(lookup(), [...new Set(slots)], after.get(pid)), options, inSet, (bins) => matchesFilter(filter, bins));
  }
}
