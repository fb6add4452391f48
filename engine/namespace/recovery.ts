/**
 * Rebuilding a namespace's index at open: from the saved index after a clean
 * shutdown, or from the devices (cold start) after a crash; then making sure
 * the change log has an event for every version on the device: each record
 * carries the seq of its change event, so a version whose seq is above the
 * log's head (the log lost its tail in the crash) gets its event appended again,
 * whatever its lut — applied remote versions can be older than the log's last lut.
 */
import * as path from 'node:path';
import type { Logger } from 'pino';
import { isEngineError } from '../errors.js';
import { FLAG_TOMBSTONE, PrimaryIndex } from '../primary-index/index.js';
import type { ChangeLog } from '../changelog/index.js';
import type { Storage } from '../storage/storage.js';
import { coldScan } from '../storage/cold-scan.js';
import { INDEX_FILE, readMarker, type CleanMarker } from './clean-shutdown.js';
import { alignUp, setNameOf, type HeaderView } from '../storage/record-format/record-codec.js';

export interface RebuiltIndex {
  index: PrimaryIndex;
  source: 'saved-index' | 'cold-start' | 'empty';
  /** Largest lut found (the HLC must stay ahead of it). */
  maxLut: number;
  records: number;
  /** Torn records found at device tails and dropped (cold start only). */
  tornDropped: number;
  /** Slots whose current version's change event is not in the log (seq > log head), with that seq. */
  missingEvents: Map<number, number>;
  elapsedMs: number;
}

function markerMatches(m: CleanMarker, storage: Storage): boolean {
  return m.writeBlockSize === storage.blockBytes
    && m.deviceBytes === storage.blocks.blocksPerDevice * storage.blockBytes
    && m.devices.length === storage.devices.length
    && m.devices.every((d, i) => d === storage.devices[i]!.name);
}

/** Rebuilds block accounting from a loaded index. */
function accountFromIndex(index: PrimaryIndex, storage: Storage): number {
  let maxLut = 0;
  const t = storage.blocks;
  index.forEach((slot) => {
    t.liveBytes[t.blockAt(index.device(slot), index.offset(slot))] += alignUp(index.size(slot));
    const lut = index.lut(slot);
    if (lut > maxLut) maxLut = lut;
  });
  t.rebuildFreeLists();
  return maxLut;
}

/**
 * `logHeadSeq` is the change log's head after its own recovery: versions with a
 * higher changeSeq have no event in the log.
 */
