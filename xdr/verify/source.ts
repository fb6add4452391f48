/**
 * What the partition endpoints need from a region: its namespaces, partition
 * hashes and record listings. The gateway gives the real engine's
 * (`enginePartitionSource`); tests may give a fake.
 */
import { Engine, partitionDigests, partitionRecords, type PartitionDigest, type PartitionDigestOptions, type PartitionRecordEntry } from '../../engine/index.js';

export interface PartitionSource {
  namespaces(): string[];
  digests(ns: string, fromPid: number, toPid: number, options: PartitionDigestOptions): Promise<PartitionDigest[]>;
  records(ns: string, pid: number, options: PartitionDigestOptions & { recordsMax?: number }): Promise<{ records: PartitionRecordEntry[]; truncated: boolean }>;
}

/** The engine's partitions, or undefined when `engine` is not the real Engine (fakes in tests). */
export function enginePartitionSource(engine: unknown): PartitionSource | undefined {
  if (!(engine instanceof Engine)) return undefined;
  return {
    namespaces: () => engine.namespaces(),
    digests: (ns, fromPid, toPid, options) => partitionDigests(engine, ns, fromPid, toPid, options),
    records: (ns, pid, options) => partitionRecords(engine, ns, pid, options),
  };
}
