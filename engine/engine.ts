/**
 * The engine: namespaces of records on devices or in RAM, with an HLC, typed
 * errors and a change log per namespace. Client operations validate their
 * input, compute the next version with the pure rules of operations/record-rules.ts and
 * store it through the one write path (Engine.mutate → Namespace.store); in
 * commit-to-device mode they resolve only once the write is fsync'd.
 */
import { pino, type Logger } from 'pino';
import type {
  ApplyResult, BatchKey, ChangeLogApi, EngineApi, EngineOpsApi, Operation, OperateResult, PartitionScanItem, PartitionScanOptions, QueryFilter, ReadOptions, RemovePolicy, ScanOptions,
  SecondaryIndexSpec, WritePolicy, EncodedVersion, VersionScanOptions,
} from './api.js';
import { checkBins } from './operations/bin-check.js';
import { digestOfKey, DIGEST_BYTES } from './digest.js';
import { EngineOps, type EngineOpsStats } from './engine-ops.js';
import { EngineError, isEngineError } from './errors.js';
import { Hlc, systemClock } from './hlc.js';
import type { Namespace } from './namespace/namespace.js';
import { openNamespace, type OpenedNamespace } from './namespace/open.js';
import type { StartReport } from './namespace/start-report.js';
import { resolveEngineOptions, type EngineOptions } from './options.js';
import { checkRemove, metaView, nextVersionForPut, tombstoneFor, touchedVersion, type WriteContext } from './operations/record-rules.js';
import { snapshotStats } from './namespace/stats-snapshot.js';
import type { NamespaceStatsSnapshot } from './namespace/stats.js';
import { isPolicyRefusal } from './namespace/stats.js';
import type { Bins, Digest, HlcTimestamp, RecordKey, RecordMetaView, RecordVersion, StoredRecord } from './types.js';
import { checkVersion, newestCounterEpoch } from './operations/version-check.js';
import { isWireError, type WireError } from '../replication-protocol/index.js';

/** What a mutation's producer gets besides the current version. */
export type MutationContext = WriteContext;

/** Versions per batch of scanVersionsSince before it yields to the event loop. */
const SCAN_BATCH = 256;

export class Engine implements EngineApi, EngineOpsApi {
  readonly regionId: number;
  readonly hlc: Hlc;
  private readonly logger: Logger;
  private readonly opened = new Map<string, OpenedNamespace>();
  private closed = false;
  /** operate, batch, scan, secondary indexes and per-operation statistics (engine-ops.ts). */
  private readonly ops: EngineOps;

  private constructor(regionId: number, hlc: Hlc, logger: Logger) {
    this.regionId = regionId;
    this.hlc = hlc;
    this.logger = logger;
    this.ops = new EngineOps(this);
  }

  /** Opens (recovering as needed) every configured namespace. */
  static async open(options: EngineOptions): Promise<Engine> {
    const resolved = resolveEngineOptions(options);
    const logger = options.logger ?? pino({ level: 'silent' });
    const engine = new Engine(resolved.regionId, new Hlc(options.clock ?? systemClock), logger);
    try {
      for (const o of resolved.namespaces) engine.opened.set(o.name, await openNamespace(o, engine.hlc, resolved.regionId, logger));
      // Secondary indexes are rebuilt from the records before any client operation.
      await engine.ops.init();
    } catch (err) {
      await engine.close().catch(() => {});
      throw err;
    }
    return engine;
  }

  namespaces(): string[] {
    return [...this.opened.keys()];
  }

  /** The namespace object (for engine-ops); throws ENGINE_ERR_NAMESPACE_NOT_FOUND / ENGINE_ERR_CLOSED. */
  namespace(name: string): Namespace {
    if (this.closed) throw new EngineError('ENGINE_ERR_CLOSED', 'the engine was closed', { ns: name });
    const o = this.opened.get(name);
    if (o === undefined) {
      throw new EngineError('ENGINE_ERR_NAMESPACE_NOT_FOUND', `no namespace "${name}" is configured (configured: ${this.namespaces().join(', ')})`, { ns: name });
    }
    return o.ns;
  }

