/**
 * Engine options, named after their aerospike.conf counterparts (camelCased:
 * `default-ttl` → `defaultTtl`, `write-block-size` → `writeBlockSize`, ...),
 * declared once with their defaults, validated at open (every problem is
 * reported, each naming its field) and then frozen.
 */
import * as path from 'node:path';
import type { Logger } from 'pino';
import { EngineError } from './errors.js';
import type { Clock } from '../record/index.js';
import type { ChangeLogOptions } from './changelog/index.js';
import { RECORD_BYTES_DEFAULT_MAX, RECORD_BYTES_MIN } from './limits.js';

export type StorageEngineKind = 'device' | 'memory';

export interface NamespaceOptions {
  /** Namespace name: letters, digits, `_` and `-`, at most 31 bytes (Aerospike's limit). */
  name: string;
  /** `storage-engine`: data on device files, or in RAM. @default 'device' */
  storageEngine?: StorageEngineKind;
  /** `default-ttl` in seconds for writes with ttl 0; 0 = records never expire. @default 0 */
  defaultTtl?: number;
  /** `nsup-period` in seconds: how often expired records and old tombstones are removed; 0 disables nsup. @default 120 */
  nsupPeriod?: number;
  /** `write-block-size` in bytes: a power of two from 4 KiB to 8 MiB; also the largest record. @default 131072 (128 KiB) */
  writeBlockSize?: number;
  /**
   * `max-record-size` in bytes: the largest record (as stored: header, set,
   * key and bins) a write may leave, from 1 KiB up to writeBlockSize. Every
   * write path refuses a bigger one with ENGINE_ERR_RECORD_TOO_BIG: put,
   * operate, and versions applied from other regions (whose limit may differ).
   * @default the smaller of 1 MiB and writeBlockSize
   */
  maxRecordSize?: number;
  /**
   * `device` lines: device files, relative to the namespace's directory unless absolute.
   * Records are striped over them by digest. @default ['data-0.dat']
   */
  devices?: string[];
  /** `filesize` in bytes of each device file (device namespaces). @default 1073741824 (1 GiB) */
  filesize?: number;
  /** `data-size` in bytes of RAM for data (memory namespaces). @default 268435456 (256 MiB) */
  dataSize?: number;
  /** Memory namespaces: save data and index on clean shutdown and load them at the next start. @default false */
  persist?: boolean;
  /** `commit-to-device`: acknowledge writes only after they were written and fdatasync'd (group commit); false acknowledges from RAM and a crash loses up to flush-max-ms of writes. @default true */
  commitToDevice?: boolean;
  /** `flush-max-ms`: in buffered mode the write buffer is written at least this often — the most a crash can lose. @default 1000 */
  flushMaxMs?: number;
  /**
   * `post-write-queue`: write blocks per device kept in RAM after they are
   * written, so reads of recent writes skip the device (costs this many ×
   * write-block-size of RAM per device). @default 256
   */
  postWriteQueue?: number;
  /** `defrag-lwm-pct`: blocks whose live data is under this percentage are defragmented. @default 50 */
  defragLwmPct?: number;
  /** `high-water-disk-pct`: past this use, nsup evicts the records closest to expiry (those with a ttl); 0 disables. @default 0 */
  highWaterDiskPct?: number;
  /** `stop-writes-pct`: at this device use — or memory use, with memorySize — client writes fail with ENGINE_ERR_STOP_WRITES. @default 90 */
  stopWritesPct?: number;
  /**
   * `memory-size` in bytes: the namespace's RAM budget, counted as Aerospike
   * counts it — 64 B of primary index per record (tombstones included), the
   * secondary indexes, and the data of a memory namespace. memory_used_pct is
   * a percentage of it; 0 = no budget. @default 0
   */
  memorySize?: number;
  /** `high-water-memory-pct`: past this memory use (of memorySize), nsup evicts the records closest to expiry; 0 disables. @default 0 */
  highWaterMemoryPct?: number;
  /**
   * `direct-io`: open device files with O_DIRECT, bypassing the page cache;
   * every read and write then goes through block-aligned buffers at aligned
   * offsets. A file system that refuses O_DIRECT (tmpfs) fails the open. @default false
   */
  directIo?: boolean;
  /**
   * Seconds a durable-delete tombstone is kept before nsup collects it. It must
   * exceed the worst replication lag between regions: a tombstone collected
   * before a peer's older write arrives lets that write resurrect the record.
   * @default 86400 (1 day)
   */
  tombstoneGraceSec?: number;
  /** Append an 'expire' change event for each record nsup expires or evicts (XDR's ship-nsup-deletes). @default false */
  shipNsupDeletes?: boolean;
  /** Verify every record body's checksum during cold start (headers are always verified). @default true */
  coldStartVerifyBodies?: boolean;
  /** Options of this namespace's change log (dir, ns and logger are filled in). @default CHANGELOG_DEFAULTS */
  changeLog?: Omit<ChangeLogOptions, 'dir' | 'ns' | 'logger'>;
}

