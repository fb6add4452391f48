/**
 * Reading entries back from segment files (for cursors that are behind the
 * in-memory tail). Every frame read from disk is checked against its checksum and
 * its expected seq; damage is reported as ENGINE_ERR_CORRUPTED_STORAGE with file
 * and offset, never returned as data.
 */
import fs from 'node:fs';
import { EngineError } from '../errors.js';
import type { ChangeEvent } from '../types.js';
import { checkFrame, decodeFrame, frameSeq, HEADER_BYTES } from './frame.js';
import { changeLogIoError } from './io-error.js';
import { type Segment, SPARSE_STRIDE } from './segment.js';

/** Where the next sequential read of a cursor continues, so it need not search again. */
export interface ReadHint {
  seq: number;
  segment: Segment;
  offset: number;
}

export const READ_BLOCK_BYTES = 1024 * 1024;

function corrupted(file: string, offset: number, reason: string): EngineError {
  return new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `change log file ${file} is damaged at byte ${offset} (${reason})`, {
    file,
    offset,
    reason,
  });
}

/** Index of the segment holding `seq` (segments are sorted and contiguous), or -1. */
export function findSegment(segments: readonly Segment[], seq: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = segments[mid]!;
    if (seq < s.firstSeq) hi = mid - 1;
    else if (seq >= s.endSeq()) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export class SegmentReader {
  private readonly buf = Buffer.allocUnsafe(READ_BLOCK_BYTES);

  constructor(private readonly ns: string) {}

  /**
   * Appends to `out` the events from..to (inclusive) that are in `segments`.
   * `fileEnd(seg)` is how many bytes of the segment are written to the file; the
   * caller asks only for entries inside that. Returns the hint for seq to + 1.
   */
  read(
    segments: readonly Segment[],
    from: number,
    to: number,
    hint: ReadHint | null,
    fileEnd: (seg: Segment) => number,
    out: ChangeEvent[],
  ): ReadHint | null {
    let segIndex: number;
    let offset: number;
    let seq: number;
    if (hint !== null && hint.seq === from && !hint.segment.deleted && segments.includes(hint.segment)) {
      segIndex = segments.indexOf(hint.segment);
      offset = hint.offset;
      seq = from;
    } else {
      segIndex = findSegment(segments, from);
      if (segIndex < 0) throw new RangeError(`change log: seq ${from} is in no segment`);
      const seg = segments[segIndex]!;
      const k = Math.floor((from - seg.firstSeq) / SPARSE_STRIDE);
      offset = seg.sparse[k]!;
      seq = seg.firstSeq + k * SPARSE_STRIDE;
    }
    while (seq <= to) {
      const seg = segments[segIndex]!;
      const end = fileEnd(seg);
      if (offset >= end) {
        segIndex++;
        if (segIndex >= segments.length) throw new RangeError(`change log: seq ${seq} is past the written files`);
        offset = HEADER_BYTES;
        continue;
      }
      let len: number;
      try {
        len = fs.readSync(seg.fd, this.buf, 0, Math.min(this.buf.length, end - offset), offset);
      } catch (err) {
        throw changeLogIoError('read', seg.path, err);
      }
      let p = 0;
      while (seq <= to && p < len) {
        const n = checkFrame(this.buf, p, len, true);
        if (n === -1 || n === -3) {
          if (offset + len < end && p > 0) break; // frame straddles the block: read again from it
          throw corrupted(seg.path, offset + p, 'frame runs past the written end of the file');
        }
        if (n < 0) throw corrupted(seg.path, offset + p, n === -4 ? 'frame checksum mismatch' : 'implausible frame length');
        if (frameSeq(this.buf, p) !== seq) throw corrupted(seg.path, offset + p, `expected seq ${seq}, found ${frameSeq(this.buf, p)}`);
        if (seq >= from) out.push(decodeFrame(this.buf, p, this.ns));
        seq++;
        p += n;
      }
      offset += p;
    }
    const seg = segments[segIndex];
    return seg === undefined ? null : { seq, segment: seg, offset };
  }
}
