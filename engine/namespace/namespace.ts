/**
 * One namespace: its primary index, its storage (devices or RAM), defrag, nsup
 * and change log, and the single write path every mutation goes through
 * (`store`). Everything between reading the current version and updating the
 * index is synchronous, so a read-modify-write of one record can never
 * interleave with another write: the engine needs no record locks.
 */
import { MemoryBudget } from './memory-budget.js';
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import { encodeBody } from '../storage/record-format/bin-codec.js';
import { bodyFast, decodeBins } from '../storage/record-format/body-bins.js';
import { keyBytes, keyTypeOf } from '../digest.js';
import type { Hlc } from '../../record/index.js';
import { FLAG_HAS_KEY, FLAG_TOMBSTONE, type PrimaryIndex } from '../primary-index/index.js';
import type { ChangeLog } from '../changelog/index.js';
import type { Storage } from '../storage/storage.js';
import type { Defragger } from '../storage/defrag.js';
import type { ResolvedNamespaceOptions } from '../options.js';
import {
  HeaderStatus, SET_NAME_BYTES_MAX, alignUp, bodyIntact, bodyOf, newHeaderView, parseHeader, recordBytes, userKeyOf, writeRecord,
} from '../storage/record-format/record-codec.js';
import { NamespaceStats } from './stats.js';
import type { ChangeKind, StoredRecord } from '../types.js';
import type { Digest, RecordVersion } from '../../record/index.js';
import type { StoredVersionView, VersionHead } from '../api.js';
import { dataViewOf } from '../bytes/data-view-of.js';

const EMPTY = new Uint8Array(0);

/**
 * The StoredVersionView that readStoredVersions lends its reader: one per call,
 * refilled (Namespace.lendStoredAt) for each record it reads.
 */
export class StoredVersionLoan implements StoredVersionView {
  head: VersionHead = { ns: '', set: '', digest: EMPTY, generation: 0, voidTime: 0, lut: 0, region: 0, deleted: false };
  bytes: Uint8Array = EMPTY;
  view: DataView = dataViewOf(EMPTY);
  bodyStart = 0;
  bodyEnd = 0;
  /** Index slot of the record lent. */
  slot = -1;

  constructor(private readonly ns: Namespace) {}

  decode(): RecordVersion {
    return this.ns.versionAt(this.slot, this.head.digest);
  }
}

export interface NamespaceParts {
  options: ResolvedNamespaceOptions;
  index: PrimaryIndex;
  storage: Storage;
  defrag: Defragger;
  log: ChangeLog;
  hlc: Hlc;
  regionId: number;
  /** The key this region books counter increments of the namespace under (counter-incarnation.ts). */
  counterContributor: string;
  logger: Logger;
}

export class Namespace {
  readonly name: string;
  readonly options: ResolvedNamespaceOptions;
  readonly index: PrimaryIndex;
  readonly storage: Storage;
  readonly defrag: Defragger;
  readonly log: ChangeLog;
  readonly hlc: Hlc;
  readonly regionId: number;
  readonly counterContributor: string;
  readonly logger: Logger;
  readonly stats = new NamespaceStats();
  /** The memory-size budget: memory_used_pct, stop-writes and nsup's memory high-water. */
  readonly memory: MemoryBudget;
  /**
   * Called synchronously after every change of an entry with its slot and new
   * version, or null when the entry was removed (non-durable delete, expiry,
   * eviction, tombstone collection). Secondary indexes keep themselves current
   * through this; defrag moves do not change content and are not reported.
   */
  readonly changeListeners: Array<(slot: number, version: RecordVersion | null) => void> = [];
  private readonly header = newHeaderView();
  private readonly setBytesCache = new Map<string, Uint8Array>();

