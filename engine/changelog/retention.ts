/**
 * Which segments to delete: pure apart from the unlink. The active (newest)
 * segment is never deleted, so the head seq and lastLut always survive on disk.
 */
import fs from 'node:fs';
import type { Segment } from './segment.js';

export interface RetentionOutcome {
  /** Deleted because every cursor had committed past them. */
  released: number;
  /** Deleted by the size cap although a cursor (or none) still needed them. */
  evicted: number;
}

function deleteOldest(segments: Segment[]): Segment {
  const s = segments.shift()!;
  s.deleted = true;
  fs.rmSync(s.path, { force: true });
  s.closeIfIdle();
  return s;
}

/**
 * With no cursors at all nothing holds segments back except the cap: a cursor
 * created later then still finds recent history instead of overflowing at once.
 */
export function applyRetention(segments: Segment[], committedSeqs: number[], retainBytesMax: number): RetentionOutcome {
  const outcome: RetentionOutcome = { released: 0, evicted: 0 };
  if (committedSeqs.length > 0) {
    const minCommitted = Math.min(...committedSeqs);
    while (segments.length > 1 && segments[0]!.endSeq() - 1 <= minCommitted) {
      deleteOldest(segments);
      outcome.released++;
    }
  }
  let bytes = 0;
  for (const s of segments) bytes += s.bytes;
  while (segments.length > 1 && bytes > retainBytesMax) {
    bytes -= deleteOldest(segments).bytes;
    outcome.evicted++;
  }
  return outcome;
}
