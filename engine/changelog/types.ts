/** Public types of the change log besides the contract in ../api.ts. */
import type { ChangeEvent } from '../types.js';

/** What append() takes: an event without its seq (the log assigns it). */
export type NewChangeEvent = Omit<ChangeEvent, 'seq'>;

export interface CursorStats {
  name: string;
  committedSeq: number;
  committedLut: number;
  /** Last seq handed out by read() (the read position). */
  readSeq: number;
  /** headSeq − committedSeq: entries not yet committed by this cursor. */
  lagEntries: number;
}

export interface ChangeLogStats {
  ns: string;
  segments: number;
  /** Bytes of all segment files. */
  bytes: number;
  /** Newest appended seq (0 when empty). */
  headSeq: number;
  /** Newest seq known to be fdatasync'd. */
  durableSeq: number;
  /** Oldest seq still in the log (headSeq + 1 when none is). */
  firstSeq: number;
  lastLut: number;
  /** fdatasync calls made by sync() and the flush timer (group commit: far fewer than sync() calls). */
  fdatasyncs: number;
  /** Times a cursor found that entries it still needed were deleted by the size cap. */
  overflows: number;
  /** Segments deleted because every cursor had passed them. */
  segmentsReleased: number;
  /** Segments deleted by the size cap while a cursor still needed them. */
  segmentsEvicted: number;
  cursors: CursorStats[];
}