  constructor(parts: NamespaceParts) {
    this.options = parts.options;
    this.name = parts.options.name;
    this.index = parts.index;
    this.storage = parts.storage;
    this.defrag = parts.defrag;
    this.log = parts.log;
    this.hlc = parts.hlc;
    this.regionId = parts.regionId;
    this.counterContributor = parts.counterContributor;
    this.logger = parts.logger;
    const o = parts.options;
    this.memory = new MemoryBudget({
      ns: o.name, memorySize: o.memorySize, highWaterMemoryPct: o.highWaterMemoryPct, stopWritesPct: o.stopWritesPct,
      dataInMemory: o.storageEngine === 'memory', index: parts.index, blocks: parts.storage.blocks,
    });
  }

  nowSec(): number {
    return this.hlc.nowSec();
  }

  /** Whether the entry at `slot` has expired at `nowSec` (tombstones never expire). */
  isExpired(slot: number, nowSec: number): boolean {
    const vt = this.index.voidTime(slot);
    return vt !== 0 && vt <= nowSec && !this.index.isTombstone(slot);
  }

  /** Slot of a live (not deleted, not expired) record, or -1. */
  findVisible(digest: Digest, nowSec = this.nowSec()): number {
    const slot = this.index.find(digest);
    if (slot < 0 || this.index.isTombstone(slot) || this.isExpired(slot, nowSec)) return -1;
    return slot;
  }

  /** Slot of a record or tombstone that is not expired, or -1. */
  findCurrent(digest: Digest): number {
    const slot = this.index.find(digest);
    if (slot < 0 || this.isExpired(slot, this.nowSec())) return -1;
    return slot;
  }

  /**
   * Finds and checks the stored bytes of `slot`: the record starts at
   * `storage.reads.locatedAt` of `storage.reads.located`, valid until the next read or write.
   */
  private recordBytesAt(slot: number): Buffer {
    const dev = this.index.device(slot);
    const offset = this.index.offset(slot);
    const size = this.index.size(slot);
    this.storage.reads.locate(dev, offset, size);
    const buf = this.storage.reads.located;
    const at = this.storage.reads.locatedAt;
    const h = this.header;
    // Checksums guard bytes that went to a device and came back. Bytes still in
    // the buffer this process wrote them into (open block, post-write queue) never
    // left RAM: their structure and digest are checked, the checksums are not
    // recomputed (as a block cache hit in RocksDB is not re-verified).
    const verify = !this.storage.reads.locatedWritten;
    if (parseHeader(buf, at, at + size, -1, h, verify) !== HeaderStatus.Ok || (verify && !bodyIntact(buf, h, at)) || !this.sameDigest(buf, h.digestAt, slot)) {
      const file = this.storage.devices[dev]!.name;
      throw new EngineError('ENGINE_ERR_CORRUPTED_STORAGE',
        `record at offset ${offset} of device ${file} fails its checksum; restore the file or re-replicate the namespace from a peer region`,
        { ns: this.name, file, offset });
    }
    return buf;
  }

  private sameDigest(buf: Buffer, at: number, slot: number): boolean {
    return this.index.digestEquals(slot, buf, at);
  }

  /**
   * The full stored version at `slot` (tombstones included). A caller that
   * already holds the digest passes it to save a copy.
   */
  versionAt(slot: number, knownDigest?: Digest): RecordVersion {
    const buf = this.recordBytesAt(slot);
    const h = this.header;
    const body = bodyFast(buf, h.bodyStart, this.storage.reads.locatedAt + h.totalBytes) ?? bodyOf(buf, h, this.storage.reads.locatedAt);
    const v: RecordVersion = {
      ns: this.name,
      set: this.index.sets.nameOf(this.index.setId(slot)),
      digest: knownDigest ?? new Uint8Array(buf.subarray(h.digestAt, h.digestAt + 20)),
      generation: h.generation,
      voidTime: h.voidTime,
      lut: h.lut,
      region: h.region,
      deleted: (h.flags & FLAG_TOMBSTONE) !== 0,
      bins: body.bins,
      binLuts: body.binLuts,
    };
    const key = userKeyOf(buf, h);
    if (key !== undefined) v.key = key;
    if (body.counters !== undefined) v.counters = body.counters;
    if (body.dormantCounters !== undefined) v.dormantCounters = body.dormantCounters;
    return v;
  }

