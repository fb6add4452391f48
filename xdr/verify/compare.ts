/**
 * Pure comparison of two regions' partition hashes and record listings. No
 * I/O: verify.ts fetches, this decides what differs.
 */
import type { PartitionDigest, PartitionRecordEntry } from '../../engine/index.js';

/** Metadata fields compared record by record (the hash covers the bins as well). */
const FIELDS = ['set', 'key', 'deleted', 'generation', 'lut', 'region', 'voidTime', 'bins'] as const;

export type RecordDiff =
  | { kind: 'missing'; in: 'from' | 'to'; record: PartitionRecordEntry }
  | { kind: 'different'; digest: string; fields: string[]; from: PartitionRecordEntry; to: PartitionRecordEntry };

/** Partition ids whose hash (or record count) differs. */
export function differingPartitions(from: readonly PartitionDigest[], to: readonly PartitionDigest[]): number[] {
  const byPid = new Map(to.map((p) => [p.pid, p]));
  const out: number[] = [];
  for (const p of from) {
    const q = byPid.get(p.pid);
    if (q === undefined || q.hash !== p.hash || q.records !== p.records) out.push(p.pid);
    byPid.delete(p.pid);
  }
  for (const q of byPid.values()) out.push(q.pid);
  return out.sort((a, b) => a - b);
}

/**
 * Record-level differences of one partition. Both listings are in digest
 * order (the endpoint guarantees it), so one merge pass finds them all.
 */
export function diffRecords(from: readonly PartitionRecordEntry[], to: readonly PartitionRecordEntry[]): RecordDiff[] {
  const out: RecordDiff[] = [];
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    const a = from[i];
    const b = to[j];
    if (b === undefined || (a !== undefined && a.digest < b.digest)) {
      out.push({ kind: 'missing', in: 'to', record: a! });
      i++;
    } else if (a === undefined || b.digest < a.digest) {
      out.push({ kind: 'missing', in: 'from', record: b });
      j++;
    } else {
      if (a.hash !== b.hash) {
        const fields = FIELDS.filter((f) => a[f] !== b[f]);
        // Same metadata and bin count but another hash: the bin values (or bin luts, counters) differ.
        out.push({ kind: 'different', digest: a.digest, fields: fields.length > 0 ? fields : ['bin values'], from: a, to: b });
      }
      i++;
      j++;
    }
  }
  return out;
}

/** One line per difference, naming the record as a user would (set and key) and what differs. */
export function describeDiff(ns: string, d: RecordDiff, names: { from: string; to: string }): string {
  const id = (r: PartitionRecordEntry) => `${ns}/${r.set}/${r.key === undefined ? `digest:${r.digest}` : `${r.key}${r.keyType && r.keyType !== 'string' ? ` (${r.keyType})` : ''}`}`;
  const state = (r: PartitionRecordEntry) => `${r.deleted ? 'tombstone' : `${r.bins} bins`}, gen ${r.generation}, lut ${r.lut}, region ${r.region}`;
  if (d.kind === 'missing') {
    const present = d.in === 'to' ? names.from : names.to;
    const absent = d.in === 'to' ? names.to : names.from;
    return `${id(d.record)}: only in ${present} (${state(d.record)}); missing in ${absent}`;
  }
  const detail = d.fields.map((f) => (f === 'bin values' ? 'bin values' : `${f} ${JSON.stringify(d.from[f as keyof PartitionRecordEntry])} vs ${JSON.stringify(d.to[f as keyof PartitionRecordEntry])}`));
  return `${id(d.from)}: differs (${detail.join('; ')}) [${names.from} vs ${names.to}]`;
}
