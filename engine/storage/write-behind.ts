/**
 * Sealed write blocks written by the writer worker (io-worker.ts) instead of a
 * writeSync on the put that filled the block. Until its write finished a sealed
 * block's buffer is kept (storage.ts keeps it in the post-write queue, so reads
 * are served from RAM).
 *
 * Barriers: flush() (storage's flushAll, before every fsync, every periodic
 * flush and every reuse of emptied blocks) makes sure each block handed over is
 * written, writing it here when the worker has not yet: a worker starved on a
 * busy machine must neither stretch flush-max-ms nor stall the writer in a
 * wait. A block whose bytes may still be written by the worker is never
 * reused, recycled or read from the device before that write ended
 * (settleBlock). A write the worker could not do is done here, so its error
 * (ENGINE_ERR_STOP_WRITES on a full file system, ENGINE_ERR_CORRUPTED_STORAGE)
 * reaches the caller of the barrier.
 */
import type { DeviceIo } from './device-io.js';
import { IO_DONE, IO_PENDING, blockWriter, isShared } from './io-worker.js';

interface Job {
  device: DeviceIo;
  buf: Buffer;
  from: number;
  length: number;
  position: number;
  /** Worker slot while the worker may still write; -1 once it finished. */
  slot: number;
  /** Written by this thread (the worker may still write the same bytes again). */
  written: boolean;
  /** performance.now() at or before which the oldest record among these bytes was stored (aged flushes go by it). */
  since: number;
}

export class WriteBehind {
  /** Block → its write in flight. */
  private readonly jobs = new Map<number, Job>();

  /** Blocks a barrier wrote on this thread because the worker had not yet (a starved or lagging worker shows here). */
  writtenHere = 0;

  /**
   * Writes bytes [from, from + length) of a sealed block's buffer at `position`,
   * in the background when it can; `since` is when the oldest record among them was stored.
   */
  write(block: number, device: DeviceIo, buf: Buffer, from: number, length: number, position: number, since: number): void {
    if (device.fd === undefined || !isShared(buf)) {
      device.write(buf, from, length, position);
      return;
    }
    this.reap();
    let slot = blockWriter.write(buf, from, length, device.fd, position);
    if (slot < 0) {
      // Every slot busy: the oldest write is the likeliest to be done.
      this.settleBlock(this.jobs.keys().next().value as number);
      slot = blockWriter.write(buf, from, length, device.fd, position);
    }
    if (slot < 0) {
      device.write(buf, from, length, position);
      return;
    }
    this.jobs.set(block, { device, buf, from, length, position, slot, written: false, since });
  }

  /** Whether a block's write may still be in flight. */
  has(block: number): boolean {
    return this.jobs.has(block);
  }

  /**
   * Every block handed over is on the device when this returns: the worker
   * wrote it, or this thread does now. Throws the device's error if a write fails.
   * With `storedBefore`, only blocks whose oldest record was stored at or
   * before that time are written here; younger ones stay with the worker.
   */
  flush(storedBefore = Infinity): void {
    for (const [block, job] of this.jobs) {
      if (job.slot < 0 || blockWriter.done(job.slot) !== IO_PENDING) {
        this.settleBlock(block);
      } else if (!job.written && job.since <= storedBefore) {
        // Throws a typed error (the job stays for the next barrier) when the device refuses.
        job.device.write(job.buf, job.from, job.length, job.position);
        job.written = true;
        this.writtenHere++;
      }
    }
  }

  /** Whether every block handed over is known to be on the device (nothing left for a barrier to wait on). */
  get idle(): boolean {
    for (const job of this.jobs.values()) if (!job.written) return false;
    return true;
  }

  /** Resolves when the worker finished every write handed over before the call (then flush() has nothing left to write). */
  async drained(): Promise<void> {
    const slots: number[] = [];
    for (const job of this.jobs.values()) if (job.slot >= 0) slots.push(job.slot);
    for (const slot of slots) await blockWriter.waitAsync(slot);
  }

  /** Waits for every write in flight (close: the descriptors are about to go). */
  settle(): void {
    for (const block of [...this.jobs.keys()]) this.settleBlock(block);
  }

  /** Waits until no write of this block is in flight, and it is on the device. */
  settleBlock(block: number): void {
    const job = this.jobs.get(block);
    if (job === undefined) return;
    let ok = job.written;
    if (job.slot >= 0) {
      ok = blockWriter.wait(job.slot) === IO_DONE || ok;
      blockWriter.release(job.slot);
      job.slot = -1;
    }
    if (!ok) {
      // Throws a typed error (the job stays for the next barrier) when the device still refuses.
      job.device.write(job.buf, job.from, job.length, job.position);
      this.writtenHere++;
    }
    this.jobs.delete(block);
  }

  /** Forgets writes that finished, without waiting. */
  private reap(): void {
    for (const [block, job] of this.jobs) {
      if (job.slot >= 0 && blockWriter.done(job.slot) !== IO_PENDING) this.settleBlock(block);
    }
  }
}
