/**
 * A small in-memory stand-in for the engine (EngineApi + ChangeLogApi), enough
 * for the shipper and receiver to be tested before and apart from the real
 * Engine: records with full replication metadata, a change log with named
 * persistent-looking cursors and a retention cap (to provoke overflow), and an
 * HLC driven by a clock the test may control. Not a model of storage.
 */
import { createHash } from 'node:crypto';
import type {
  ApplyResult,
  ChangeCursor,
  ChangeLogApi,
  EngineApi,
  RemovePolicy,
  WritePolicy,
  ReadOptions,
  VersionScanOptions,
} from '../../engine/api.js';
import { EngineError } from '../../engine/errors.js';
import type { ChangeBatch, ChangeEvent, RecordKey, RecordMetaView, StoredRecord } from '../../engine/types.js';
import type { Bins, Digest, HlcTimestamp, RecordVersion } from '../../record/index.js';

export interface FakeEngineOptions {
  regionId: number;
  namespaces?: string[];
  /** Change-log entries kept per namespace; older ones are dropped and lagging cursors overflow. @default 1_000_000 */
  retainEventsMax?: number;
  /** Wall clock in ms. @default Date.now */
  nowMs?: () => number;
}

function hex(d: Uint8Array): string {
  return Buffer.from(d).toString('hex');
}

/** Aerospike's digest (RIPEMD-160 of set, key type, key bytes); enough for tests. */
export function fakeDigest(set: string, key: NonNullable<RecordKey['key']>): Digest {
  const h = createHash('ripemd160');
  h.update(set, 'utf8');
  if (typeof key === 'string') h.update(Buffer.from([3])).update(key, 'utf8');
  else if (key instanceof Uint8Array) h.update(Buffer.from([4])).update(key);
  else {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(key));
    h.update(Buffer.from([1])).update(b);
  }
  return new Uint8Array(h.digest());
}

function clone(v: RecordVersion): RecordVersion {
  return structuredClone(v);
}

class FakeCursor implements ChangeCursor {
  committed = 0;
  committedLut = 0;
  readPos = 0;
  constructor(
    readonly name: string,
    private readonly log: FakeChangeLog,
  ) {}
  committedSeq(): number {
    return this.committed;
  }
  async read(max: number): Promise<ChangeBatch> {
    const first = this.log.firstSeq();
    if (this.readPos + 1 < first) {
      this.log.overflows++;
      return { overflow: true, resumeFromLut: this.committedLut, resumeSeq: this.log.headSeq() };
    }
    const events = this.log.events.filter((e) => e.seq > this.readPos).slice(0, max);
    if (events.length > 0) this.readPos = events[events.length - 1]!.seq;
    return { overflow: false, events: events.map((e) => ({ ...e })) };
  }
  async waitForMore(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.log.headSeq() > this.readPos || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.log.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done);
      this.log.waiters.add(done);
    });
  }
  async commit(seq: number, lut: HlcTimestamp): Promise<void> {
    if (seq < this.committed) throw new Error(`fake cursor ${this.name}: commit going back from ${this.committed} to ${seq}`);
    this.committed = seq;
    this.committedLut = Math.max(this.committedLut, lut);
    this.log.commits++;
  }
  rewindToCommitted(): void {
    this.readPos = this.committed;
  }
  async seek(seq: number): Promise<void> {
    this.committed = seq;
    this.readPos = seq;
  }
}

class FakeChangeLog implements ChangeLogApi {
  events: ChangeEvent[] = [];
  seq = 0;
  overflows = 0;
  commits = 0;
  readonly cursors = new Map<string, FakeCursor>();
  readonly waiters = new Set<() => void>();
  constructor(private readonly retainMax: number) {}
  append(e: Omit<ChangeEvent, 'seq'>): void {
    this.events.push({ ...e, seq: ++this.seq });
    if (this.events.length > this.retainMax) this.events.splice(0, this.events.length - this.retainMax);
    for (const w of [...this.waiters]) w();
  }
  firstSeq(): number {
    return this.events.length > 0 ? this.events[0]!.seq : this.seq + 1;
  }
  headSeq(): number {
    return this.seq;
  }
  async cursor(name: string): Promise<ChangeCursor> {
    let c = this.cursors.get(name);
    if (c === undefined) {
      c = new FakeCursor(name, this);
      this.cursors.set(name, c);
    }
    // A reopened cursor reads again from its committed position, as a real one after restart.
    c.readPos = c.committed;
    return c;
  }
  async dropCursor(name: string): Promise<void> {
    this.cursors.delete(name);
  }
  cursorNames(): string[] {
    return [...this.cursors.keys()];
  }
}

export class FakeEngine implements EngineApi {
  readonly regionId: number;
  private readonly nsList: string[];
  private readonly records = new Map<string, RecordVersion>();
  private readonly logs = new Map<string, FakeChangeLog>();
  private lastTs = 0;
  private readonly nowMs: () => number;
  applied = 0;
  closed = false;

  constructor(options: FakeEngineOptions) {
    this.regionId = options.regionId;
    this.nsList = options.namespaces ?? ['test'];
    this.nowMs = options.nowMs ?? Date.now;
    for (const ns of this.nsList) this.logs.set(ns, new FakeChangeLog(options.retainEventsMax ?? 1_000_000));
  }

  namespaces(): string[] {
    return [...this.nsList];
  }

  now(): HlcTimestamp {
    const wall = Math.floor(this.nowMs()) * 1024;
    this.lastTs = wall > this.lastTs ? wall : this.lastTs + 1;
    return this.lastTs;
  }

  private log(ns: string): FakeChangeLog {
    const l = this.logs.get(ns);
    if (l === undefined) throw new Error(`fake engine: no namespace ${ns}`);
    return l;
  }

