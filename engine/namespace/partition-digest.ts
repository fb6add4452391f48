/**
 * Per-partition digests of a namespace, for `xdrgate verify`: two regions that
 * have converged hold, partition by partition, the same records with the same
 * metadata, so comparing 4096 hashes finds the partitions that differ and only
 * those need a record-level listing.
 *
 * What a record's hash covers, and why (docs/operations.md repeats it):
 * - digest, set, user key, tombstone flag, bins, binLuts, counters, dormant
 *   counters: the data. Dormant counters are hashed only when there are some,
 *   so a record without them hashes as it did before they existed.
 * - lut, region, voidTime: every resolver copies them from the winning side,
 *   so converged regions agree on them.
 * - generation: `lww` and `generation` store the winning version as it came;
 *   `bin-lww` takes the max of both sides, never +1 (docs/conflict.md), so
 *   generation converges too and a difference is a real one (e.g. a version
 *   applied twice as a new write). It is included.
 * - Not covered: where the record sits (device, offset, size, write block) and
 *   the change-log seq, which legitimately differ per region.
 * Expired records are left out (they are invisible and each region's nsup
 * collects them at its own time); tombstones are included unless the caller
 * asks for live records only, since a missing tombstone lets an old write
 * resurrect a record.
 *
 * Values are hashed in a canonical form (map keys sorted, every value tagged
 * with its type), so two regions that hold equal bins in a different key
 * order — a bin-lww merge builds its maps in its own order — hash alike.
 */
import { createHash } from 'node:crypto';
import type { Engine } from '../engine.js';
import { DIGEST_BYTES, PARTITION_COUNT, digestHex } from '../digest.js';
import { EngineError } from '../errors.js';
import type { Namespace } from './namespace.js';
import { HllValue, type BinValue, type RecordVersion, type UserKey } from '../../record/index.js';

/** Records hashed between two yields to the event loop, so a large namespace never blocks writes for long. */
const RECORDS_PER_TURN = 512;

export interface PartitionDigestOptions {
  /** Leave tombstones out (e.g. right after nsup collected them in one region only). @default false */
  liveOnly?: boolean;
  /**
   * Leave out records whose lut is above this HLC timestamp: changes still in
   * flight between regions (anti-entropy passes the same cutoff to both). @default none
   */
  lutMax?: number;
}

export interface PartitionDigest {
  pid: number;
  /** Records hashed (tombstones included unless liveOnly). */
  records: number;
  /** Hex SHA-256 over the partition's records' canonical bytes in digest order; equal partitions have equal hashes. */
  hash: string;
}

/** One record's metadata and hash, as a record-level listing shows it. */
export interface PartitionRecordEntry {
  digest: string;
  set: string;
  key?: string | number;
  keyType?: 'string' | 'integer' | 'bytes';
  generation: number;
  lut: number;
  region: number;
  voidTime: number;
  deleted: boolean;
  bins: number;
  /** Hex, 32 chars: the record's hash (covers what the module comment lists). */
  hash: string;
}

const TAG = {
  null: 0, false: 1, true: 2, int: 3, double: 4, bigint: 5, string: 6, bytes: 7, list: 8, map: 9, undefined: 10, dormant: 11, hll: 12,
} as const;

/**
 * The canonical bytes of a record, written into one reusable buffer: a hash
 * then takes one update per record instead of one per field (native calls
 * dominate the cost of hashing small records).
 */
class CanonicalWriter {
  buf = Buffer.allocUnsafe(4096);
  at = 0;

  reset(): void {
    this.at = 0;
  }

