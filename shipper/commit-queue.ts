/**
 * Durable cursor commits of a route, one at a time, each covering everything
 * Kafka acknowledged so far. An fsync per batch would otherwise sit between two
 * sends; here a slow commit only delays the next commit, never the next send.
 * A position is only ever scheduled after Kafka acknowledged it, and positions
 * only grow, so a commit never claims a record that was not shipped.
 */
import type { Logger } from 'pino';
import type { ChangeCursor } from '../engine/index.js';

export class CommitQueue {
  private pending: { seq: number; lut: number } | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly cursor: ChangeCursor,
    private readonly log: Logger,
  ) {}

  /** Records that everything up to `seq` is acknowledged; the commit happens in the background. */
  schedule(seq: number, lut: number): void {
    const prev = this.pending;
    this.pending = { seq: Math.max(seq, prev?.seq ?? 0), lut: Math.max(lut, prev?.lut ?? 0) };
    this.running ??= this.drain();
  }

  /** Resolves once every scheduled position is committed (or its commit failed and was logged). */
  async flush(): Promise<void> {
    if (this.running !== null) await this.running;
    if (this.pending !== null) {
      this.running = this.drain();
      await this.running;
    }
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.pending; next !== null; next = this.pending) {
        this.pending = null;
        try {
          await this.cursor.commit(next.seq, next.lut);
        } catch (err) {
          // Not committed means re-shipped after a restart (at-least-once), never lost; the next schedule retries.
          this.pending ??= next;
          this.log.error({ err, seq: next.seq }, 'cursor commit failed; will retry');
          return;
        }
      }
    } finally {
      this.running = null;
    }
  }
}
