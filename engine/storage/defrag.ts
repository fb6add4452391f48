/**
 * Background defragmentation. A sealed block whose live bytes fell under
 * defrag-lwm-pct of the block is queued; the defragger reads it once and copies
 * each record that is still the current copy (the index points at it) into the
 * open write block, in small steps (a bounded number of records per turn of the
 * event loop) so client reads and writes are never paused for long. When the
 * block holds nothing live any more it goes to PENDING_FREE and is reused after
 * the next flush/fsync.
 */
import type { Logger } from 'pino';
import { BLOCK_DEFRAG, BLOCK_SEALED } from './block-table.js';
import type { Storage } from './storage.js';
import { HeaderStatus, alignUp, newHeaderView, parseHeader, restampRecord } from './record-format/record-codec.js';

export interface DefragHost {
  /** Slot whose current copy is exactly at (dev, offset), or -1 when that copy is stale. */
  liveSlotAt(buf: Buffer, digestAt: number, dev: number, offset: number): number;
  /** The record of `slot` now lives at (dev, offset). */
  moved(slot: number, dev: number, offset: number): void;
}

export interface DefragOptions {
  lwmPct: number;
  /** Records copied per step. @default 64 */
  recordsPerStep?: number;
  logger: Logger;
}

export class Defragger {
  private readonly queue: number[] = [];
  private readonly buf: Buffer;
  private readonly header = newHeaderView();
  private current = -1;
  private damaged = false;
  private assisting = false;
  private pos = 0;
  private seq = -1;
  private scheduled = false;
  private stopped = false;
  private readonly recordsPerStep: number;
  readonly stats = { blocksRead: 0, recordsMoved: 0, blocksFreed: 0, errors: 0 };

  constructor(private readonly storage: Storage, private readonly host: DefragHost, private readonly options: DefragOptions) {
    this.buf = Buffer.allocUnsafe(storage.blockBytes);
    this.recordsPerStep = options.recordsPerStep ?? 64;
  }

  /** Live bytes under which a sealed block is defragged. */
  get lwmBytes(): number {
    return Math.floor((this.storage.blockBytes * this.options.lwmPct) / 100);
  }

  queueLength(): number {
    return this.queue.length + (this.current >= 0 ? 1 : 0);
  }

  /** Queues `block` when it is sealed, under the low-water mark and not queued yet. */
  consider(block: number): void {
    const t = this.storage.blocks;
    if (t.state[block] !== BLOCK_SEALED || t.queued[block] !== 0 || t.liveBytes[block]! >= this.lwmBytes || t.liveBytes[block] === 0) return;
    t.queued[block] = 1;
    this.queue.push(block);
    this.schedule();
  }

  /** Queues every sealed block under the mark (after recovery). */
  considerAll(): void {
    for (let b = 0; b < this.storage.blocks.blockCount; b++) this.consider(b);
  }

  /**
   * Runs defrag synchronously for up to `blocksMax` blocks (storage calls this
   * when client writes find few free blocks).
   */
  assist(blocksMax = 4): void {
    if (this.assisting || this.stopped) return;
    this.assisting = true;
    try {
      let finished = 0;
      while (finished < blocksMax && (this.current >= 0 || this.queue.length > 0)) {
        const before = this.current;
        this.step();
        if (before >= 0 && this.current < 0) finished++;
        if (before < 0 && this.current < 0) finished++;
      }
    } finally {
      this.assisting = false;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
      try {
        this.step();
      } catch (err) {
        // A failed step (e.g. stop-writes with no block for the copies) is retried later, not fatal.
        this.stats.errors++;
        this.options.logger.warn({ err }, 'defrag step failed; retrying in 1 s');
        setTimeout(() => this.schedule(), 1000).unref();
        return;
      }
      if (this.current >= 0 || this.queue.length > 0) this.schedule();
    });
  }

  /** One bounded step; public so tests can drive defrag deterministically. */
  step(): void {
    const t = this.storage.blocks;
    if (this.current < 0) {
      const next = this.queue.shift();
      if (next === undefined) return;
      if (t.state[next] !== BLOCK_SEALED || t.liveBytes[next] === 0) {
        t.queued[next] = 0;
        return;
      }
      this.current = next;
      t.state[next] = BLOCK_DEFRAG;
      this.storage.readBlock(next, this.buf);
      this.stats.blocksRead++;
      this.pos = 0;
      this.seq = -1;
    }
    const block = this.current;
    const dev = t.deviceOf(block);
    const start = t.startOf(block);
    const h = this.header;
    for (let n = 0; n < this.recordsPerStep; n++) {
      if (t.liveBytes[block] === 0) return this.finish();
      const status = parseHeader(this.buf, this.pos, this.buf.length, this.seq, h);
      if (status !== HeaderStatus.Ok) {
        if (status === HeaderStatus.Bad) {
          this.stats.errors++;
          this.damaged = true;
          this.options.logger.error({ device: this.storage.devices[dev]!.name, offset: start + this.pos }, 'defrag found a damaged record; block left in place');
        }
        return this.finish();
      }
      this.seq = h.blockSeq;
      const size = alignUp(h.totalBytes);
      const slot = this.host.liveSlotAt(this.buf, h.digestAt, dev, start + this.pos);
      if (slot >= 0) {
        const at = this.storage.reserve(dev, size, false);
        const wb = this.storage.writeBuffer(dev);
        this.buf.copy(wb.buf, at, this.pos, this.pos + h.totalBytes);
        restampRecord(wb.buf, at, wb.seq);
        const offset = this.storage.appended(dev, size);
        this.storage.release(dev, start + this.pos, size);
        this.host.moved(slot, dev, offset);
        this.stats.recordsMoved++;
      }
      this.pos += size;
      if (this.pos >= this.buf.length) return this.finish();
    }
  }

  private finish(): void {
    const t = this.storage.blocks;
    const block = this.current;
    this.current = -1;
    t.endDefrag(block);
    if (t.state[block] !== BLOCK_SEALED) this.stats.blocksFreed++;
    // A damaged block is never queued again (reads of its records report the damage).
    if (this.damaged) t.queued[block] = 2;
    this.damaged = false;
  }
}
