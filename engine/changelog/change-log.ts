/**
 * SKELETON (interface first, so the engine can code against it; bodies follow).
 */
import type { ChangeCursor, ChangeLogApi } from '../api.js';
import type { ChangeLogOptions } from './options.js';
import type { ChangeLogStats, NewChangeEvent } from './types.js';

export class ChangeLog implements ChangeLogApi {
  readonly ns: string;

  private constructor(ns: string) {
    this.ns = ns;
  }

  /** Opens (creating if needed) the log in options.dir, recovering it after a crash. */
  static async open(options: ChangeLogOptions): Promise<ChangeLog> {
    return new ChangeLog(options.ns);
  }

  /** Appends one entry and returns its seq (1, 2, ...). Buffered: durable only after sync(). */
  append(_event: NewChangeEvent): number {
    throw new Error('not implemented yet');
  }

  /** Writes and fdatasyncs everything appended so far; concurrent callers share one fdatasync. */
  async sync(): Promise<void> {
    throw new Error('not implemented yet');
  }

  headSeq(): number {
    return 0;
  }

  /** Newest seq known to be on disk after fdatasync. */
  durableSeq(): number {
    return 0;
  }

  /** Largest lut ever appended (0 when none); survives reopen. */
  lastLut(): number {
    return 0;
  }

  async cursor(_name: string): Promise<ChangeCursor> {
    throw new Error('not implemented yet');
  }

  async dropCursor(_name: string): Promise<void> {
    throw new Error('not implemented yet');
  }

  cursorNames(): string[] {
    return [];
  }

  stats(): ChangeLogStats {
    throw new Error('not implemented yet');
  }

  /** Syncs, closes files, wakes waiting readers. Further appends fail with ENGINE_ERR_CLOSED. */
  async close(): Promise<void> {}
}