export async function rebuildIndex(dir: string, storage: Storage, verifyBodies: boolean, logHeadSeq: number, logger: Logger): Promise<RebuiltIndex> {
  const started = performance.now();
  const marker = readMarker(dir);
  if (marker !== null && markerMatches(marker, storage)) {
    try {
      const { index, stamp } = await PrimaryIndex.load(path.join(dir, INDEX_FILE));
      if (stamp === marker.stamp) {
        const maxLut = accountFromIndex(index, storage);
        storage.nextSeq = marker.nextSeq;
        const elapsedMs = performance.now() - started;
        logger.info({ records: index.count, elapsedMs: Math.round(elapsedMs) }, 'loaded the saved index (clean shutdown)');
        return { index, source: 'saved-index', maxLut, records: index.count, tornDropped: 0, missingEvents: new Map(), elapsedMs };
      }
      logger.warn('saved index does not match the shutdown marker; cold start');
    } catch (err) {
      if (!isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      logger.warn({ err }, 'saved index unusable; cold start from the devices');
    }
  }
  return coldStart(storage, verifyBodies, logHeadSeq, logger, started);
}

/**
 * Records assumed per allocated device byte when sizing the index for a cold
 * start: one per 256 bytes. Too small an estimate only costs rehashing as the
 * index grows; too large wastes 4 bytes of hash buckets per estimated record.
 */
const COLD_START_BYTES_PER_RECORD_GUESS = 256;

function coldStart(storage: Storage, verifyBodies: boolean, logHeadSeq: number, logger: Logger, started: number): RebuiltIndex {
  let allocated = 0;
  for (const d of storage.devices) allocated += d.allocatedBytes();
  const guess = Math.min(2 ** 27, Math.ceil(allocated / COLD_START_BYTES_PER_RECORD_GUESS));
  const index = new PrimaryIndex({ initialBuckets: Math.max(4096, Math.ceil((guess * 4) / 3)) });
  const missingEvents = new Map<number, number>();
  const t = storage.blocks;
  let maxLut = 0;
  // Records of one set come in runs: compare set-name bytes with the previous
  // record's instead of decoding a string per record.
  let lastSet = Buffer.alloc(0);
  let lastSetId = -1;
  const visit = (buf: Buffer, _pos: number, h: HeaderView, dev: number, block: number, offset: number) => {
    const size = alignUp(h.totalBytes);
    let slot = index.find(buf, h.digestAt);
    if (slot >= 0) {
      // The newest copy wins by physical write order: block use sequence, then
      // position in the block. This is right even for versions applied from
      // other regions whose lut is older than the copy they replaced.
      const oldDev = index.device(slot);
      const oldOffset = index.offset(slot);
      const oldBlock = t.blockAt(oldDev, oldOffset);
      const newer = t.seq[block]! > t.seq[oldBlock]! || (block === oldBlock && offset > oldOffset);
      if (!newer) return;
      t.liveBytes[oldBlock] -= alignUp(index.size(slot));
    } else {
      slot = index.insert(buf, h.digestAt);
    }
    if (lastSetId < 0 || !sameBytes(lastSet, buf, h.setStart, h.setLen)) {
      lastSet = Buffer.from(buf.subarray(h.setStart, h.setStart + h.setLen));
      lastSetId = index.sets.idOf(setNameOf(buf, h));
    }
    index.setGeneration(slot, h.generation);
    index.setVoidTime(slot, h.voidTime);
    index.setLut(slot, h.lut);
    index.setRegion(slot, h.region);
    index.setSetId(slot, lastSetId);
    index.setFlags(slot, h.flags);
    index.setLocation(slot, dev, offset, h.totalBytes);
    t.liveBytes[block] += size;
    if (h.changeSeq > logHeadSeq) missingEvents.set(slot, h.changeSeq);
    else if (missingEvents.size > 0) missingEvents.delete(slot);
    if (h.lut > maxLut) maxLut = h.lut;
  };
  const result = coldScan(storage, visit, logger, verifyBodies);
  t.rebuildFreeLists();
  storage.nextSeq = result.maxSeq + 1;
  const elapsedMs = performance.now() - started;
  return { index, source: result.records === 0 ? 'empty' : 'cold-start', maxLut, records: index.count, tornDropped: result.tornDropped, missingEvents, elapsedMs };
}

/** Whether `a` equals buf[at, at + len) (set names are short: a loop beats Buffer.compare's call). */
function sameBytes(a: Buffer, buf: Buffer, at: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== buf[at + i]) return false;
  return true;
}

/** Appends the change events the log lost for versions on the device, in their original order. Returns how many. */
export function reconcileChangeLog(ns: string, index: PrimaryIndex, log: ChangeLog, missing: Map<number, number>, logger: Logger): number {
  if (missing.size === 0) return 0;
  const slots = [...missing.keys()].sort((a, b) => missing.get(a)! - missing.get(b)!);
  for (const slot of slots) {
    log.append({
      kind: (index.flags(slot) & FLAG_TOMBSTONE) !== 0 ? 'delete' : 'write',
      ns,
      set: index.sets.nameOf(index.setId(slot)),
      digest: index.digestAt(slot),
      lut: index.lut(slot),
      region: index.region(slot),
    });
  }
  logger.info({ events: slots.length, logHeadSeqBefore: log.headSeq() - slots.length }, 'appended change events the change log lost for versions found on the devices');
  return slots.length;
}