  private id(ns: string, digest: Digest): string {
    return `${ns}/${hex(digest)}`;
  }

  async put(key: RecordKey, bins: Bins, policy: WritePolicy = {}): Promise<RecordMetaView> {
    const digest = (key.digest ?? fakeDigest(key.set, key.key!));
    const old = this.records.get(this.id(key.ns, digest));
    const lut = this.now();
    const v: RecordVersion =
      old !== undefined && !old.deleted
        ? clone(old)
        : { ns: key.ns, set: key.set, digest, generation: old?.generation ?? 0, voidTime: 0, lut, region: this.regionId, deleted: false, bins: {}, binLuts: {} };
    if (old?.deleted) v.binLuts = { ...old.binLuts };
    if (policy.sendKey !== false) v.key = key.key;
    for (const [name, value] of Object.entries(bins)) {
      if (value === null) delete v.bins[name];
      else v.bins[name] = value;
      v.binLuts[name] = lut;
    }
    v.generation += 1;
    v.lut = lut;
    v.region = this.regionId;
    v.deleted = false;
    this.store(v, 'write');
    return { generation: v.generation, ttl: -1, lut, region: v.region };
  }

  async get(key: RecordKey, options: ReadOptions = {}): Promise<StoredRecord | null> {
    const digest = (key.digest ?? fakeDigest(key.set, key.key!));
    const v = this.records.get(this.id(key.ns, digest));
    if (v === undefined || v.deleted) return null;
    const bins = options.bins === undefined ? { ...v.bins } : Object.fromEntries(options.bins.filter((b) => b in v.bins).map((b) => [b, v.bins[b]!]));
    return { key: v.key, digest, bins, generation: v.generation, ttl: -1, lut: v.lut, region: v.region };
  }

  async exists(key: RecordKey): Promise<RecordMetaView | null> {
    const r = await this.get(key);
    return r === null ? null : { generation: r.generation, ttl: r.ttl, lut: r.lut, region: r.region };
  }

  async remove(key: RecordKey, _policy?: RemovePolicy): Promise<boolean> {
    const digest = (key.digest ?? fakeDigest(key.set, key.key!));
    const old = this.records.get(this.id(key.ns, digest));
    if (old === undefined || old.deleted) return false;
    const lut = this.now();
    const binLuts: Record<string, number> = {};
    for (const name of Object.keys(old.binLuts)) binLuts[name] = lut;
    this.store({ ...clone(old), generation: old.generation + 1, lut, region: this.regionId, deleted: true, bins: {}, binLuts }, 'delete');
    return true;
  }

  async touch(key: RecordKey): Promise<RecordMetaView> {
    const r = await this.exists(key);
    if (r === null) throw new Error('fake engine: touch of a missing record');
    return r;
  }

  async readVersion(ns: string, digest: Digest): Promise<RecordVersion | null> {
    const v = this.records.get(this.id(ns, digest));
    return v === undefined ? null : clone(v);
  }

  async applyVersion(version: RecordVersion): Promise<ApplyResult> {
    if (version.lut > this.lastTs) this.lastTs = version.lut;
    this.store(clone(version), version.deleted ? 'delete' : 'write');
    this.applied++;
    return { applied: true };
  }

  async applyDecided(ns: string, digest: Digest, decide: (local: RecordVersion | null) => RecordVersion | null): Promise<ApplyResult> {
    // Through readVersion, so a test can make the read fail (the real engine reads and stores in one synchronous step).
    const winner = decide(await this.readVersion(ns, digest));
    return winner === null ? { applied: false } : this.applyVersion(winner);
  }

  /** Digests (hex) whose records fail their checks when a scan reads them (ENGINE_ERR_CORRUPTED_STORAGE). */
  readonly unreadable = new Set<string>();
  /** When set, a scan ends with this error after yielding this many versions (an I/O failure mid-scan). */
  scanFailure: { after: number; error: Error } | null = null;

  async *scanVersionsSince(ns: string, sinceLut: HlcTimestamp, options: VersionScanOptions = {}): AsyncIterable<RecordVersion> {
    const found = [...this.records.values()].filter((v) => v.ns === ns && v.lut > sinceLut);
    options.onTotal?.(found.length);
    let yielded = 0;
    for (const v of found) {
      if (this.scanFailure !== null && yielded >= this.scanFailure.after) throw this.scanFailure.error;
      if (this.unreadable.has(hex(v.digest))) {
        const err = new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `record ${hex(v.digest)} fails its checksum (fake)`);
        if (options.onUnreadable === undefined) throw err;
        options.onUnreadable(v.digest, err);
        continue;
      }
      yielded++;
      yield clone(v);
    }
  }

  changeLog(ns: string): ChangeLogApi {
    return this.log(ns);
  }

  /** Test access to the fake's log internals (overflow and commit counts, cursor state). */
  logOf(ns: string): { overflows: number; commits: number; events: ChangeEvent[]; cursor(name: string): { committed: number; readPos: number } | undefined } {
    const l = this.log(ns);
    return { overflows: l.overflows, commits: l.commits, events: l.events, cursor: (name) => l.cursors.get(name) };
  }

  /** Every stored version of a namespace (tombstones included), sorted by digest. */
  dump(ns: string): RecordVersion[] {
    return [...this.records.values()].filter((v) => v.ns === ns).sort((a, b) => hex(a.digest).localeCompare(hex(b.digest))).map(clone);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private store(v: RecordVersion, kind: 'write' | 'delete'): void {
    this.records.set(this.id(v.ns, v.digest), v);
    this.log(v.ns).append({ kind, ns: v.ns, set: v.set, digest: v.digest, lut: v.lut, region: v.region });
  }
}