  /**
   * What a client get returns for the live record at `slot`: header metadata,
   * bins and user key, checked like every read. Unlike versionAt it builds no
   * RecordVersion (set name, per-bin luts, counters), which a get throws away.
   */
  storedRecordAt(slot: number, digest: Digest, nowSec: number): StoredRecord {
    const buf = this.recordBytesAt(slot);
    const h = this.header;
    const rec: StoredRecord = {
      generation: h.generation, ttl: h.voidTime === 0 ? -1 : Math.max(0, h.voidTime - nowSec), lut: h.lut, region: h.region, digest,
      bins: decodeBins(buf, h.bodyStart, this.storage.reads.locatedAt + h.totalBytes),
    };
    const key = userKeyOf(buf, h);
    if (key !== undefined) rec.key = key;
    return rec;
  }

  /**
   * Fills `loan` with the stored version at `slot` (EngineApi.readStoredVersions):
   * its metadata, and the bytes its body lies in as stored, valid until the next
   * read of this namespace.
   */
  lendStoredAt(slot: number, digest: Digest, loan: StoredVersionLoan): void {
    const buf = this.recordBytesAt(slot);
    const h = this.header;
    const head: VersionHead = {
      ns: this.name,
      set: this.index.sets.nameOf(this.index.setId(slot)),
      digest,
      generation: h.generation,
      voidTime: h.voidTime,
      lut: h.lut,
      region: h.region,
      deleted: (h.flags & FLAG_TOMBSTONE) !== 0,
    };
    const key = userKeyOf(buf, h);
    if (key !== undefined) head.key = key;
    loan.head = head;
    loan.bytes = buf;
    loan.view = dataViewOf(buf);
    loan.bodyStart = h.bodyStart;
    loan.bodyEnd = this.storage.reads.locatedAt + h.totalBytes;
    loan.slot = slot;
  }

  /** The current version (null when absent or expired; tombstones included). */
  currentVersion(digest: Digest): { slot: number; version: RecordVersion | null } {
    const slot = this.findCurrent(digest);
    return { slot, version: slot < 0 ? null : this.versionAt(slot, digest) };
  }

