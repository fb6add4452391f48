/**
 * Log-structured storage over one or more devices: each device has one open
 * write block buffered in RAM; records are appended to it on 16-byte
 * boundaries; a full block is written out and sealed, and the next free block
 * is opened. Updates never overwrite in place: the old copy's bytes stop
 * counting as live, and defrag (defrag.ts) empties blocks that fell under the
 * low-water mark.
 *
 * Durability: in commit-to-device mode `commit()` resolves after the open
 * buffers were written and fdatasync'd; concurrent callers share one fsync
 * (group commit, device-commit.ts). In buffered mode the buffers are written
 * every half flush-max-ms and then fdatasync'd in the background.
 * Either way a block that became empty is reused only after the writes that
 * emptied it reached the device (see block-table.ts, PENDING_FREE), so a crash
 * can never lose both the old and the new copy of a record.
 *
 * A sealed block is written by a worker thread (write-behind.ts) rather than on
 * the put that filled it; flushAll() waits for those writes, so every barrier
 * above (fsync, block reuse, close) still covers them. Reads find a record's
 * bytes through `reads` (record-locator.ts).
 */
import type { Logger } from 'pino';
import { EngineError } from '../errors.js';
import { BLOCK_OPEN, BLOCK_PENDING_FREE, BlockTable } from './block-table.js';
import type { DeviceIo } from './device-io.js';
import { BlockBuffers } from './block-buffers.js';
import { DeviceCommit, type CommitRoundIo } from './device-commit.js';
import { RecordLocator } from './record-locator.js';
import { WriteBehind } from './write-behind.js';
import type { WriteBuffer } from './write-buffer.js';

export interface StorageOptions {
  ns: string;
  devices: DeviceIo[];
  writeBlockBytes: number;
  commitToDevice: boolean;
  flushMaxMs: number;
  stopWritesPct: number;
  /** Sealed blocks per device kept in RAM to serve reads of recent writes (Aerospike's post-write-queue). */
  postWriteQueue: number;
  logger: Logger;
}

/** Free blocks per device held back for defrag, so defrag can always make room when client writes cannot. */
export const DEFRAG_RESERVE_BLOCKS = 2;

export class Storage {
  readonly blocks: BlockTable;
  readonly devices: DeviceIo[];
  readonly blockBytes: number;
  private readonly wbufs: WriteBuffer[];
  /** Where a stored record's bytes are: open block, post-write queue or device (record-locator.ts). */
  readonly reads: RecordLocator;
  /** Recently sealed blocks still in RAM (block → its buffer), oldest first. */
  private readonly postWrite = new Map<number, Buffer>();
  private readonly buffers: BlockBuffers;
  /** The widest ioAlign of the devices: partial writes of a block image are widened to it (1 for buffered devices). */
  private readonly ioAlign: number;
  private readonly writeBehind = new WriteBehind();
  /** Sequence for the next block use (1-based; 0 never appears on disk). */
  nextSeq = 1;
  private readonly commits: DeviceCommit;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Called with blocks handed back to the free lists (the memory device drops them). */
  onReleased: (blocks: number[]) => void = () => {};
  /**
   * Called when a client write opens a block while few are free: defrag runs
   * inline then (bounded), so a tight loop of writes that never yields to the
   * event loop cannot starve background defrag into stop-writes.
   */
  onLowSpace: (dev: number) => void = () => {};
  /** Called when a block is sealed (it may already be under the defrag mark). */
  onSealed: (block: number) => void = () => {};
  readonly stats = { blocksWritten: 0, syncs: 0, stopWrites: 0 };
  /** Sealed blocks a barrier wrote on this thread because the writer worker had not yet. */
  get blocksWrittenInline(): number {
    return this.writeBehind.writtenHere;
  }
  /**
   * Buffered mode's periodic flush runs every flushMaxMs / 2: it writes the open
   * blocks, and the sealed blocks the writer worker still has not written
   * though their oldest record is a whole period old. So a record reaches the
   * file within flush-max-ms (two periods), and the worker gets half of that
   * to write a block before the thread serving puts steps in.
   */
  private readonly flushEveryMs: number;
  /** Free blocks per device under which client writes make defrag work inline. */
  readonly lowFreeBlocks: number;

