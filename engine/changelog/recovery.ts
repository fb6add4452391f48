/**
 * Opening a log directory: find the segments, check every frame, truncate a torn
 * tail, refuse damage anywhere else.
 *
 * Why a damaged last frame is a torn tail but damage before valid data is not:
 * segments are only ever appended to, and a segment is fdatasync'd before the
 * next one is created, so after a crash only the end of the newest segment can
 * hold a half-written frame. A bad frame that is followed by a good one was
 * damaged after it was written (a flipped bit, a bad sector): dropping it would
 * silently lose acknowledged changes, so that is ENGINE_ERR_CORRUPTED_STORAGE.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import {
  checkFrame,
  decodeHeader,
  encodeHeader,
  FRAME_BYTES_MAX,
  frameLut,
  frameSeq,
  HEADER_BYTES,
  parseSegmentFileName,
} from './frame.js';
import { fsyncDirSync } from '../storage/fsync-dir.js';
import { Segment } from './segment.js';

const SCAN_BLOCK_BYTES = 4 * 1024 * 1024;
/** Progress is logged only for logs at least this big, at most once per interval. */
const PROGRESS_LOG_BYTES_MIN = 64 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 1000;

export interface RecoveredLog {
  segments: Segment[];
  lastLut: number;
}

function corrupted(file: string, offset: number, reason: string): EngineError {
  return new EngineError(
    'ENGINE_ERR_CORRUPTED_STORAGE',
    `change log file ${file} is damaged at byte ${offset} (${reason}). Restore the directory from a replica or ` +
      `remove the segment files from this one onwards; cursors will then overflow and resume by scan.`,
    { file, offset, reason },
  );
}

class Progress {
  private readonly started = Date.now();
  private lastLogged = Date.now();
  scanned = 0;
  constructor(
    private readonly total: number,
    private readonly logger: Logger,
  ) {}
  add(bytes: number): void {
    this.scanned += bytes;
    if (this.total < PROGRESS_LOG_BYTES_MIN) return;
    const now = Date.now();
    if (now - this.lastLogged < PROGRESS_INTERVAL_MS) return;
    this.lastLogged = now;
    const bytesPerSec = (this.scanned / Math.max(1, now - this.started)) * 1000;
    const etaSec = Math.round((this.total - this.scanned) / Math.max(1, bytesPerSec));
    this.logger.info(
      { scannedBytes: this.scanned, totalBytes: this.total, mbPerSec: Math.round(bytesPerSec / 1e6), etaSec },
      'change log recovery scanning',
    );
  }
}

/** Lists, checks and opens every segment of `dir`, creating the first one for an empty log. */
export function recoverLog(dir: string, logger: Logger): RecoveredLog {
  fs.mkdirSync(dir, { recursive: true });
  const names = fs
    .readdirSync(dir)
    .map((name) => ({ name, firstSeq: parseSegmentFileName(name) }))
    .filter((e) => e.firstSeq > 0)
    .sort((a, b) => a.firstSeq - b.firstSeq);
  const total = names.reduce((sum, e) => sum + fs.statSync(path.join(dir, e.name)).size, 0);
  const progress = new Progress(total, logger);
  const started = Date.now();
  const segments: Segment[] = [];
  let lastLut = 0;
  try {
    for (let i = 0; i < names.length; i++) {
      const { name, firstSeq } = names[i]!;
      const prev = segments[segments.length - 1];
      if (prev !== undefined && prev.endSeq() !== firstSeq) {
        throw corrupted(path.join(dir, name), 0, `segment starts at seq ${firstSeq} but the previous one ends before ${prev.endSeq()}`);
      }
      const seg = openSegment(path.join(dir, name), firstSeq, i === names.length - 1, lastLut, logger, progress);
      segments.push(seg);
      lastLut = Math.max(lastLut, seg.maxLut);
    }
  } catch (err) {
    for (const s of segments) s.closeIfIdle();
    throw err;
  }
  if (segments.length === 0) {
    segments.push(Segment.create(dir, 1, 0));
    fs.fdatasyncSync(segments[0]!.fd);
    fsyncDirSync(dir);
  }
  if (total >= PROGRESS_LOG_BYTES_MIN) {
    logger.info({ segments: segments.length, bytes: total, ms: Date.now() - started }, 'change log recovered');
  }
  return { segments, lastLut };
}