  private setBytes(set: string): Uint8Array {
    let bytes = this.setBytesCache.get(set);
    if (bytes === undefined) {
      bytes = Buffer.from(set, 'utf8');
      if (bytes.length > SET_NAME_BYTES_MAX) {
        throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `set name "${set}" is longer than ${SET_NAME_BYTES_MAX} bytes`, { set });
      }
      if (this.setBytesCache.size < 4096) this.setBytesCache.set(set, bytes);
    }
    return bytes;
  }

  private deviceFor(digest: Digest): number {
    const n = this.storage.devices.length;
    return n === 1 ? 0 : (digest[4]! | (digest[5]! << 8)) % n;
  }

  /**
   * THE write path: stores `version` exactly as given as the new current
   * version of its digest, frees the old copy, updates the index and appends a
   * change event. All checks that can fail run before any state changes.
   * `client` writes respect stop-writes-pct; tombstones, defrag and
   * replication-internal writes only need a free block.
   */
  store(version: RecordVersion, kind: ChangeKind, client: boolean): number {
    const setBytes = this.setBytes(version.set);
    const hasKey = version.key !== undefined;
    const kb = hasKey ? keyBytes(version.key!) : EMPTY;
    if (kb.length > 0xffff) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a key is at most 65535 bytes', { ns: this.name });
    const keyType = hasKey ? keyTypeOf(version.key!) : 0;
    if (client && !version.deleted) {
      this.storage.checkWritable();
      this.memory.checkWritable();
    }
    const body = encodeBody(version.bins, version.binLuts, version.counters, version.dormantCounters);
    const total = recordBytes(setBytes.length, kb.length, body.length);
    // The namespace's limit holds for every version stored, local or replicated; a
    // tombstone is exempt so that a record can always be deleted.
    if (total > this.options.maxRecordSize && !version.deleted) {
      throw new EngineError('ENGINE_ERR_RECORD_TOO_BIG',
        `a record of ${total} bytes is larger than namespace ${this.name}'s max-record-size of ${this.options.maxRecordSize} bytes; store fewer or smaller bins`,
        { ns: this.name, bytes: total, limit: this.options.maxRecordSize });
    }
    const aligned = alignUp(total);
    const dev = this.deviceFor(version.digest);
    const pos = this.storage.reserve(dev, aligned, client && !version.deleted);
    const flags = (version.deleted ? FLAG_TOMBSTONE : 0) | (hasKey ? FLAG_HAS_KEY : 0);
    const wb = this.storage.writeBuffer(dev);
    // Appends are synchronous with this write, so the event's seq is known now.
    const changeSeq = this.log.headSeq() + 1;
    writeRecord(wb.buf as Buffer, pos, { changeSeq, generation: version.generation, voidTime: version.voidTime, lut: version.lut, region: version.region, flags },
      version.digest, setBytes, keyType, kb, body, wb.seq);
    const offset = this.storage.appended(dev, aligned);

    const index = this.index;
    let slot = index.find(version.digest);
    if (slot >= 0) {
      this.releaseCopy(slot);
    } else {
      slot = index.insert(version.digest);
    }
    index.setGeneration(slot, version.generation);
    index.setVoidTime(slot, version.voidTime);
    index.setLut(slot, version.lut);
    index.setRegion(slot, version.region);
    index.setSetId(slot, index.sets.idOf(version.set));
    index.setFlags(slot, flags);
    index.setLocation(slot, dev, offset, total);
    const seq = this.log.append({ kind, ns: this.name, set: version.set, digest: version.digest, lut: version.lut, region: version.region });
    if (seq !== changeSeq) throw new Error(`assertion: change-log seq ${seq} differs from the one stored with the record (${changeSeq})`);
    for (const listener of this.changeListeners) listener(slot, version);
    return slot;
  }

  /** The bytes of the current copy of `slot` stop counting as live (and its block may go to defrag). */
  private releaseCopy(slot: number): void {
    const dev = this.index.device(slot);
    const offset = this.index.offset(slot);
    this.storage.release(dev, offset, alignUp(this.index.size(slot)));
    this.defrag.consider(this.storage.blocks.blockAt(dev, offset));
  }

  /**
   * Removes an entry without leaving a tombstone (non-durable delete, expiry,
   * eviction, tombstone collection) and appends `kind` when given.
   */
  drop(slot: number, kind: ChangeKind | null): void {
    const index = this.index;
    this.releaseCopy(slot);
    if (kind !== null) {
      const digest = index.digestAt(slot);
      const set = index.sets.nameOf(index.setId(slot));
      this.log.append({ kind, ns: this.name, set, digest, lut: this.hlc.now(), region: this.regionId });
    }
    for (const listener of this.changeListeners) listener(slot, null);
    index.remove(slot);
  }

  /** Resolves when what was written so far is durable as the namespace's mode promises (commit-to-device: fsync'd). */
  durable(): Promise<void> | null {
    if (!this.options.commitToDevice || this.options.storageEngine === 'memory') return null;
    return Promise.all([this.storage.commit(), this.log.sync()]).then(() => undefined);
  }

  /** Defrag callback: the slot whose current copy sits exactly at (dev, offset). */
  liveSlotAt(buf: Buffer, digestAt: number, dev: number, offset: number): number {
    const slot = this.index.find(buf, digestAt);
    if (slot < 0 || this.index.device(slot) !== dev || this.index.offset(slot) !== offset) return -1;
    return slot;
  }

  moved(slot: number, dev: number, offset: number): void {
    this.index.setLocation(slot, dev, offset, this.index.size(slot));
  }
}