  constructor(readonly options: StorageOptions) {
    this.devices = options.devices;
    this.blockBytes = options.writeBlockBytes;
    const perDevice = Math.min(...options.devices.map((d) => Math.floor(d.sizeBytes / options.writeBlockBytes)));
    this.blocks = new BlockTable(options.devices.length, perDevice, options.writeBlockBytes);
    this.wbufs = options.devices.map(() => ({ buf: Buffer.alloc(options.writeBlockBytes), block: -1, seq: 0, fill: 0, flushed: 0, dirty: false, openedAt: 0 }));
    this.flushEveryMs = Math.max(1, Math.floor(options.flushMaxMs / 2));
    // O_DIRECT devices write sealed blocks straight from these buffers, so they must start on a page.
    this.ioAlign = Math.max(...options.devices.map((d) => d.ioAlign));
    this.buffers = BlockBuffers.shared(options.writeBlockBytes, this.ioAlign > 1);
    this.lowFreeBlocks = Math.max(DEFRAG_RESERVE_BLOCKS + 2, Math.floor(perDevice / 16));
    this.commits = new DeviceCommit(options.ns, this.commitRoundIo());
    this.reads = new RecordLocator(this.blocks, this.devices, this.wbufs, this.postWrite, this.blockBytes);
  }

  /** Starts the buffered-mode flush timer (after recovery). */
  start(): void {
    this.flushTimer = setInterval(() => this.periodicFlush(), this.flushEveryMs);
    this.flushTimer.unref();
  }

  /** The open write buffer of a device (for writing a record at the position reserve() returned). */
  writeBuffer(dev: number): { readonly buf: Buffer; readonly seq: number } {
    return this.wbufs[dev]!;
  }

  /** Refuses a client write when live data is at or past stop-writes-pct. */
  checkWritable(): void {
    if (this.blocks.usedPct() >= this.options.stopWritesPct) {
      this.stats.stopWrites++;
      throw new EngineError('ENGINE_ERR_STOP_WRITES',
        `namespace ${this.options.ns} is at stop-writes: ${this.blocks.usedPct().toFixed(1)}% used ≥ stop-writes-pct ${this.options.stopWritesPct}; delete data or add devices`,
        { ns: this.options.ns, usedPct: this.blocks.usedPct() });
    }
  }

  /**
   * Makes room for `bytes` (aligned) in the open block of `dev` and returns the
   * position in its buffer. Client writes may not use the defrag reserve.
   */
  reserve(dev: number, bytes: number, client: boolean): number {
    const wb = this.wbufs[dev]!;
    if (bytes > this.blockBytes) {
      throw new EngineError('ENGINE_ERR_RECORD_TOO_BIG', `a record of ${bytes} bytes does not fit a write block of ${this.blockBytes} bytes`,
        { ns: this.options.ns, bytes, writeBlockBytes: this.blockBytes });
    }
    if (wb.block >= 0 && wb.fill + bytes <= this.blockBytes) return wb.fill;
    if (client && this.blocks.freeCount(dev) <= this.lowFreeBlocks) {
      // Defrag may itself append to this device's open block (and open a new
      // one), so it runs before we pick the block this record goes to.
      this.onLowSpace(dev);
      this.reclaimPending();
      if (wb.block >= 0 && wb.fill + bytes <= this.blockBytes) return wb.fill;
    }
    this.openBlock(dev, client);
    return 0;
  }

  /** Accounts the record just written at the reserved position; returns its byte offset on the device. */
  appended(dev: number, bytes: number): number {
    const wb = this.wbufs[dev]!;
    const offset = this.blocks.startOf(wb.block) + wb.fill;
    wb.fill += bytes;
    this.blocks.addLive(wb.block, bytes);
    // A caller writing in a loop that never yields to the event loop starves the
    // flush timer; checking here (every 32nd append: a clock read costs ~50 ns)
    // keeps the flush-max-ms bound anyway.
    if (!this.options.commitToDevice && (++this.appendsSinceClock & 31) === 0 && performance.now() - this.lastFlushMs >= this.flushEveryMs) this.periodicFlush();
    return offset;
  }

  /** The `bytes` at `offset` of `dev` no longer hold a live record. */
  release(dev: number, offset: number, bytes: number): void {
    this.blocks.removeLive(this.blocks.blockAt(dev, offset), bytes);
  }

  /** Whether a byte offset lies in the open block of its device (then it is served from RAM). */
  isBuffered(dev: number, offset: number): boolean {
    const wb = this.wbufs[dev]!;
    return wb.block >= 0 && this.blocks.blockAt(dev, offset) === wb.block;
  }

