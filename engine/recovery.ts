/**
 * Rebuilding a namespace's index at open: from the saved index after a clean
 * shutdown, or from the devices (cold start) after a crash; then making sure
 * the change log has an event for every record newer than its last entry, so
 * a write that reached the device but not the log is still shipped.
 */
import * as path from 'node:path';
import type { Logger } from 'pino';
import { isEngineError } from './errors.js';
import { FLAG_TOMBSTONE, PrimaryIndex } from './index/index.js';
import type { ChangeLog } from './changelog/index.js';
import type { Storage } from './device/storage.js';
import { coldScan } from './device/cold-scan.js';
import { INDEX_FILE, readMarker, type CleanMarker } from './clean-shutdown.js';
import { alignUp, setNameOf, type HeaderView } from './record-codec.js';

export interface RebuiltIndex {
  index: PrimaryIndex;
  source: 'saved-index' | 'cold-start' | 'empty';
  /** Largest lut found (the HLC must stay ahead of it). */
  maxLut: number;
  records: number;
  /** Torn records found at device tails and dropped (cold start only). */
  tornDropped: number;
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

export async function rebuildIndex(dir: string, storage: Storage, verifyBodies: boolean, logger: Logger): Promise<RebuiltIndex> {
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
        return { index, source: 'saved-index', maxLut, records: index.count, tornDropped: 0, elapsedMs };
      }
      logger.warn('saved index does not match the shutdown marker; cold start');
    } catch (err) {
      if (!isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      logger.warn({ err }, 'saved index unusable; cold start from the devices');
    }
  }
  return coldStart(storage, verifyBodies, logger, started);
}

function coldStart(storage: Storage, verifyBodies: boolean, logger: Logger, started: number): RebuiltIndex {
  const index = new PrimaryIndex();
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
    if (lastSetId < 0 || lastSet.length !== h.setLen || buf.compare(lastSet, 0, h.setLen, h.setStart, h.setStart + h.setLen) !== 0) {
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
    if (h.lut > maxLut) maxLut = h.lut;
  };
  const result = coldScan(storage, visit, logger, verifyBodies);
  t.rebuildFreeLists();
  storage.nextSeq = result.maxSeq + 1;
  const elapsedMs = performance.now() - started;
  return { index, source: result.records === 0 ? 'empty' : 'cold-start', maxLut, records: index.count, tornDropped: result.tornDropped, elapsedMs };
}

/** Appends change events for records newer than the log's last entry (oldest first). Returns how many. */
export function reconcileChangeLog(ns: string, index: PrimaryIndex, log: ChangeLog, logger: Logger): number {
  const lastLut = log.lastLut();
  const slots: number[] = [];
  index.forEach((slot) => {
    if (index.lut(slot) > lastLut) slots.push(slot);
  });
  if (slots.length === 0) return 0;
  slots.sort((a, b) => index.lut(a) - index.lut(b));
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
  logger.info({ events: slots.length, sinceLut: lastLut }, 'appended change events for records the change log had missed');
  return slots.length;
}
