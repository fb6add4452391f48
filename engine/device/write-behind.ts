/**
 * Sealed write blocks written by the writer worker (io-worker.ts) instead of a
 * writeSync on the put that filled the block. Until its write finished a sealed
 * block's buffer is kept (storage.ts keeps it in the post-write queue, so reads
 * are served from RAM), and every durability barrier settles first: flushAll()
 * before an fsync, before emptied blocks are reused and on close; a block's own
 * write before its buffer is recycled or defrag reads it from the device.
 * A write the worker could not do is done again here synchronously, so its
 * error (ENGINE_ERR_STOP_WRITES on a full file system, ENGINE_ERR_CORRUPTED_STORAGE)
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
  /** Worker slot; -1 once the worker failed it and it must be written here. */
  slot: number;
}

export class WriteBehind {
  /** Block → its write in flight. */
  private readonly jobs = new Map<number, Job>();

  /** Writes bytes [from, from + length) of a sealed block's buffer at `position`, in the background when it can. */
  write(block: number, device: DeviceIo, buf: Buffer, from: number, length: number, position: number): void {
    if (device.fd === undefined || !isShared(buf)) {
      device.write(buf, from, length, position);
      return;
    }
    this.reap();
    let slot = blockWriter.submit({ kind: 'write', fd: device.fd, bytes: buf, from, length, position });
    if (slot < 0) {
      // Every slot busy: the oldest write is the likeliest to be done.
      this.settleBlock(this.jobs.keys().next().value as number);
      slot = blockWriter.submit({ kind: 'write', fd: device.fd, bytes: buf, from, length, position });
    }
    if (slot < 0) {
      device.write(buf, from, length, position);
      return;
    }
    this.jobs.set(block, { device, buf, from, length, position, slot });
  }

  /** Whether a block's write may still be in flight. */
  has(block: number): boolean {
    return this.jobs.has(block);
  }

  /** Waits for every write in flight (and redoes failed ones here); throws the device's error if one still fails. */
  settle(): void {
    for (const block of [...this.jobs.keys()]) this.settleBlock(block);
  }

  /** Waits for one block's write. */
  settleBlock(block: number): void {
    const job = this.jobs.get(block);
    if (job === undefined) return;
    if (job.slot >= 0) {
      const result = blockWriter.wait(job.slot);
      blockWriter.release(job.slot);
      job.slot = -1;
      if (result === IO_DONE) {
        this.jobs.delete(block);
        return;
      }
    }
    // Throws a typed error (and keeps the job for the next barrier) when the device still refuses.
    job.device.write(job.buf, job.from, job.length, job.position);
    this.jobs.delete(block);
  }

  /** Forgets writes that finished, without waiting. */
  private reap(): void {
    for (const [block, job] of this.jobs) {
      if (job.slot >= 0 && blockWriter.done(job.slot) !== IO_PENDING) this.settleBlock(block);
    }
  }
}