  view(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  tagged32(tag: number, n: number): void {
    this.room(5);
    this.buf[this.at] = tag;
    this.buf.writeUInt32BE(n >>> 0, this.at + 1);
    this.at += 5;
  }

  f64(x: number): void {
    this.room(8);
    this.buf.writeDoubleBE(x, this.at);
    this.at += 8;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  string(tag: number, s: string): void {
    // Worst case 3 bytes per UTF-16 unit; the length prefix is patched after the write.
    this.room(5 + s.length * 3);
    this.buf[this.at] = tag;
    const n = this.buf.write(s, this.at + 5, 'utf8');
    this.buf.writeUInt32BE(n, this.at + 1);
    this.at += 5 + n;
  }

  value(v: BinValue | undefined): void {
    if (v === null) this.byte(TAG.null);
    else if (v === undefined) this.byte(TAG.undefined);
    else if (v === true || v === false) this.byte(v ? TAG.true : TAG.false);
    else if (typeof v === 'number') {
      this.byte(Number.isInteger(v) ? TAG.int : TAG.double);
      this.f64(v);
    } else if (typeof v === 'bigint') this.string(TAG.bigint, v.toString());
    else if (typeof v === 'string') this.string(TAG.string, v);
    else if (v instanceof Uint8Array) {
      this.tagged32(TAG.bytes, v.length);
      this.bytes(v);
    } else if (v instanceof HllValue) {
      this.tagged32(TAG.hll, v.bytes.length);
      this.bytes(v.bytes);
    } else if (Array.isArray(v)) {
      this.tagged32(TAG.list, v.length);
      for (const item of v) this.value(item);
    } else this.map(v as Record<string, unknown>);
  }

  map(m: Record<string, unknown>): void {
    const keys = Object.keys(m).sort();
    this.tagged32(TAG.map, keys.length);
    for (const k of keys) {
      this.string(TAG.string, k);
      this.value(m[k] as BinValue);
    }
  }

  /** Everything the module comment lists, in a fixed order. */
  record(v: RecordVersion): void {
    this.bytes(v.digest);
    this.string(TAG.string, v.set);
    this.value(v.key as BinValue | undefined);
    this.byte(v.deleted ? 1 : 0);
    this.f64(v.generation);
    this.f64(v.voidTime);
    this.f64(v.lut);
    this.byte(v.region & 0xff);
    this.map(v.bins as Record<string, unknown>);
    this.map(v.binLuts as Record<string, unknown>);
    this.map((v.counters ?? {}) as Record<string, unknown>);
    const dormant = v.dormantCounters;
    if (dormant !== undefined && Object.keys(dormant).length > 0) {
      this.byte(TAG.dormant);
      this.map(dormant as Record<string, unknown>);
    }
  }
}

const shared = new CanonicalWriter();

/** The canonical bytes of a version (a view into a shared buffer, valid until the next call). */
function canonical(v: RecordVersion): Buffer {
  shared.reset();
  shared.record(v);
  return shared.view();
}

/** The hash of one stored version (16 bytes of SHA-256 over its canonical form). */
export function recordHash(v: RecordVersion): Buffer {
  return createHash('sha256').update(canonical(v)).digest().subarray(0, 16);
}

function checkRange(ns: string, fromPid: number, toPid: number): void {
  if (!Number.isInteger(fromPid) || !Number.isInteger(toPid) || fromPid < 0 || toPid >= PARTITION_COUNT || fromPid > toPid) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `partition range ${fromPid}..${toPid} is not within 0..${PARTITION_COUNT - 1}`, { ns });
  }
}

