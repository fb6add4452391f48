/**
 * Cold start: rebuilds what lives where by reading every write block of every
 * device and parsing record headers (never the bins). Blocks are read in large
 * sequential chunks. Each record's header and body checksums are verified
 * (native CRC-32 costs well under a nanosecond a byte).
 *
 * A record that fails its checks ends its block's data. It is a torn write —
 * dropped and wiped so later scans do not trip on it — only when nothing valid
 * follows it in its block and the block is one of the two newest of its device
 * (the only places an interrupted write can be). Anything else is corruption:
 * ENGINE_ERR_CORRUPTED_STORAGE naming the file and offset, never silently
 * dropped or wrong data.
 */
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import type { Storage } from './storage.js';
import {
  HeaderStatus, RECORD_ALIGN_BYTES, RECORD_MAGIC, alignUp, bodyIntact, newHeaderView, parseHeader, type HeaderView,
} from './record-format/record-codec.js';

/** Called for each valid record; `pos` is its position in `buf`, `offset` its byte offset on the device. */
export type RecordVisitor = (buf: Buffer, pos: number, h: HeaderView, dev: number, block: number, offset: number) => void;

interface Damage {
  dev: number;
  block: number;
  offset: number;
  /** The block's sequence (known from earlier records or read raw from the damaged header). */
  seq: number;
  followedByValid: boolean;
}

export interface ColdScanResult {
  records: number;
  tornDropped: number;
  maxSeq: number;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
const TAIL_BLOCKS_PER_DEVICE = 2;

export function coldScan(storage: Storage, visit: RecordVisitor, logger: Logger, verifyBodies = true): ColdScanResult {
  const t = storage.blocks;
  const wbs = storage.blockBytes;
  const blocksPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / wbs));
  const chunk = Buffer.allocUnsafe(blocksPerChunk * wbs);
  const h = newHeaderView();
  const damage: Damage[] = [];
  let records = 0;
  let maxSeq = 0;
  const startedMs = performance.now();
  let lastLogMs = startedMs;
  const totalBlocks = t.blockCount;
  let blocksDone = 0;

  for (let dev = 0; dev < storage.devices.length; dev++) {
    const device = storage.devices[dev]!;
    if (device.fresh) {
      blocksDone += t.blocksPerDevice;
      continue;
    }
    for (let first = 0; first < t.blocksPerDevice; first += blocksPerChunk) {
      const n = Math.min(blocksPerChunk, t.blocksPerDevice - first);
      device.read(chunk, 0, n * wbs, first * wbs);
      for (let i = 0; i < n; i++) {
        const block = dev * t.blocksPerDevice + first + i;
        const base = i * wbs;
        const limit = base + wbs;
        let pos = base;
        let seq = -1;
        for (;;) {
          const status = parseHeader(chunk, pos, limit, seq, h);
          if (status === HeaderStatus.End) break;
          if (status === HeaderStatus.Bad || (verifyBodies && !bodyIntact(chunk, h, pos))) {
            const rawSeq = seq >= 0 ? seq : chunk.readUInt32LE(pos + 16);
            damage.push({ dev, block, offset: (first + i) * wbs + (pos - base), seq: rawSeq, followedByValid: validAfter(chunk, pos, limit, seq) });
            if (seq < 0) t.seq[block] = rawSeq;
            break;
          }
          if (seq < 0) {
            seq = h.blockSeq;
            t.seq[block] = seq;
            if (seq > maxSeq) maxSeq = seq;
          }
          visit(chunk, pos, h, dev, block, (first + i) * wbs + (pos - base));
          records++;
          pos += alignUp(h.totalBytes);
          if (pos >= limit) break;
        }
      }
      blocksDone += n;
      const nowMs = performance.now();
      if (nowMs - lastLogMs > 1000) {
        lastLogMs = nowMs;
        const rate = records / ((nowMs - startedMs) / 1000);
        const etaSec = ((totalBlocks - blocksDone) / blocksDone) * ((nowMs - startedMs) / 1000);
        logger.info({ records, recordsPerSec: Math.round(rate), blocksDone, totalBlocks, etaSec: Math.round(etaSec) }, 'cold start scanning devices');
      }
    }
  }
  const tornDropped = settleDamage(storage, damage, logger);
  const elapsedSec = (performance.now() - startedMs) / 1000;
  logger.info({ records, tornDropped, elapsedSec: Number(elapsedSec.toFixed(3)), recordsPerSec: Math.round(records / Math.max(elapsedSec, 1e-6)) }, 'cold start scan done');
  return { records, tornDropped, maxSeq };
}

/** Whether a valid record of the same block use (any use when unknown) starts after `pos`. */
function validAfter(buf: Buffer, pos: number, limit: number, seq: number): boolean {
  const h = newHeaderView();
  for (let p = pos + RECORD_ALIGN_BYTES; p + 64 <= limit; p += RECORD_ALIGN_BYTES) {
    if (buf.readUInt32LE(p) !== RECORD_MAGIC) continue;
    if (parseHeader(buf, p, limit, seq, h) === HeaderStatus.Ok) return true;
  }
  return false;
}

function settleDamage(storage: Storage, damage: Damage[], logger: Logger): number {
  if (damage.length === 0) return 0;
  const t = storage.blocks;
  // The newest block uses of each device: the only places a write can have been cut short.
  const tail = new Set<number>();
  for (let dev = 0; dev < storage.devices.length; dev++) {
    const blocks: number[] = [];
    for (let i = 0; i < t.blocksPerDevice; i++) {
      const b = dev * t.blocksPerDevice + i;
      if (t.seq[b] !== 0) blocks.push(b);
    }
    blocks.sort((a, b) => t.seq[b]! - t.seq[a]!);
    for (const b of blocks.slice(0, TAIL_BLOCKS_PER_DEVICE)) tail.add(b);
  }
  for (const d of damage) {
    const file = storage.devices[d.dev]!.name;
    if (d.followedByValid || !tail.has(d.block)) {
      throw new EngineError('ENGINE_ERR_CORRUPTED_STORAGE',
        `device ${file} is corrupted at offset ${d.offset}: a record fails its checksum ${d.followedByValid ? 'and valid records follow it' : 'in a block that is not among the newest'}; restore the file or re-replicate the namespace from a peer region`,
        { file, offset: d.offset });
    }
  }
  // All damage is torn tails: wipe the magic so later scans see a clean end.
  const zero = Buffer.alloc(4);
  for (const d of damage) {
    storage.devices[d.dev]!.write(zero, 0, 4, d.offset);
    logger.warn({ file: storage.devices[d.dev]!.name, offset: d.offset }, 'dropped a torn record at the tail of a device');
  }
  for (const dev of storage.devices) dev.datasyncSync();
  return damage.length;
}