export interface EngineOptions {
  /** Directory with one sub-directory per namespace (device files, saved index, change log). */
  dataDir: string;
  /** This region's id (1..255), stamped on every local write. */
  regionId: number;
  namespaces: NamespaceOptions[];
  /** pino logger; the engine logs through children `{ module: 'engine', ns }`. @default silent */
  logger?: Logger;
  /** Wall clock behind the hybrid logical clock and TTLs. @default systemClock */
  clock?: Clock;
}

export interface ResolvedNamespaceOptions {
  readonly name: string;
  readonly storageEngine: StorageEngineKind;
  readonly defaultTtl: number;
  readonly nsupPeriod: number;
  readonly writeBlockSize: number;
  readonly maxRecordSize: number;
  readonly devices: readonly string[];
  readonly filesize: number;
  readonly dataSize: number;
  readonly persist: boolean;
  readonly commitToDevice: boolean;
  readonly flushMaxMs: number;
  readonly defragLwmPct: number;
  readonly postWriteQueue: number;
  readonly highWaterDiskPct: number;
  readonly stopWritesPct: number;
  readonly memorySize: number;
  readonly highWaterMemoryPct: number;
  readonly directIo: boolean;
  readonly tombstoneGraceSec: number;
  readonly shipNsupDeletes: boolean;
  readonly coldStartVerifyBodies: boolean;
  readonly changeLog: Omit<ChangeLogOptions, 'dir' | 'ns' | 'logger'>;
  /** Directory of this namespace. */
  readonly dir: string;
}

export const NAMESPACE_DEFAULTS = Object.freeze({
  storageEngine: 'device' as StorageEngineKind,
  defaultTtl: 0,
  nsupPeriod: 120,
  writeBlockSize: 128 * 1024,
  devices: Object.freeze(['data-0.dat']),
  filesize: 1024 * 1024 * 1024,
  dataSize: 256 * 1024 * 1024,
  persist: false,
  commitToDevice: true,
  flushMaxMs: 1000,
  defragLwmPct: 50,
  postWriteQueue: 256,
  highWaterDiskPct: 0,
  stopWritesPct: 90,
  memorySize: 0,
  highWaterMemoryPct: 0,
  directIo: false,
  tombstoneGraceSec: 86_400,
  shipNsupDeletes: false,
  coldStartVerifyBodies: true,
});

/** At least this many write blocks per device (defrag reserve + open block + room to work). */
const BLOCKS_PER_DEVICE_MIN = 8;
const DEVICES_MAX = 128;
const KNOWN_NS_FIELDS = new Set([...Object.keys(NAMESPACE_DEFAULTS), 'name', 'maxRecordSize', 'changeLog']);

class Problems {
  readonly list: Array<{ field: string; message: string }> = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  int(field: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.add(field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
      return min;
    }
    return value;
  }
  bool(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
      this.add(field, `must be true or false, got ${String(value)}`);
      return false;
    }
    return value;
  }
}

