/**
 * Read-ahead for device reads that walk a block in write order: a shipper
 * catching up reads records in change-log order, which is the order they were
 * written in, so each miss of the post-write queue would otherwise be one
 * pread of a few hundred bytes. When a miss starts at or just after the end of
 * the previous miss on the same device, the rest of its block (up to
 * READ_AHEAD_BYTES) is read at once and the following reads are served from
 * it. Random reads (gets) never look sequential and read only their record.
 *
 * The bytes read ahead belong to one sealed block, which does not change until
 * it is released for reuse: Storage calls forgetBlock() for every released block.
 */
import type { DeviceIo } from './device-io.js';

/** Bytes read at once on a sequential miss (never past the end of the block). */
export const READ_AHEAD_BYTES = 128 * 1024;
/** A miss starting at most this far past the previous one's end counts as sequential (records overwritten since leave gaps). */
export const READ_AHEAD_GAP_BYTES = 8 * 1024;

export class ReadAhead {
  private buf: Buffer | null = null;
  private block = -1;
  private start = 0;
  private end = 0;
  private lastDev = -1;
  private lastEnd = -1;
  /** Reads served from the read-ahead buffer, and reads that filled it. */
  hits = 0;
  fills = 0;

  /** The buffer the positions cachedAt() and missAt() return are in (valid until the next missAt()). */
  get buffer(): Buffer {
    return this.buf!;
  }

  /** Where bytes [offset, offset + size) are in `buffer` when it holds them, else -1. */
  cachedAt(block: number, offset: number, size: number): number {
    if (block !== this.block || offset < this.start || offset + size > this.end) return -1;
    this.hits++;
    return offset - this.start;
  }

  /**
   * A miss of `size` bytes at `offset` (in `block`, which ends at `blockEnd`):
   * when the miss continues a sequential walk, reads ahead and returns where
   * the bytes are in `buffer` (0), else -1 (the caller reads just the record).
   */
  missAt(device: DeviceIo, dev: number, block: number, blockEnd: number, offset: number, size: number): number {
    const sequential = dev === this.lastDev && offset >= this.lastEnd && offset - this.lastEnd <= READ_AHEAD_GAP_BYTES;
    this.lastDev = dev;
    this.lastEnd = offset + size;
    const length = Math.min(READ_AHEAD_BYTES, blockEnd - offset);
    if (!sequential || length <= size) return -1;
    this.buf ??= Buffer.allocUnsafe(READ_AHEAD_BYTES);
    // Forgotten first: a failed read must not leave a half-filled buffer looking valid.
    this.block = -1;
    device.read(this.buf, 0, length, offset);
    this.block = block;
    this.start = offset;
    this.end = offset + length;
    this.fills++;
    return 0;
  }

  /** The block is about to be reused: its bytes read ahead are stale. */
  forgetBlock(block: number): void {
    if (block === this.block) this.block = -1;
  }
}