  private openBlock(dev: number, client: boolean): void {
    const wb = this.wbufs[dev]!;
    if (wb.block >= 0) this.sealOpen(dev);
    if (this.blocks.freeCount(dev) === 0 || (client && this.blocks.freeCount(dev) <= DEFRAG_RESERVE_BLOCKS)) {
      this.reclaimPending();
      const left = this.blocks.freeCount(dev);
      if (left === 0 || (client && left <= DEFRAG_RESERVE_BLOCKS)) {
        this.stats.stopWrites++;
        throw new EngineError('ENGINE_ERR_STOP_WRITES',
          `device ${this.devices[dev]!.name} of namespace ${this.options.ns} has no free write block; delete data, let defrag catch up or add devices`,
          { ns: this.options.ns, device: this.devices[dev]!.name });
      }
    }
    const seq = this.nextSeq++;
    const block = this.blocks.take(dev, seq);
    this.reads.forgetBlock(block);
    // Zeros after the fill mean the first write of the block also wipes what an
    // earlier use left there, so a scan never mistakes stale bytes for records.
    wb.buf = this.buffers.take();
    wb.block = block;
    wb.seq = seq;
    wb.fill = 0;
    wb.flushed = 0;
    wb.openedAt = performance.now();
  }

  private sealOpen(dev: number): void {
    const wb = this.wbufs[dev]!;
    const block = wb.block;
    if (wb.fill !== wb.flushed) {
      // The unwritten rest of the block (all of it if never flushed, zeros after the fill included).
      const start = this.blocks.startOf(block);
      const [from, length] = wb.flushed === 0 ? [0, this.blockBytes] : this.unflushedSpan(wb);
      this.writeBehind.write(block, this.devices[dev]!, wb.buf, from, length, start + from, Math.max(wb.openedAt, this.openBlocksFlushedMs));
      wb.flushed = wb.fill;
      wb.dirty = true;
    }
    this.blocks.seal(block);
    this.stats.blocksWritten++;
    wb.block = -1;
    this.keepRecent(block, wb.buf);
    this.onSealed(block);
  }

  /**
   * Out of free blocks: write everything (and fsync in commit-to-device mode)
   * synchronously so blocks emptied meanwhile can be reused. Rare, so a
   * blocking fsync is acceptable here.
   */
  private reclaimPending(): void {
    if (this.blocks.pendingFree.length === 0) return;
    const pending = this.blocks.takePending();
    this.flushAll();
    if (this.options.commitToDevice) for (const d of this.devices) d.datasyncSync();
    this.releaseBlocks(pending);
  }

  /** Keeps a sealed block's buffer for reads, evicting the oldest past the queue length. */
  private keepRecent(block: number, buf: Buffer): void {
    const limit = this.options.postWriteQueue * this.devices.length;
    // Kept at least until written: reads of the block come from RAM until then.
    this.postWrite.set(block, buf);
    if (this.postWrite.size > limit) {
      const oldest = this.postWrite.keys().next().value as number;
      this.writeBehind.settleBlock(oldest);
      this.buffers.give(this.postWrite.get(oldest)!);
      this.postWrite.delete(oldest);
    }
  }

  /**
   * Reads a sealed block whole into `target` (defrag): from RAM when it is
   * still there, else from the device once its write finished.
   */
  readBlock(block: number, target: Buffer): void {
    const cached = this.postWrite.get(block);
    if (cached !== undefined) {
      cached.copy(target, 0, 0, this.blockBytes);
      return;
    }
    this.writeBehind.settleBlock(block);
    this.devices[this.blocks.deviceOf(block)]!.read(target, 0, this.blockBytes, this.blocks.startOf(block));
  }

  private releaseBlocks(pending: number[]): void {
    for (const b of pending) {
      const buf = this.postWrite.get(b);
      if (buf !== undefined && this.blocks.state[b] === BLOCK_PENDING_FREE) {
        this.writeBehind.settleBlock(b);
        this.postWrite.delete(b);
        this.buffers.give(buf);
      }
    }
    const released = this.blocks.release(pending);
    for (const b of released) this.reads.forgetBlock(b);
    // The worker must not write a block's old bytes after its reuse (or after the wipe below).
    for (const b of released) this.writeBehind.settleBlock(b);
    for (const b of released) this.devices[this.blocks.deviceOf(b)]!.discard(this.blocks.startOf(b), this.blockBytes);
    if (released.length > 0) this.onReleased(released);
  }

  /** Writes the unwritten part of a device's open block (the whole block on its first write). */
  flushDevice(dev: number): void {
    const wb = this.wbufs[dev]!;
    if (wb.block < 0 || wb.fill === wb.flushed) return;
    const start = this.blocks.startOf(wb.block);
    if (wb.flushed === 0) this.devices[dev]!.write(wb.buf, 0, this.blockBytes, start);
    else {
      const [from, length] = this.unflushedSpan(wb);
      this.devices[dev]!.write(wb.buf, from, length, start + from);
    }
    wb.flushed = wb.fill;
    wb.dirty = true;
  }

