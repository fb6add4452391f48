/**
 * A named cursor: a durable committed position (seq + lut, in the cursors file)
 * and a read position kept in memory. read() advances the read position;
 * commit() moves the committed one after the reader has handled the events;
 * after a crash or a failed send the reader starts again from the committed one.
 */
import type { ChangeCursor } from '../api.js';
import { EngineError } from '../errors.js';
import type { ChangeBatch, ChangeEvent } from '../types.js';
import type { HlcTimestamp } from '../../record/index.js';
import type { ReadHint } from './reader.js';

/** One read returns at most this many events, whatever `max` asks, to bound memory. */
export const READ_EVENTS_MAX = 65_536;

/** What a cursor needs from its log; implemented by ChangeLog. */
export interface CursorHost {
  checkOpen(): void;
  headSeq(): number;
  /** Newest seq a cursor may read (durable or appended, per readVisibility). */
  visibleSeq(): number;
  /** Oldest seq still in the log (headSeq + 1 when none is). */
  firstSeq(): number;
  readRange(from: number, to: number, hint: ReadHint | null, out: ChangeEvent[]): ReadHint | null;
  waitForVisible(afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** A reader is active: make what is appended but not yet visible visible soon (durable visibility syncs). */
  readerActive(): void;
  /** Persists every cursor's committed position, then applies retention. */
  cursorsChanged(): Promise<void>;
  countOverflow(): void;
}

function invalid(message: string, details: Record<string, unknown>): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', message, details);
}

export class Cursor implements ChangeCursor {
  readonly name: string;
  private committed: number;
  private committedLutValue: HlcTimestamp;
  private readPos: number;
  private hint: ReadHint | null = null;
  /** Set when this overflow episode was counted; cleared by the next normal read. */
  private overflowed = false;
  dropped = false;

  constructor(name: string, seq: number, lut: HlcTimestamp, private readonly host: CursorHost) {
    this.name = name;
    this.committed = seq;
    this.committedLutValue = lut;
    this.readPos = seq;
  }

  committedSeq(): number {
    return this.committed;
  }

  /** Lut given with the last commit (resume point of an overflow scan). */
  committedLut(): HlcTimestamp {
    return this.committedLutValue;
  }

  /** Last seq handed out by read(). */
  readSeq(): number {
    return this.readPos;
  }

  async read(max: number): Promise<ChangeBatch> {
    this.checkUsable();
    if (!Number.isSafeInteger(max) || max < 1) throw invalid(`cursor ${this.name}: read(max) needs a positive integer, got ${max}`, { max });
    const first = this.host.firstSeq();
    if (this.readPos + 1 < first) {
      if (!this.overflowed) {
        this.overflowed = true;
        this.host.countOverflow();
      }
      return { overflow: true, resumeFromLut: this.committedLutValue, resumeSeq: first };
    }
    this.overflowed = false;
    // Whatever this read cannot see yet is on its way while the reader handles this batch.
    this.host.readerActive();
    const to = Math.min(this.host.visibleSeq(), this.readPos + Math.min(max, READ_EVENTS_MAX));
    const events: ChangeEvent[] = [];
    if (to > this.readPos) {
      this.hint = this.host.readRange(this.readPos + 1, to, this.hint, events);
      this.readPos = to;
    }
    return { overflow: false, events };
  }

  waitForMore(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    this.checkUsable();
    if (this.host.visibleSeq() > this.readPos || signal?.aborted === true) return Promise.resolve();
    return this.host.waitForVisible(this.readPos, timeoutMs, signal);
  }

  /**
   * Durably records that everything up to `seq` is handled. A seq below the
   * current committed one is ignored: commits of pipelined batches may arrive out
   * of order, and moving back would only cause re-sends (use seek to move back).
   */
  async commit(seq: number, lut: HlcTimestamp): Promise<void> {
    this.checkUsable();
    this.checkSeq('commit', seq);
    if (typeof lut !== 'number' || !Number.isFinite(lut) || lut < 0) {
      throw invalid(`cursor ${this.name}: commit lut must be a finite number ≥ 0, got ${lut}`, { lut });
    }
    if (seq < this.committed) return;
    this.committed = seq;
    this.committedLutValue = lut;
    if (this.readPos < seq) this.setReadPos(seq);
    await this.host.cursorsChanged();
  }

  rewindToCommitted(): void {
    this.checkUsable();
    this.setReadPos(this.committed);
  }

  /**
   * Moves the read and committed positions to `seq` (the next read starts at
   * seq + 1). After an overflow scan call seek(resumeSeq − 1, scanStartLut).
   * `lut` is an additive extension of the contract: without it the committed lut
   * is kept, which is always safe (a later overflow scans from further back).
   */
  async seek(seq: number, lut?: HlcTimestamp): Promise<void> {
    this.checkUsable();
    this.checkSeq('seek', seq);
    if (lut !== undefined && (typeof lut !== 'number' || !Number.isFinite(lut) || lut < 0)) {
      throw invalid(`cursor ${this.name}: seek lut must be a finite number ≥ 0, got ${lut}`, { lut });
    }
    this.committed = seq;
    if (lut !== undefined) this.committedLutValue = lut;
    this.setReadPos(seq);
    this.overflowed = false;
    await this.host.cursorsChanged();
  }

  /** Clamps positions after recovery found a shorter log than the cursors file remembers. */
  clampTo(head: number): void {
    if (this.committed > head) this.committed = head;
    if (this.readPos > head) this.readPos = head;
  }

  private setReadPos(seq: number): void {
    this.readPos = seq;
    this.hint = null;
  }

  private checkSeq(op: string, seq: number): void {
    const head = this.host.headSeq();
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > head) {
      throw invalid(`cursor ${this.name}: ${op}(${seq}) is outside 0..${head} (the log head)`, { seq, headSeq: head });
    }
  }

  private checkUsable(): void {
    this.host.checkOpen();
    if (this.dropped) throw invalid(`cursor ${this.name} was dropped; open it again with cursor(name)`, { cursor: this.name });
  }
}