  private digestOf(key: RecordKey): Digest {
    return digestOfKey(key);
  }

  private context(ns: Namespace, set: string, digest: Digest, key: RecordVersion['key']): WriteContext {
    // One clock read for the lut and the TTL's now (the HLC and the namespaces share this clock).
    const wallMs = this.hlc.clock.nowMs();
    return {
      ns: ns.name, set, digest, key: key as WriteContext['key'], lut: this.hlc.nowAt(wallMs), region: this.regionId, counterContributor: ns.counterContributor,
      nowSec: Math.floor(wallMs / 1000), defaultTtlSec: ns.options.defaultTtl,
    };
  }

  /**
   * The write path shared by every client mutation (and by engine-ops'
   * operate): `produce` gets the current version — null when the record is
   * absent or expired, a tombstone when it was durably deleted — and returns
   * the next version to store, or null to store nothing. Runs synchronously up
   * to the store, then waits for durability as the namespace's mode requires.
   */
  async mutate(key: RecordKey, produce: (current: RecordVersion | null, ctx: MutationContext) => RecordVersion | null): Promise<RecordVersion | null> {
    const ns = this.namespace(key.ns);
    const next = this.mutateNow(ns, key, produce);
    const durable = next === null ? null : ns.durable();
    if (durable !== null) await this.countedDurable(ns, durable);
    return next;
  }