function resolveNamespace(o: NamespaceOptions, at: string, dataDir: string, p: Problems): ResolvedNamespaceOptions {
  const d = NAMESPACE_DEFAULTS;
  for (const k of Object.keys(o)) if (!KNOWN_NS_FIELDS.has(k)) p.add(`${at}.${k}`, 'is not a known namespace option');
  const name = typeof o.name === 'string' && /^[A-Za-z0-9_-]{1,31}$/.test(o.name) ? o.name : (p.add(`${at}.name`, 'must be 1–31 letters, digits, _ or -'), 'invalid');
  const storageEngine = o.storageEngine ?? d.storageEngine;
  if (storageEngine !== 'device' && storageEngine !== 'memory') p.add(`${at}.storageEngine`, "must be 'device' or 'memory'");
  const writeBlockSize = p.int(`${at}.writeBlockSize`, o.writeBlockSize ?? d.writeBlockSize, 4096, 8 * 1024 * 1024);
  if ((writeBlockSize & (writeBlockSize - 1)) !== 0) p.add(`${at}.writeBlockSize`, `must be a power of two, got ${writeBlockSize}`);
  const maxRecordSize = p.int(`${at}.maxRecordSize`, o.maxRecordSize ?? Math.min(writeBlockSize, RECORD_BYTES_DEFAULT_MAX), RECORD_BYTES_MIN, 8 * 1024 * 1024);
  if (maxRecordSize > writeBlockSize) p.add(`${at}.maxRecordSize`, `must not exceed writeBlockSize (${writeBlockSize}); a record is written within one block`);
  const filesize = p.int(`${at}.filesize`, o.filesize ?? d.filesize, writeBlockSize * BLOCKS_PER_DEVICE_MIN, 64 * 1024 ** 3);
  const dataSize = p.int(`${at}.dataSize`, o.dataSize ?? d.dataSize, writeBlockSize * BLOCKS_PER_DEVICE_MIN, 64 * 1024 ** 3);
  const devices = o.devices ?? d.devices;
  if (!Array.isArray(devices) || devices.length === 0 || devices.length > DEVICES_MAX || devices.some((x) => typeof x !== 'string' || x.length === 0)) {
    p.add(`${at}.devices`, `must list 1–${DEVICES_MAX} file paths`);
  } else if (new Set(devices).size !== devices.length) {
    p.add(`${at}.devices`, 'must not list a file twice');
  }
  const stopWritesPct = p.int(`${at}.stopWritesPct`, o.stopWritesPct ?? d.stopWritesPct, 1, 100);
  const highWaterDiskPct = p.int(`${at}.highWaterDiskPct`, o.highWaterDiskPct ?? d.highWaterDiskPct, 0, 100);
  if (highWaterDiskPct > 0 && highWaterDiskPct >= stopWritesPct) p.add(`${at}.highWaterDiskPct`, `must be below stopWritesPct (${stopWritesPct}) so eviction starts before writes stop`);
  const memorySize = p.int(`${at}.memorySize`, o.memorySize ?? d.memorySize, 0, 4 * 1024 ** 4);
  const highWaterMemoryPct = p.int(`${at}.highWaterMemoryPct`, o.highWaterMemoryPct ?? d.highWaterMemoryPct, 0, 100);
  if (highWaterMemoryPct > 0 && memorySize === 0) p.add(`${at}.highWaterMemoryPct`, 'needs memorySize (the budget it is a percentage of)');
  if (highWaterMemoryPct > 0 && highWaterMemoryPct >= stopWritesPct) p.add(`${at}.highWaterMemoryPct`, `must be below stopWritesPct (${stopWritesPct}) so eviction starts before writes stop`);
  const directIo = p.bool(`${at}.directIo`, o.directIo ?? d.directIo);
  if (directIo && storageEngine === 'memory') p.add(`${at}.directIo`, 'applies only to storage engine device');
  const dir = path.resolve(dataDir, name);
  return Object.freeze({
    name,
    storageEngine,
    defaultTtl: p.int(`${at}.defaultTtl`, o.defaultTtl ?? d.defaultTtl, 0, 10 * 365 * 86_400),
    nsupPeriod: p.int(`${at}.nsupPeriod`, o.nsupPeriod ?? d.nsupPeriod, 0, 86_400),
    writeBlockSize,
    maxRecordSize,
    devices: Object.freeze(Array.isArray(devices) ? devices.map((f) => path.resolve(dir, f)) : []),
    filesize: filesize - (filesize % writeBlockSize),
    dataSize: dataSize - (dataSize % writeBlockSize),
    persist: p.bool(`${at}.persist`, o.persist ?? d.persist),
    commitToDevice: p.bool(`${at}.commitToDevice`, o.commitToDevice ?? d.commitToDevice),
    flushMaxMs: p.int(`${at}.flushMaxMs`, o.flushMaxMs ?? d.flushMaxMs, 1, 60_000),
    defragLwmPct: p.int(`${at}.defragLwmPct`, o.defragLwmPct ?? d.defragLwmPct, 1, 99),
    postWriteQueue: p.int(`${at}.postWriteQueue`, o.postWriteQueue ?? d.postWriteQueue, 0, 4096),
    highWaterDiskPct,
    stopWritesPct,
    memorySize,
    highWaterMemoryPct,
    directIo,
    tombstoneGraceSec: p.int(`${at}.tombstoneGraceSec`, o.tombstoneGraceSec ?? d.tombstoneGraceSec, 0, 10 * 365 * 86_400),
    shipNsupDeletes: p.bool(`${at}.shipNsupDeletes`, o.shipNsupDeletes ?? d.shipNsupDeletes),
    coldStartVerifyBodies: p.bool(`${at}.coldStartVerifyBodies`, o.coldStartVerifyBodies ?? d.coldStartVerifyBodies),
    changeLog: Object.freeze({ ...(o.changeLog ?? {}) }),
    dir,
  });
}

/** Validates and freezes engine options; throws ENGINE_ERR_INVALID_ARGUMENT listing every problem. */
export function resolveEngineOptions(options: EngineOptions): { dataDir: string; regionId: number; namespaces: readonly ResolvedNamespaceOptions[] } {
  const p = new Problems();
  if (options === null || typeof options !== 'object') throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'engine options must be an object', { field: '' });
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) p.add('dataDir', 'must be a directory path');
  const regionId = p.int('regionId', options.regionId, 1, 255);
  const namespaces: ResolvedNamespaceOptions[] = [];
  if (!Array.isArray(options.namespaces) || options.namespaces.length === 0) p.add('namespaces', 'must list at least one namespace');
  else options.namespaces.forEach((ns, i) => namespaces.push(resolveNamespace(ns ?? ({} as NamespaceOptions), `namespaces[${i}]`, String(options.dataDir), p)));
  const names = namespaces.map((n) => n.name);
  if (new Set(names).size !== names.length) p.add('namespaces', 'names must be unique');
  if (p.list.length > 0) {
    const text = p.list.map((x) => `${x.field} ${x.message}`).join('; ');
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `invalid engine options: ${text}`, { field: p.list[0]!.field, problems: p.list });
  }
  return Object.freeze({ dataDir: path.resolve(options.dataDir), regionId, namespaces: Object.freeze(namespaces) });
}