function compareDigests(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < DIGEST_BYTES; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

interface Collected {
  slot: number;
  digest: Uint8Array;
}

/** Live (or tombstone) slots of the wanted partitions, grouped by partition and sorted by digest. */
function collect(ns: Namespace, fromPid: number, toPid: number, liveOnly: boolean): Map<number, Collected[]> {
  const index = ns.index;
  const wanted = new Uint8Array(PARTITION_COUNT);
  wanted.fill(1, fromPid, toPid + 1);
  const nowSec = ns.nowSec();
  const byPid = new Map<number, Collected[]>();
  index.forEachInPartitions(wanted, (slot) => {
    if (ns.isExpired(slot, nowSec) || (liveOnly && index.isTombstone(slot))) return;
    const pid = index.partitionOf(slot);
    let list = byPid.get(pid);
    if (list === undefined) byPid.set(pid, (list = []));
    list.push({ slot, digest: index.digestAt(slot) });
  });
  for (const list of byPid.values()) list.sort((a, b) => compareDigests(a.digest, b.digest));
  return byPid;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls fn with the current version at each collected slot, skipping slots
 * that were removed or reused while we yielded (the listing is then a little
 * stale, which a verify under traffic tolerates: it re-checks partitions that
 * differ). Synchronous between yields: a promise per record would cost more
 * than hashing it.
 */
async function forEachVersion(ns: Namespace, list: Collected[], budget: { left: number }, fn: (v: RecordVersion) => void, lutMax = Number.POSITIVE_INFINITY): Promise<void> {
  for (const c of list) {
    if (--budget.left <= 0) {
      budget.left = RECORDS_PER_TURN;
      await yieldTurn();
    }
    if (!ns.index.isLive(c.slot) || !ns.index.digestEquals(c.slot, c.digest)) continue;
    const v = ns.versionAt(c.slot, c.digest);
    if (v.lut > lutMax) continue;
    fn(v);
  }
}

/**
 * Hashes of partitions fromPid..toPid (inclusive) of namespace `nsName`. Every
 * partition in the range is returned, empty ones with records 0 and the hash
 * of nothing. Throws ENGINE_ERR_NAMESPACE_NOT_FOUND, ENGINE_ERR_INVALID_ARGUMENT,
 * or ENGINE_ERR_CORRUPTED_STORAGE for a record failing its checksum.
 */
export async function partitionDigests(engine: Engine, nsName: string, fromPid = 0, toPid = PARTITION_COUNT - 1, options: PartitionDigestOptions = {}): Promise<PartitionDigest[]> {
  const ns = engine.namespace(nsName);
  checkRange(nsName, fromPid, toPid);
  const byPid = collect(ns, fromPid, toPid, options.liveOnly ?? false);
  const out: PartitionDigest[] = [];
  const budget = { left: RECORDS_PER_TURN };
  for (let pid = fromPid; pid <= toPid; pid++) {
    const h = createHash('sha256');
    let records = 0;
    await forEachVersion(ns, byPid.get(pid) ?? [], budget, (v) => {
      h.update(canonical(v));
      records++;
    }, options.lutMax);
    out.push({ pid, records, hash: h.digest('hex') });
  }
  return out;
}

function keyFields(key: UserKey | undefined): Pick<PartitionRecordEntry, 'key' | 'keyType'> {
  if (key === undefined) return {};
  if (typeof key === 'string') return { key, keyType: 'string' };
  if (typeof key === 'number') return { key, keyType: 'integer' };
  if (typeof key === 'bigint') return { key: key.toString(), keyType: 'integer' };
  return { key: Buffer.from(key).toString('base64'), keyType: 'bytes' };
}

/** Every record of one partition with its metadata and hash, in digest order (at most `recordsMax`). */
export async function partitionRecords(engine: Engine, nsName: string, pid: number, options: PartitionDigestOptions & { recordsMax?: number } = {}): Promise<{ records: PartitionRecordEntry[]; truncated: boolean }> {
  const ns = engine.namespace(nsName);
  checkRange(nsName, pid, pid);
  const list = collect(ns, pid, pid, options.liveOnly ?? false).get(pid) ?? [];
  const max = options.recordsMax ?? 100_000;
  const records: PartitionRecordEntry[] = [];
  let truncated = false;
  await forEachVersion(ns, list, { left: RECORDS_PER_TURN }, (v) => {
    if (records.length >= max) {
      truncated = true;
      return;
    }
    records.push({
      digest: digestHex(v.digest),
      set: v.set,
      ...keyFields(v.key),
      generation: v.generation,
      lut: v.lut,
      region: v.region,
      voidTime: v.voidTime,
      deleted: v.deleted,
      bins: Object.keys(v.bins).length,
      hash: recordHash(v).toString('hex'),
    });
  }, options.lutMax);
  return { records, truncated };
}
