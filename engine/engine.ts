/**
 * The engine: namespaces of records on devices or in RAM, with an HLC, typed
 * errors and a change log per namespace. Engine opens and closes the
 * namespaces and answers every request through the module of its concern:
 * requests/writes.ts (put, remove, touch, operate, replicated versions),
 * requests/reads.ts (get, exists, batch, stored versions), requests/streams.ts
 * (scans, queries, versions since a lut) and requests/admin.ts (secondary
 * indexes, statistics, nsup, recovery).
 */
import { pino } from 'pino';
import type {
  ApplyResult, BatchKey, ChangeLogApi, EngineApi, EngineOpsApi, Operation, OperateResult, PartitionScanItem, PartitionScanOptions, QueryFilter,
  ReadOptions, RemovePolicy, ScanOptions, SecondaryIndexSpec, StoredVersionView, VersionScanOptions, WritePolicy,
} from './api.js';
import { Hlc } from '../record/index.js';
import { systemClock } from './system-clock.js';
import type { Namespace } from './namespace/namespace.js';
import { openNamespace, type OpenedNamespace } from './namespace/open.js';
import type { NamespaceStatsSnapshot } from './namespace/stats.js';
import type { StartReport } from './namespace/start-report.js';
import { resolveEngineOptions, type EngineOptions } from './options.js';
import * as admin from './requests/admin.js';
import { EngineContext } from './requests/context.js';
import * as reads from './requests/reads.js';
import * as streams from './requests/streams.js';
import * as writes from './requests/writes.js';
import type { RecordKey, RecordMetaView, StoredRecord } from './types.js';
import type { Bins, Digest, HlcTimestamp, RecordVersion } from '../record/index.js';

export class Engine implements EngineApi, EngineOpsApi {
  private readonly c: EngineContext;

  private constructor(c: EngineContext) {
    this.c = c;
  }

  get regionId(): number {
    return this.c.regionId;
  }

  get hlc(): Hlc {
    return this.c.hlc;
  }

  /** Opens (recovering as needed) every configured namespace. */
  static async open(options: EngineOptions): Promise<Engine> {
    const resolved = resolveEngineOptions(options);
    const logger = options.logger ?? pino({ level: 'silent' });
    const c = new EngineContext(resolved.regionId, new Hlc(options.clock ?? systemClock), logger);
    const engine = new Engine(c);
    try {
      for (const o of resolved.namespaces) c.add(await openNamespace(o, c.hlc, resolved.regionId, logger));
      // Secondary indexes are rebuilt from the records before any client request.
      await admin.restoreIndexes(c);
    } catch (err) {
      await engine.close().catch(() => {});
      throw err;
    }
    return engine;
  }

  namespaces(): string[] {
    return this.c.names();
  }

  /** The namespace object (tests and tools look inside); throws ENGINE_ERR_NAMESPACE_NOT_FOUND / ENGINE_ERR_CLOSED. */
  namespace(name: string): Namespace {
    return this.c.namespace(name);
  }

  put(key: RecordKey, bins: Bins, policy?: WritePolicy): Promise<RecordMetaView> {
    return writes.put(this.c, key, bins, policy);
  }

  remove(key: RecordKey, policy?: RemovePolicy): Promise<boolean> {
    return writes.remove(this.c, key, policy);
  }

  touch(key: RecordKey, ttlSec?: number): Promise<RecordMetaView> {
    return writes.touch(this.c, key, ttlSec);
  }

  operate(key: RecordKey, ops: Operation[], policy?: WritePolicy): Promise<OperateResult> {
    return writes.operate(this.c, key, ops, policy);
  }

  applyVersion(version: RecordVersion): Promise<ApplyResult> {
    return writes.applyVersion(this.c, version);
  }

  applyDecided(nsName: string, digest: Digest, decide: (local: RecordVersion | null) => RecordVersion | null): Promise<ApplyResult> {
    return writes.applyDecided(this.c, nsName, digest, decide);
  }

  get(key: RecordKey, options?: ReadOptions): Promise<StoredRecord | null> {
    return reads.get(this.c, key, options);
  }

  exists(key: RecordKey): Promise<RecordMetaView | null> {
    return reads.exists(this.c, key);
  }

  batchGet(keys: BatchKey[], options?: ReadOptions): Promise<Array<StoredRecord | null>> {
    return reads.batchGet(this.c, keys, options);
  }

  readVersion(nsName: string, digest: Digest): Promise<RecordVersion | null> {
    return reads.readVersion(this.c, nsName, digest);
  }

  readStoredVersions<T>(nsName: string, digests: readonly Digest[], read: (stored: StoredVersionView) => T): Promise<Array<T | null>> {
    return reads.readStoredVersions(this.c, nsName, digests, read);
  }

  scan(nsName: string, options?: ScanOptions): AsyncIterable<StoredRecord> {
    return streams.scan(this.c, nsName, options);
  }

  query(nsName: string, filter: QueryFilter, options?: ScanOptions): AsyncIterable<StoredRecord> {
    return streams.query(this.c, nsName, filter, options);
  }

  scanPartitions(nsName: string, options: PartitionScanOptions): AsyncIterable<PartitionScanItem> {
    return streams.scanPartitions(this.c, nsName, options);
  }

  scanVersionsSince(nsName: string, sinceLut: HlcTimestamp, options?: VersionScanOptions): AsyncIterable<RecordVersion> {
    return streams.scanVersionsSince(this.c, nsName, sinceLut, options);
  }

  changeLog(nsName: string): ChangeLogApi {
    return this.c.namespace(nsName).log;
  }

  now(): HlcTimestamp {
    return this.c.hlc.now();
  }

  createIndex(spec: SecondaryIndexSpec): Promise<void> {
    return admin.createIndex(this.c, spec);
  }

  dropIndex(nsName: string, name: string): Promise<void> {
    return admin.dropIndex(this.c, nsName, name);
  }

  listIndexes(nsName: string): SecondaryIndexSpec[] {
    return admin.listIndexes(this.c, nsName);
  }

  /** The namespace's counters (Aerospike metric names) plus `ops` per operation type with latencies, `setObjects`, `sindexes` and `start`. */
  stats(nsName: string): NamespaceStatsSnapshot & admin.RequestStats {
    return admin.stats(this.c, nsName);
  }

  /** Per-operation counters and latency percentiles, objects per set, secondary-index sizes. */
  opsStats(nsName: string): admin.RequestStats {
    return admin.requestStats(this.c, nsName);
  }

  /** Runs one nsup cycle of a namespace now (tests and operators; it also runs every nsup-period). */
  runNsup(nsName: string): ReturnType<typeof admin.runNsup> {
    return admin.runNsup(this.c, nsName);
  }

  /** How the namespace was recovered at open. */
  recoveryInfo(nsName: string): OpenedNamespace['recovery'] {
    return admin.recoveryInfo(this.c, nsName);
  }

  /** What this start can tell about the namespace's previous stop, and which acknowledged changes it may have lost. */
  startReport(nsName: string): StartReport {
    return admin.startReport(this.c, nsName);
  }

  async close(): Promise<void> {
    if (this.c.closed) return;
    this.c.closed = true;
    const errors: unknown[] = [];
    for (const { opened } of this.c.all()) await opened.close().catch((err) => errors.push(err));
    if (errors.length > 0) throw errors[0];
    this.c.logger.debug('engine closed');
  }
}