  /**
   * The part of an open block's image not yet written, widened to the devices'
   * alignment: an O_DIRECT device then writes it straight from the (page-aligned)
   * buffer. The widened bytes are already on the device as they are in the image:
   * before the fill what was flushed, after it the zeros the block's first write put there.
   */
  private unflushedSpan(wb: WriteBuffer): [from: number, length: number] {
    const a = this.ioAlign;
    const from = wb.flushed - (wb.flushed % a);
    const end = Math.min(this.blockBytes, Math.ceil(wb.fill / a) * a);
    return [from, end - from];
  }

  /** Writes the open blocks and makes sure every sealed block handed to the writer worker is written. */
  flushAll(): void {
    for (let d = 0; d < this.devices.length; d++) this.flushDevice(d);
    this.writeBehind.flush();
  }

  private lastFlushMs = performance.now();
  /** When the periodic flush last wrote every open block: records still unwritten in one are younger. */
  private openBlocksFlushedMs = performance.now();
  private appendsSinceClock = 0;

  /** Blocks emptied before the last periodic flush that it could not release (the worker was still writing). */
  private pendingSinceLastFlush = false;

  private periodicFlush(): void {
    if (this.closed) return;
    const previousMs = this.lastFlushMs;
    this.lastFlushMs = performance.now();
    if (this.options.commitToDevice) {
      // Defrag and background work in commit mode still need their blocks released.
      if (this.blocks.pendingFree.length > 0) void this.commit().catch(() => {});
      return;
    }
    const pending = this.blocks.takePending();
    // Emptied blocks may be reused only once every write before them is on the
    // device; they wait at most one more period for the worker, then this thread writes.
    const full = pending.length > 0 && this.pendingSinceLastFlush;
    try {
      for (let d = 0; d < this.devices.length; d++) this.flushDevice(d);
      this.openBlocksFlushedMs = this.lastFlushMs;
      this.writeBehind.flush(full ? Infinity : previousMs);
    } catch (err) {
      // Runs from a timer: report and retry at the next tick instead of crashing the process.
      this.blocks.pendingFree.push(...pending);
      this.options.logger.error({ err }, 'writing the write buffers failed; retrying');
      return;
    }
    if (this.writeBehind.idle) {
      this.releaseBlocks(pending);
      this.pendingSinceLastFlush = false;
    } else {
      this.blocks.pendingFree.push(...pending);
      this.pendingSinceLastFlush = pending.length > 0;
    }
    this.syncInBackground();
  }

  /**
   * Buffered mode: each periodic flush also starts an fdatasync of the devices
   * written since the last one (the libuv pool; puts never wait for it). So
   * written data reaches the disk within about flush-max-ms plus one fdatasync,
   * which is what a power loss can take, instead of whenever the kernel writes
   * its dirty pages back (after up to ~30 s, and then all at once: that stalled
   * every other fdatasync on the file system, the change log's among them, for
   * tens of ms: replication-lag spikes every 30 s).
   */
  private syncInBackground(): void {
    if (this.commits.busy || !this.wbufs.some((wb) => wb.dirty)) return;
    this.commit().catch((err: unknown) => this.options.logger.error({ err }, 'background fdatasync of the devices failed; retried at the next flush'));
  }

  /** Resolves once everything appended before the call is durable on the devices (group commit). */
  commit(): Promise<void> {
    return this.commits.request();
  }

  /** One group-commit round's I/O (device-commit.ts runs the rounds). */
  private commitRoundIo(): CommitRoundIo {
    return {
      takePending: () => this.blocks.takePending(),
      drained: () => this.writeBehind.drained(),
      writeAndSync: () => {
        this.flushAll();
        const syncs: Array<Promise<void>> = [];
        for (let d = 0; d < this.devices.length; d++) {
          const wb = this.wbufs[d]!;
          if (!wb.dirty) continue;
          wb.dirty = false;
          syncs.push(this.devices[d]!.datasync());
        }
        return syncs;
      },
      released: (pending) => {
        this.stats.syncs++;
        this.releaseBlocks(pending);
      },
      kept: (pending) => this.blocks.pendingFree.push(...pending),
    };
  }

  /** Open blocks (they are never defragged or freed). */
  isOpen(block: number): boolean {
    return this.blocks.state[block] === BLOCK_OPEN;
  }

  /** Flushes, fsyncs and closes the devices. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    while (this.commits.busy) await new Promise((r) => setImmediate(r));
    this.flushAll();
    this.writeBehind.settle();
    for (const d of this.devices) d.datasyncSync();
    for (const d of this.devices) d.close();
    // Everything is written: the buffers go back to the process-wide pool.
    for (const buf of this.postWrite.values()) this.buffers.give(buf);
    this.postWrite.clear();
    for (const wb of this.wbufs) {
      if (wb.block >= 0) this.buffers.give(wb.buf);
      wb.block = -1;
    }
  }
}
