/**
 * Compares two regions through their gateways' partition endpoints: the hash
 * of every partition first (4096 per namespace, fetched in ranges so a large
 * namespace shows progress and never makes one huge request), then, for the
 * partitions that differ, both record listings, merged into record-level
 * differences. Partitions that differ may be re-checked after a delay, which
 * tells replication still in flight from a real divergence.
 */
import { PARTITION_COUNT, type PartitionDigest, type PartitionRecordEntry } from '../../engine/index.js';
import { diffRecords, differingPartitions, type RecordDiff } from './compare.js';
import { VerifyError } from './errors.js';

/** A region as verify reaches it: a name for messages and a JSON GET against its gateway. */
export interface RegionEndpoint {
  name: string;
  get<T>(path: string): Promise<T>;
}

export interface VerifyOptions {
  from: RegionEndpoint;
  to: RegionEndpoint;
  /** Namespaces to compare. @default every namespace both regions have */
  namespaces?: string[];
  /** Leave tombstones out. @default false */
  liveOnly?: boolean;
  /** Partitions per hash request. @default 256 */
  partitionsPerRequest?: number;
  /** Record differences kept per namespace (the count is exact for the partitions listed). @default 1000 */
  diffsMax?: number;
  /**
   * Differing partitions listed record by record per namespace; past it only
   * the partition ids are reported (each listing is a pass over the index, and
   * a region that lost everything differs in all 4096). @default 256
   */
  listPartitionsMax?: number;
  /** Re-checks of differing partitions before they count (replication in flight settles). @default 0 (the CLI asks for 3) */
  rechecks?: number;
  /** @default 1000 */
  recheckDelayMs?: number;
  /** Called after each range of partitions with the partitions compared so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface NamespaceReport {
  ns: string;
  records: { from: number; to: number };
  differingPartitions: number[];
  /** Record differences found in the listed partitions, of which `diffs` keeps the first diffsMax. */
  diffCount: number;
  /** Differing partitions not listed record by record (past listPartitionsMax). */
  unlistedPartitions: number;
  diffs: RecordDiff[];
  /** Partitions that differed at first and were equal on a re-check: replication that was in flight and arrived. */
  settledPartitions: number;
  /** Differing partitions whose record listings came out equal: they changed while being compared (replication still applying). */
  inFlightPartitions: number[];
}

/**
 * identical: every partition hash matched (after re-checks); in-flight: some
 * partitions kept changing while compared but no record differs; different: a
 * record differs (or a differing partition was not listed).
 */
export type VerifyVerdict = 'identical' | 'in-flight' | 'different';

export interface VerifyReport {
  from: string;
  to: string;
  identical: boolean;
  verdict: VerifyVerdict;
  namespaces: NamespaceReport[];
}

interface DigestsReply {
  partitions: PartitionDigest[];
}
interface RecordsReply {
  records: PartitionRecordEntry[];
  truncated: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function namespacesOf(r: RegionEndpoint): Promise<string[]> {
  return (await r.get<{ namespaces: string[] }>('/v1/admin/partitions')).namespaces;
}

async function chooseNamespaces(o: VerifyOptions): Promise<string[]> {
  const [a, b] = await Promise.all([namespacesOf(o.from), namespacesOf(o.to)]);
  if (o.namespaces === undefined || o.namespaces.length === 0) return a.filter((ns) => b.includes(ns));
  for (const ns of o.namespaces) {
    for (const [r, list] of [[o.from, a], [o.to, b]] as const) {
      if (!list.includes(ns)) throw new VerifyError('XDR_ERR_VERIFY_NAMESPACE_MISSING', `namespace ${ns} is not configured in ${r.name} (it has: ${list.join(', ') || 'none'})`, { ns, region: r.name });
    }
  }
  return o.namespaces;
}

function digestsPath(ns: string, from: number, to: number, liveOnly: boolean): string {
  return `/v1/admin/partitions/${encodeURIComponent(ns)}?from=${from}&to=${to}${liveOnly ? '&liveOnly=true' : ''}`;
}

async function digestsOf(o: VerifyOptions, ns: string, from: number, to: number): Promise<[PartitionDigest[], PartitionDigest[]]> {
  const path = digestsPath(ns, from, to, o.liveOnly ?? false);
  const [a, b] = await Promise.all([o.from.get<DigestsReply>(path), o.to.get<DigestsReply>(path)]);
  return [a.partitions, b.partitions];
}

async function recordsOf(r: RegionEndpoint, ns: string, pid: number, liveOnly: boolean): Promise<PartitionRecordEntry[]> {
  const reply = await r.get<RecordsReply>(`/v1/admin/partitions/${encodeURIComponent(ns)}/${pid}${liveOnly ? '?liveOnly=true' : ''}`);
  return reply.records;
}

/** Re-fetches the differing partitions one by one; returns those that still differ. */
async function recheck(o: VerifyOptions, ns: string, pids: number[]): Promise<number[]> {
  let left = pids;
  for (let attempt = 0; attempt < (o.rechecks ?? 0) && left.length > 0; attempt++) {
    await sleep(o.recheckDelayMs ?? 1000);
    const still: number[] = [];
    for (const pid of left) {
      const [a, b] = await digestsOf(o, ns, pid, pid);
      if (differingPartitions(a, b).length > 0) still.push(pid);
    }
    left = still;
  }
  return left;
}

export async function verifyRegions(o: VerifyOptions): Promise<VerifyReport> {
  const namespaces = await chooseNamespaces(o);
  const step = Math.max(1, Math.min(PARTITION_COUNT, o.partitionsPerRequest ?? 256));
  const total = namespaces.length * PARTITION_COUNT;
  let done = 0;
  const reports: NamespaceReport[] = [];
  for (const ns of namespaces) {
    const records = { from: 0, to: 0 };
    let differing: number[] = [];
    for (let first = 0; first < PARTITION_COUNT; first += step) {
      const last = Math.min(PARTITION_COUNT - 1, first + step - 1);
      const [a, b] = await digestsOf(o, ns, first, last);
      for (const p of a) records.from += p.records;
      for (const p of b) records.to += p.records;
      differing.push(...differingPartitions(a, b));
      done += last - first + 1;
      o.onProgress?.(done, total);
    }
    const firstDiffering = differing.length;
    differing = await recheck(o, ns, differing);
    const diffs: RecordDiff[] = [];
    let diffCount = 0;
    const inFlight: number[] = [];
    const listed = differing.slice(0, o.listPartitionsMax ?? 256);
    for (const pid of listed) {
      const [a, b] = await Promise.all([recordsOf(o.from, ns, pid, o.liveOnly ?? false), recordsOf(o.to, ns, pid, o.liveOnly ?? false)]);
      const found = diffRecords(a, b);
      if (found.length === 0) inFlight.push(pid);
      for (const d of found) {
        diffCount++;
        if (diffs.length < (o.diffsMax ?? 1000)) diffs.push(d);
      }
    }
    reports.push({ ns, records, differingPartitions: differing, diffCount, diffs, unlistedPartitions: differing.length - listed.length, settledPartitions: firstDiffering - differing.length, inFlightPartitions: inFlight });
  }
  return { from: o.from.name, to: o.to.name, identical: reports.every((r) => r.differingPartitions.length === 0), verdict: verdictOf(reports), namespaces: reports };
}

export function verdictOf(reports: readonly NamespaceReport[]): VerifyVerdict {
  if (reports.every((r) => r.differingPartitions.length === 0)) return 'identical';
  return reports.every((r) => r.diffCount === 0 && r.unlistedPartitions === 0) ? 'in-flight' : 'different';
}
