/**
 * Per-partition digests of a namespace, for `xdrgate verify`: two regions that
 * have converged hold, partition by partition, the same records with the same
 * metadata, so comparing 4096 hashes finds the partitions that differ and only
 * those need a record-level listing.
 *
 * What a record's hash covers, and why (docs/operations.md repeats it):
 * - digest, set, user key, tombstone flag, bins, binLuts, counters: the data.
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
import { createHash, type Hash } from 'node:crypto';
import type { Engine } from './engine.js';
import { DIGEST_BYTES, PARTITION_COUNT, digestHex } from './digest.js';
import { EngineError } from './errors.js';
import type { Namespace } from './namespace.js';
import type { BinValue, RecordVersion, UserKey } from './types.js';

/** Records hashed between two yields to the event loop, so a large namespace never blocks writes for long. */
const RECORDS_PER_TURN = 512;

export interface PartitionDigestOptions {
  /** Leave tombstones out (e.g. right after nsup collected them in one region only). @default false */
  liveOnly?: boolean;
}

export interface PartitionDigest {
  pid: number;
  /** Records hashed (tombstones included unless liveOnly). */
  records: number;
  /** Hex SHA-256 over the partition's record hashes in digest order; equal partitions have equal hashes. */
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
  null: 0, false: 1, true: 2, int: 3, double: 4, bigint: 5, string: 6, bytes: 7, list: 8, map: 9, undefined: 10,
} as const;

function feedValue(h: Hash, v: BinValue | undefined): void {
  if (v === null) h.update(Buffer.of(TAG.null));
  else if (v === undefined) h.update(Buffer.of(TAG.undefined));
  else if (v === true || v === false) h.update(Buffer.of(v ? TAG.true : TAG.false));
  else if (typeof v === 'number') {
    const tag = Buffer.allocUnsafe(9);
    tag[0] = Number.isInteger(v) ? TAG.int : TAG.double;
    tag.writeDoubleBE(v, 1);
    h.update(tag);
  } else if (typeof v === 'bigint') feedString(h, TAG.bigint, v.toString());
  else if (typeof v === 'string') feedString(h, TAG.string, v);
  else if (v instanceof Uint8Array) {
    feedLength(h, TAG.bytes, v.length);
    h.update(v);
  } else if (Array.isArray(v)) {
    feedLength(h, TAG.list, v.length);
    for (const item of v) feedValue(h, item);
  } else feedMap(h, v as Record<string, BinValue>);
}

function feedLength(h: Hash, tag: number, length: number): void {
  const b = Buffer.allocUnsafe(5);
  b[0] = tag;
  b.writeUInt32BE(length, 1);
  h.update(b);
}

function feedString(h: Hash, tag: number, s: string): void {
  const bytes = Buffer.from(s, 'utf8');
  feedLength(h, tag, bytes.length);
  h.update(bytes);
}

function feedMap(h: Hash, m: Record<string, unknown>): void {
  const keys = Object.keys(m).sort();
  feedLength(h, TAG.map, keys.length);
  for (const k of keys) {
    feedString(h, TAG.string, k);
    feedValue(h, m[k] as BinValue);
  }
}

function feedKey(h: Hash, key: UserKey | undefined): void {
  if (key === undefined) h.update(Buffer.of(TAG.undefined));
  else feedValue(h, key as BinValue);
}

/** The hash of one stored version (16 bytes of SHA-256 over its canonical form). */
export function recordHash(v: RecordVersion): Buffer {
  const h = createHash('sha256');
  h.update(v.digest);
  feedString(h, TAG.string, v.set);
  feedKey(h, v.key);
  const meta = Buffer.allocUnsafe(22);
  meta[0] = v.deleted ? 1 : 0;
  meta.writeDoubleBE(v.generation, 1);
  meta.writeUInt32BE(v.voidTime >>> 0, 9);
  meta.writeDoubleBE(v.lut, 13);
  meta[21] = v.region & 0xff;
  h.update(meta);
  feedMap(h, v.bins as Record<string, unknown>);
  feedMap(h, v.binLuts as Record<string, unknown>);
  feedMap(h, (v.counters ?? {}) as Record<string, unknown>);
  return h.digest().subarray(0, 16);
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
 * The current version at each collected slot, skipping slots that were removed
 * or reused while we yielded (the listing is then a little stale, which a
 * verify under traffic tolerates: it re-checks partitions that differ).
 */
async function* versions(ns: Namespace, list: Collected[], budget: { left: number }): AsyncGenerator<RecordVersion> {
  for (const c of list) {
    if (--budget.left <= 0) {
      budget.left = RECORDS_PER_TURN;
      await yieldTurn();
    }
    if (!ns.index.isLive(c.slot) || !ns.index.digestEquals(c.slot, c.digest)) continue;
    yield ns.versionAt(c.slot, c.digest);
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
    for await (const v of versions(ns, byPid.get(pid) ?? [], budget)) {
      h.update(recordHash(v));
      records++;
    }
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
  for await (const v of versions(ns, list, { left: RECORDS_PER_TURN })) {
    if (records.length >= max) return { records, truncated: true };
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
  }
  return { records, truncated: false };
}
