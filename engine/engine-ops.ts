/**
 * EngineOps: the issue-3 surface (EngineOpsApi) on top of the engine core:
 * operate, batch reads, scans, secondary indexes and queries, and the
 * per-operation statistics. Engine delegates to it; it reaches the core only
 * through Engine.namespace() and Engine.mutate() (the single write path).
 */
import type { BatchKey, EngineOpsApi, Operation, OperateResult, PartitionScanItem, PartitionScanOptions, QueryFilter, ReadOptions, ScanOptions, SecondaryIndexSpec, WritePolicy } from './api.js';
import { digestOfKey } from './digest.js';
import { isEngineError } from './errors.js';
import type { MutationContext } from './engine.js';
import type { Namespace } from './namespace/namespace.js';
import { opsError } from './operations/index.js';
import { isReadOnly, nextVersionForOperate, operateRead } from './operations/operate.js';
import { toStoredRecord, yieldToLoop } from './operations/stored-record.js';
import { checkScanOptions, forEachVisibleSlot, queryRecords, scanRecords } from './operations/scan.js';
import { checkPartitionScanOptions, queryPartitionRecords, scanPartitionRecords } from './operations/partition-scan.js';
import { NamespaceOpsState } from './operations/namespace-state.js';
import { checkFilter, checkIndexSpec } from './secondary-index/index.js';
import type { OpOutcome, OpType, OpsStatsSnapshot } from './stats/index.js';
import type { RecordKey, RecordVersion, StoredRecord } from './types.js';

/** Aerospike's default batch limit (batch-max-requests). */
export const BATCH_KEYS_MAX = 5_000;
/** Keys read per synchronous slice of a batch before yielding to the event loop. */
const BATCH_SLICE_KEYS = 500;

/** engine.opsStats(ns), also merged into engine.stats(ns) as `ops`, `setObjects` and `sindexes`. */
export interface EngineOpsStats extends OpsStatsSnapshot {
  sindexes: Array<{ name: string; entries: number; bytesEstimate: number }>;
}

/** What EngineOps needs of the Engine. */
export interface OpsHost {
  readonly regionId: number;
  namespace(name: string): Namespace;
  namespaces(): string[];
  mutate(key: RecordKey, produce: (current: RecordVersion | null, ctx: MutationContext) => RecordVersion | null): Promise<RecordVersion | null>;
  now(): number;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
}

export class EngineOps implements EngineOpsApi {
  private readonly states = new Map<string, NamespaceOpsState>();

  constructor(private readonly host: OpsHost) {}

  /**
   * Attaches to every namespace: adds a change listener, counts objects
   * per set, and rebuilds the indexes whose definitions were saved. Called once
   * by Engine.open, before any client operation.
   */
  async init(): Promise<void> {
    for (const name of this.host.namespaces()) {
      const ns = this.host.namespace(name);
      const state = new NamespaceOpsState(ns);
      // Namespace.store / drop call it on every change (see namespace.ts).
      ns.changeListeners.push((slot, version) => state.onChange(slot, version));
      this.states.set(name, state);
      state.countSetObjects();
      for (const spec of state.loadSpecs()) {
        const index = state.sindexes.add(spec);
        await this.build(state, index.spec.name);
      }
    }
  }

  private state(nsName: string): NamespaceOpsState {
    this.host.namespace(nsName); // throws not-found / closed with the engine's messages
    const state = this.states.get(nsName);
    if (state === undefined) throw new Error(`engine-ops was not initialised for namespace ${nsName} (programmer error)`);
    return state;
  }

  /** Times `fn` into the namespace's statistics of `op`. */
  private async timed<T>(nsName: string, op: OpType, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const stats = this.states.get(nsName)?.stats;
    try {
      const value = await fn();
      stats?.record(op, 'success', (performance.now() - started) * 1e6);
      return value;
    } catch (err) {
      stats?.record(op, errorCode(err) === 'ENGINE_ERR_RECORD_NOT_FOUND' ? 'not-found' : 'error', (performance.now() - started) * 1e6, errorCode(err));
      throw err;
    }
  }

  /** Records a finished operation with its duration in nanoseconds. */
  record(nsName: string, op: OpType, outcome: OpOutcome, durationNs: number, code?: string): void {
    this.states.get(nsName)?.stats.record(op, outcome, durationNs, code);
  }

  /** Records a core operation (put, get, ...) that started at `startedMs` (performance.now()); `err` when it failed. */
  done(nsName: string, op: OpType, startedMs: number, outcome: OpOutcome, err?: unknown): void {
    this.states.get(nsName)?.stats.record(op, outcome, (performance.now() - startedMs) * 1e6, err === undefined ? undefined : errorCode(err));
  }

  async operate(key: RecordKey, ops: Operation[], policy: WritePolicy = {}): Promise<OperateResult> {
    policy ??= {};
    return this.timed(key?.ns, 'operate', async () => {
      if (isReadOnly(ops)) {
        const ns = this.host.namespace(key.ns);
        const { version } = ns.currentVersion(digestOfKey(key));
        return operateRead(version, ops, ns.nowSec(), { lut: this.host.now(), contributor: ns.counterContributor });
      }
      const result: { value?: OperateResult } = {};
      await this.host.mutate(key, (current, ctx) => nextVersionForOperate(current, key, ops, policy, ctx, result));
      return result.value!;
    });
  }