function openSegment(file: string, firstSeq: number, isLast: boolean, prevLut: number, logger: Logger, progress: Progress): Segment {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const headerBuf = Buffer.alloc(HEADER_BYTES);
    const got = fs.readSync(fd, headerBuf, 0, HEADER_BYTES, 0);
    const header = decodeHeader(headerBuf.subarray(0, got));
    if (typeof header === 'string') {
      // A crash between creating the file and writing its 32-byte header leaves a short file.
      if (!isLast || size > HEADER_BYTES) throw corrupted(file, 0, header);
      logger.warn({ file, size, reason: header }, 'change log: rewriting the header of a torn newest segment');
      fs.ftruncateSync(fd, 0);
      fs.writeSync(fd, encodeHeader({ firstSeq, baseLut: prevLut }), 0, HEADER_BYTES, 0);
      fs.fdatasyncSync(fd);
      return new Segment(firstSeq, file, prevLut, fd);
    }
    if (header.firstSeq !== firstSeq) throw corrupted(file, 8, `header says first seq ${header.firstSeq}, file name says ${firstSeq}`);
    const seg = new Segment(firstSeq, file, header.baseLut, fd);
    scanFrames(seg, size, isLast, logger, progress);
    return seg;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

const FRAME_REASONS: Record<number, string> = {
  [-1]: 'truncated frame prefix',
  [-2]: 'implausible frame length',
  [-3]: 'frame runs past the end of the file',
  [-4]: 'frame checksum mismatch',
  [-5]: 'sequence number out of order',
};

function scanFrames(seg: Segment, size: number, isLast: boolean, logger: Logger, progress: Progress): void {
  const buf = Buffer.allocUnsafe(Math.min(SCAN_BLOCK_BYTES, Math.max(size, HEADER_BYTES)));
  let blockStart = HEADER_BYTES;
  let badAt = -1;
  let badReason = 0;
  while (blockStart < size && badAt < 0) {
    const blockLen = fs.readSync(seg.fd, buf, 0, Math.min(buf.length, size - blockStart), blockStart);
    const atEof = blockStart + blockLen >= size;
    let p = 0;
    for (;;) {
      if (p === blockLen) break;
      const n = checkFrame(buf, p, blockLen, true);
      if (n < 0) {
        if ((n === -1 || n === -3) && !atEof && p > 0) break; // straddles the block: re-read from p
        badAt = blockStart + p;
        badReason = n;
        break;
      }
      if (frameSeq(buf, p) !== seg.firstSeq + seg.count) {
        badAt = blockStart + p;
        badReason = -5;
        break;
      }
      seg.noteEntry(blockStart + p);
      seg.count++;
      const lut = frameLut(buf, p);
      if (lut > seg.maxLut) seg.maxLut = lut;
      p += n;
    }
    progress.add(p);
    blockStart += p;
    if (p === 0 && badAt < 0) {
      // A single frame larger than the block cannot happen (frames are tiny); guard the loop anyway.
      badAt = blockStart;
      badReason = -2;
    }
  }
  seg.bytes = badAt < 0 ? size : badAt;
  if (badAt < 0) return;
  const reason = FRAME_REASONS[badReason] ?? 'bad frame';
  if (!isLast) throw corrupted(seg.path, badAt, `${reason} in a segment that is not the newest`);
  const validAfter = findValidFrameAfter(seg.fd, badAt, size, seg.endSeq());
  if (validAfter >= 0) throw corrupted(seg.path, badAt, `${reason}, followed by a valid entry at byte ${validAfter}`);
  logger.warn({ file: seg.path, offset: badAt, droppedBytes: size - badAt, reason }, 'change log: torn tail truncated');
  fs.ftruncateSync(seg.fd, badAt);
  fs.fdatasyncSync(seg.fd);
}

/** Offset of the first checksum-valid frame with seq ≥ minSeq after `from`, or -1. */
function findValidFrameAfter(fd: number, from: number, size: number, minSeq: number): number {
  const buf = Buffer.allocUnsafe(SCAN_BLOCK_BYTES + FRAME_BYTES_MAX);
  for (let start = from + 1; start < size; start += SCAN_BLOCK_BYTES) {
    const len = fs.readSync(fd, buf, 0, Math.min(buf.length, size - start), start);
    const lastStart = Math.min(len, SCAN_BLOCK_BYTES);
    for (let q = 0; q < lastStart; q++) {
      if (checkFrame(buf, q, len, true) > 0 && frameSeq(buf, q) >= minSeq) return start + q;
    }
  }
  return -1;
}