  /** The synchronous part of a mutation: read, produce, store; counts success or failure. */
  private mutateNow(ns: Namespace, key: RecordKey, produce: (current: RecordVersion | null, ctx: MutationContext) => RecordVersion | null): RecordVersion | null {
    try {
      const digest = this.digestOf(key);
      const { version: current } = ns.currentVersion(digest);
      const next = produce(current, this.context(ns, key.set, digest, key.key));
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
  private async countedDurable(ns: Namespace, durable: Promise<void>): Promise<void> {
    try {
      await durable;
    } catch (err) {
      ns.stats.writeSuccess--;
      ns.stats.writeError++;
      throw err;
    }
  }

  put(key: RecordKey, bins: Bins, policy: WritePolicy = {}): Promise<RecordMetaView> {
    const t0 = performance.now();
    let ns: Namespace;
    let next: RecordVersion | null;
    let nowSec = 0;
    try {
      ns = this.namespace(key?.ns);
      next = this.mutateNow(ns, key, (current, ctx) => {
        nowSec = ctx.nowSec;
        checkBins(bins);
        // Removing the last bin leaves a tombstone (Aerospike deletes such a
        // record; here the delete must replicate), see nextVersionForPut.
        return nextVersionForPut(current, bins, policy, ctx);
      });
    } catch (err) {
      this.ops.done(key?.ns, 'write', t0, 'error', err);
      return Promise.reject(err);
    }
    const meta = metaView(next!, nowSec);
    const durable = ns.durable();
    // Buffered mode: no second promise and no extra turn of the microtask queue.
    if (durable === null) {
      this.ops.done(ns.name, 'write', t0, 'success');
      return Promise.resolve(meta);
    }
    return this.countedDurable(ns, durable).then(
      () => (this.ops.done(ns.name, 'write', t0, 'success'), meta),
      (err: unknown) => (this.ops.done(ns.name, 'write', t0, 'error', err), Promise.reject(err)),
    );
  }

  async get(key: RecordKey, options: ReadOptions = {}): Promise<StoredRecord | null> {
    const t0 = performance.now();
    const ns = this.namespace(key.ns);
    try {
      const digest = this.digestOf(key);
      // One clock read for the expiry check and the ttl returned.
      const nowSec = ns.nowSec();
      const slot = ns.findVisible(digest, nowSec);
      if (slot < 0) {
        ns.stats.readNotFound++;
        this.ops.done(ns.name, 'read', t0, 'not-found');
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
      this.ops.done(ns.name, 'read', t0, 'success');
      return rec;
    } catch (err) {
      ns.stats.readError++;
      this.ops.done(ns.name, 'read', t0, 'error', err);
      throw err;
    }
  }

  async exists(key: RecordKey): Promise<RecordMetaView | null> {
    const t0 = performance.now();
    const ns = this.namespace(key.ns);
    try {
      const slot = ns.findVisible(this.digestOf(key));
      if (slot < 0) {
        ns.stats.readNotFound++;
        this.ops.done(ns.name, 'read', t0, 'not-found');
        return null;
      }
      ns.stats.readSuccess++;
      const i = ns.index;
      this.ops.done(ns.name, 'read', t0, 'success');
      return metaView({ generation: i.generation(slot), voidTime: i.voidTime(slot), lut: i.lut(slot), region: i.region(slot) }, ns.nowSec());
    } catch (err) {
      ns.stats.readError++;
      this.ops.done(ns.name, 'read', t0, 'error', err);
      throw err;
    }
  }

  async remove(key: RecordKey, policy: RemovePolicy = {}): Promise<boolean> {
    const t0 = performance.now();
    const ns = this.namespace(key.ns);
    try {
      const digest = this.digestOf(key);
      const { slot, version: current } = ns.currentVersion(digest);
      if (!checkRemove(current, policy, ns.name)) {
        ns.stats.deleteNotFound++;
        this.ops.done(ns.name, 'delete', t0, 'not-found');
        return false;
      }
      if (policy.durable ?? true) ns.store(tombstoneFor(current!, this.hlc.now(), this.regionId), 'delete', false);
      else ns.drop(slot, 'delete');
      const durable = ns.durable();
      if (durable !== null) await durable;
      ns.stats.deleteSuccess++;
      this.ops.done(ns.name, 'delete', t0, 'success');
      return true;
    } catch (err) {
      ns.stats.deleteError++;
      this.ops.done(ns.name, 'delete', t0, 'error', err);
      throw err;
    }
  }

  async touch(key: RecordKey, ttlSec?: number): Promise<RecordMetaView> {
    const t0 = performance.now();
    let result: RecordMetaView | null = null;
    try {
      await this.mutate(key, (current, ctx) => {
        if (current === null || current.deleted) {
          throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', 'touch of a record that does not exist', { ns: ctx.ns, set: ctx.set });
        }
        const next = touchedVersion(current, ttlSec, ctx);
        result = metaView(next, ctx.nowSec);
        return next;
      });
    } catch (err) {
      this.ops.done(key?.ns, 'touch', t0, isEngineError(err, 'ENGINE_ERR_RECORD_NOT_FOUND') ? 'not-found' : 'error', err);
      throw err;
    }
    this.ops.done(key.ns, 'touch', t0, 'success');
    return result!;
  }

  async readVersion(nsName: string, digest: Digest): Promise<RecordVersion | null> {
    const ns = this.namespace(nsName);
    checkDigest(digest, 'a digest', nsName);
    return ns.currentVersion(digest).version;
  }

  async readEncodedVersions(nsName: string, digests: readonly Digest[]): Promise<Array<EncodedVersion | null | WireError>> {
    const ns = this.namespace(nsName);
    const out = new Array<EncodedVersion | null | WireError>(digests.length);
    // Synchronous over the batch: every read is from memory or the page cache, and one promise serves them all.
    for (let i = 0; i < digests.length; i++) {
      const digest = digests[i];
      checkDigest(digest, `digests[${i}]`, nsName);
      const slot = ns.findCurrent(digest);
      if (slot < 0) {
        out[i] = null;
        continue;
      }
      try {
        out[i] = ns.encodedVersionAt(slot, digest);
      } catch (err) {
        if (!isWireError(err)) throw err;
        out[i] = err;
      }
    }
    return out;
  }

  async applyVersion(version: RecordVersion): Promise<ApplyResult> {
    const t0 = performance.now();
    const ns = this.namespace(version?.ns);
    try {
      checkVersion(version);
      // Local writes after this one must get later luts than the remote write (and than every counter epoch it holds).
      this.hlc.observe(version.counters === undefined && version.dormantCounters === undefined ? version.lut : Math.max(version.lut, newestCounterEpoch(version)));
      ns.store(version, version.deleted ? 'delete' : 'write', !version.deleted);
      const durable = ns.durable();
      if (durable !== null) await durable;
      ns.stats.applySuccess++;
      this.ops.done(ns.name, 'apply', t0, 'success');
      return { applied: true };
    } catch (err) {
      ns.stats.applyError++;
      this.ops.done(ns.name, 'apply', t0, 'error', err);
      throw err;
    }
  }

  async *scanVersionsSince(nsName: string, sinceLut: HlcTimestamp, options: VersionScanOptions = {}): AsyncIterable<RecordVersion> {
    const ns = this.namespace(nsName);
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
        if (this.closed) return;
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

  changeLog(nsName: string): ChangeLogApi {
    return this.namespace(nsName).log;
  }

  now(): HlcTimestamp {
    return this.hlc.now();
  }

  /** The core's counters (Aerospike metric names) plus engine-ops': `ops` per operation type with latencies, `setObjects`, `sindexes`. */
  stats(nsName: string): NamespaceStatsSnapshot & EngineOpsStats {
    return { ...snapshotStats(this.namespace(nsName)), ...this.ops.opsStats(nsName), start: this.opened.get(nsName)!.startReport };
  }

  // ---- issue 3: EngineOpsApi, implemented in engine-ops.ts ----

  operate(key: RecordKey, ops: Operation[], policy?: WritePolicy): Promise<OperateResult> {
    return this.ops.operate(key, ops, policy);
  }

  batchGet(keys: BatchKey[], options?: ReadOptions): Promise<Array<StoredRecord | null>> {
    return this.ops.batchGet(keys, options);
  }

  scan(nsName: string, options?: ScanOptions): AsyncIterable<StoredRecord> {
    return this.ops.scan(nsName, options);
  }

  createIndex(spec: SecondaryIndexSpec): Promise<void> {
    return this.ops.createIndex(spec);
  }

  dropIndex(nsName: string, name: string): Promise<void> {
    return this.ops.dropIndex(nsName, name);
  }

  listIndexes(nsName: string): SecondaryIndexSpec[] {
    return this.ops.listIndexes(nsName);
  }

  query(nsName: string, filter: QueryFilter, options?: ScanOptions): AsyncIterable<StoredRecord> {
    return this.ops.query(nsName, filter, options);
  }

  scanPartitions(nsName: string, options: PartitionScanOptions): AsyncIterable<PartitionScanItem> {
    return this.ops.scanPartitions(nsName, options);
  }

  /** Per-operation counters and latency percentiles, objects per set, secondary-index sizes. */
  opsStats(nsName: string): EngineOpsStats {
    return this.ops.opsStats(nsName);
  }

  /** Runs one nsup cycle of a namespace now (tests and operators; it also runs every nsup-period). */
  async runNsup(nsName: string) {
    this.namespace(nsName);
    return this.opened.get(nsName)!.nsup();
  }

  /** How the namespace was recovered at open. */
  recoveryInfo(nsName: string): OpenedNamespace['recovery'] {
    this.namespace(nsName);
    return this.opened.get(nsName)!.recovery;
  }

  /** What this start can tell about the namespace's previous stop, and which acknowledged changes it may have lost. */
  startReport(nsName: string): StartReport {
    this.namespace(nsName);
    return this.opened.get(nsName)!.startReport;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    for (const o of this.opened.values()) await o.close().catch((err) => errors.push(err));
    if (errors.length > 0) throw errors[0];
    this.logger.debug('engine closed');
  }
}

/** Throws ENGINE_ERR_INVALID_ARGUMENT unless `digest` is 20 bytes; `what` names the argument in the message. */
function checkDigest(digest: unknown, what: string, ns: string): asserts digest is Digest {
  if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `${what} must be 20 bytes`, { ns });
  }
}