  async batchGet(keys: BatchKey[], options: ReadOptions = {}): Promise<Array<StoredRecord | null>> {
    if (!Array.isArray(keys)) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'batchGet takes a list of keys');
    if (keys.length > BATCH_KEYS_MAX) {
      throw opsError('ENGINE_ERR_BATCH_TOO_LARGE', `a batch reads at most ${BATCH_KEYS_MAX} keys, got ${keys.length}; split it`, { keys: keys.length });
    }
    const nsName = keys[0]?.ns ?? '';
    return this.timed(nsName, 'batch', async () => {
      const out: Array<StoredRecord | null> = new Array(keys.length).fill(null);
      for (let first = 0; first < keys.length; first += BATCH_SLICE_KEYS) {
        if (first > 0) await yieldToLoop();
        const end = Math.min(first + BATCH_SLICE_KEYS, keys.length);
        for (let i = first; i < end; i++) out[i] = this.readOne(keys[i]!, options?.bins);
      }
      return out;
    });
  }

  private readOne(key: BatchKey, bins: string[] | undefined): StoredRecord | null {
    if (key === null || typeof key !== 'object' || typeof key.set !== 'string') {
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'each batch key is { ns, set, key } with a string set name');
    }
    const ns = this.host.namespace(key.ns);
    const digest = digestOfKey(key);
    const slot = ns.findVisible(digest);
    return slot < 0 ? null : toStoredRecord(ns.versionAt(slot, digest), bins, ns.nowSec());
  }

  /** Errors (unknown namespace, bad options, abort, closed engine) surface on iteration, never from the call itself. */
  scan(nsName: string, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
    const self = this;
    async function* run(): AsyncGenerator<StoredRecord> {
      self.state(nsName);
      checkScanOptions(options);
      yield* scanRecords(() => self.host.namespace(nsName), options);
    }
    return this.counted(nsName, 'scan', run());
  }

  query(nsName: string, filter: QueryFilter, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
    const self = this;
    async function* run(): AsyncGenerator<StoredRecord> {
      const state = self.state(nsName);
      checkFilter(filter);
      checkScanOptions(options);
      const index = state.sindexes.forQuery(filter, options.set);
      // A query on an index still being built waits for the build, so it never sees half an index.
      const build = state.builds.get(index.spec.name);
      if (build !== undefined) await build;
      yield* queryRecords(() => self.host.namespace(nsName), index, filter, options);
    }
    return this.counted(nsName, 'query', run());
  }

  scanPartitions(nsName: string, options: PartitionScanOptions): AsyncIterable<PartitionScanItem> {
    const self = this;
    async function* run(): AsyncGenerator<PartitionScanItem> {
      const state = self.state(nsName);
      checkPartitionScanOptions(options);
      const lookup = () => self.host.namespace(nsName);
      if (options.filter === undefined) {
        yield* scanPartitionRecords(lookup, options);
        return;
      }
      checkFilter(options.filter);
      const index = state.sindexes.forQuery(options.filter, options.set);
      const build = state.builds.get(index.spec.name);
      if (build !== undefined) await build;
      yield* queryPartitionRecords(lookup, index, options);
    }
    return this.counted(nsName, options?.filter === undefined ? 'scan' : 'query', run());
  }

  /** Wraps a stream so its whole run (until done, failure or early return) is one timed operation. */
  private async *counted<T>(nsName: string, op: OpType, source: AsyncGenerator<T>): AsyncGenerator<T> {
    const started = performance.now();
    let failed: unknown = null;
    try {
      yield* source;
    } catch (err) {
      failed = err;
      throw err;
    } finally {
      const durationNs = (performance.now() - started) * 1e6;
      this.record(nsName, op, failed === null ? 'success' : 'error', durationNs, failed === null ? undefined : errorCode(failed));
    }
  }

  async createIndex(spec: SecondaryIndexSpec): Promise<void> {
    checkIndexSpec(spec);
    const state = this.state(spec.ns);
    const index = state.sindexes.add(spec);
    try {
      state.saveSpecs();
    } catch (err) {
      state.sindexes.remove(index.spec.name);
      throw err;
    }
    await this.build(state, index.spec.name);
  }

  /** Fills a new index from the records already stored, while writes go on; on failure the index is dropped. */
  private async build(state: NamespaceOpsState, name: string): Promise<void> {
    const index = state.sindexes.get(name)!;
    const started = performance.now();
    index.beginBuild();
    const run = forEachVisibleSlot(() => this.host.namespace(state.ns.name), index.spec.set, (ns, slots) => {
      for (const slot of slots) index.buildAdd(slot, index.spec.set ?? ns.index.sets.nameOf(ns.index.setId(slot)), ns.versionAt(slot).bins);
    }, undefined, 'index build');
    const tracked = run.finally(() => {
      index.endBuild();
      state.builds.delete(name);
    });
    state.builds.set(name, tracked.catch(() => {}));
    try {
      await tracked;
    } catch (err) {
      // A build cut short by close() keeps its definition: the next open rebuilds it.
      // Any other failure (e.g. a corrupted record) drops the index it left half-built.
      if (!isEngineError(err, 'ENGINE_ERR_CLOSED') && state.sindexes.get(name) === index) {
        state.sindexes.remove(name);
        state.saveSpecs();
      }
      throw err;
    }
    state.ns.logger.child({ module: 'engine-ops' }).info(
      { index: name, entries: index.size, elapsedMs: Math.round(performance.now() - started) },
      'secondary index built',
    );
  }

  async dropIndex(nsName: string, name: string): Promise<void> {
    const state = this.state(nsName);
    state.sindexes.remove(name);
    state.saveSpecs();
  }

  listIndexes(nsName: string): SecondaryIndexSpec[] {
    return this.state(nsName).sindexes.list();
  }

  /** Per-operation counters and latencies, per-set object counts, and index sizes of a namespace. */
  opsStats(nsName: string): EngineOpsStats {
    const state = this.state(nsName);
    return {
      ...state.stats.snapshot(),
      sindexes: state.sindexes.all().map((i) => ({ name: i.spec.name, entries: i.size, bytesEstimate: i.bytesEstimate() })),
    };
  }
}

