/**
 * Where write-block buffers come from: a recycled one first (its pages are
 * already backed, so zeroing it costs ~90 µs per MiB), else one the faulter
 * worker prepared (io-worker.ts), else fresh memory. Fresh memory is the
 * expensive case: its first touch page-faults every 4 KiB, 1–4 ms per MiB on
 * this kind of VM, and while the post-write queue still grows every block turn
 * needs a fresh buffer.
 *
 * Buffers are views into SharedArrayBuffer slabs of several blocks, so the
 * writer worker can write sealed blocks without a copy, and so a block turn
 * does not allocate (and post to a worker) a SharedArrayBuffer of its own:
 * each of those cost ~0.1–2 ms on the main thread. Slabs are never freed: a
 * buffer, once made, is recycled for the life of the process, through one pool
 * per block size that every namespace shares (a closed namespace gives its
 * buffers back), so memory stays at the most ever in use at once. Namespaces
 * with direct-io share pools of page-aligned slabs (aligned-memory.ts), whose
 * blocks then start on a page too (block sizes are multiples of 4 KiB).
 */
import { IO_PENDING, bufferFaulter } from './io-worker.js';
import { alignedBuffer } from './aligned-memory.js';

/** Bytes per slab (at least one block). */
export const SLAB_BYTES_MAX = 16 * 1024 * 1024;
/** Slabs prepared ahead by the faulter; bounded so a stalled worker costs at most this much memory. */
export const PREPARED_SLABS_MAX = 2;

interface Slab {
  bytes: Buffer;
  /** Faulter slot, -1 once done or never asked. */
  slot: number;
  /** Next block of the slab to hand out. */
  next: number;
}

const shared = new Map<number, BlockBuffers>();

export class BlockBuffers {
  /** The process-wide pool for this block size; `aligned` pools hand out page-aligned buffers (O_DIRECT devices). */
  static shared(blockBytes: number, aligned = false): BlockBuffers {
    const id = aligned ? -blockBytes : blockBytes;
    let pool = shared.get(id);
    if (pool === undefined) shared.set(id, (pool = new BlockBuffers(blockBytes, aligned)));
    return pool;
  }

  private readonly spare: Buffer[] = [];
  private readonly zeros: Buffer;
  private readonly prepared: Slab[] = [];
  private readonly blocksPerSlab: number;

  constructor(readonly blockBytes: number, readonly aligned = false) {
    this.blocksPerSlab = Math.max(1, Math.floor(SLAB_BYTES_MAX / blockBytes));
    this.zeros = Buffer.alloc(blockBytes);
  }

  /** A zeroed buffer of blockBytes. */
  take(): Buffer {
    const recycled = this.spare.pop();
    if (recycled !== undefined) {
      // A copy from zeros: fill(0) on SharedArrayBuffer memory takes V8's slow
      // path (~300 µs a MiB here, against ~90 µs for the copy and ~60 µs for
      // fill on ordinary memory), and a block turn zeroes a whole buffer.
      this.zeros.copy(recycled);
      return recycled;
    }
    this.prepare();
    const slab = this.prepared[0]!;
    // A slab the faulter has not finished is used anyway: this thread faults the
    // pages it touches first, the worker the rest, and neither waits.
    if (slab.slot >= 0 && bufferFaulter.done(slab.slot) !== IO_PENDING) {
      bufferFaulter.release(slab.slot);
      slab.slot = -1;
    }
    const at = slab.next++ * this.blockBytes;
    if (slab.next === this.blocksPerSlab) {
      this.prepared.shift();
      // Its slot is released when the job ends; until then the worker may still write zeros to it.
      if (slab.slot >= 0) this.releaseLater(slab.slot);
    }
    // A fresh slab is zeroed, and the faulter never changes a byte.
    return slab.bytes.subarray(at, at + this.blockBytes);
  }

  /** A buffer nobody reads or writes any more (its block was written out). */
  give(buf: Buffer): void {
    if (buf.length === this.blockBytes) this.spare.push(buf);
  }

  private readonly finishing: number[] = [];

  private releaseLater(slot: number): void {
    this.finishing.push(slot);
  }

  private prepare(): void {
    for (let i = this.finishing.length - 1; i >= 0; i--) {
      const slot = this.finishing[i]!;
      if (bufferFaulter.done(slot) !== IO_PENDING) {
        bufferFaulter.release(slot);
        this.finishing.splice(i, 1);
      }
    }
    while (this.prepared.length < PREPARED_SLABS_MAX) {
      const slabBytes = this.blocksPerSlab * this.blockBytes;
      const bytes = this.aligned ? alignedBuffer(slabBytes) : Buffer.from(new SharedArrayBuffer(slabBytes));
      this.prepared.push({ bytes, slot: bufferFaulter.fault(bytes), next: 0 });
    }
  }
}
