/**
 * Where the bytes of a stored record are, without copying them when they are
 * in RAM: the open write block of their device, a block of the post-write
 * queue (Aerospike's), a RAM device's image; else one read from the device
 * file into a scratch buffer, or the read-ahead buffer when reads walk a block
 * in write order (read-ahead.ts). The storage owns those buffers; this reads
 * them.
 */
import type { BlockTable } from './block-table.js';
import type { DeviceIo } from './device-io.js';
import { ReadAhead } from './read-ahead.js';
import type { WriteBuffer } from './write-buffer.js';

export class RecordLocator {
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private readonly readAhead = new ReadAhead();

  constructor(
    private readonly blocks: BlockTable,
    private readonly devices: readonly DeviceIo[],
    /** The storage's open write buffer per device (mutated by it). */
    private readonly wbufs: readonly WriteBuffer[],
    /** The storage's post-write queue: sealed block → its buffer. */
    private readonly postWrite: ReadonlyMap<number, Buffer>,
    private readonly blockBytes: number,
  ) {}

  /** Buffer and position of the bytes found by the last locate() (or read()). */
  located: Buffer = Buffer.alloc(0);
  locatedAt = 0;
  /**
   * Whether the last locate() found the bytes in a buffer this process wrote
   * them into (open block, post-write queue) rather than read them back from a
   * device (or a RAM device's image, which may have been loaded from a file).
   */
  locatedWritten = false;

  /**
   * Finds the bytes of a stored record without copying when they are in RAM
   * (open block, post-write queue, RAM device): sets `located`/`locatedAt`,
   * valid until the next locate(), read() or write.
   */
  locate(dev: number, offset: number, size: number): void {
    const wb = this.wbufs[dev]!;
    const block = this.blocks.blockAt(dev, offset);
    const within = offset % this.blockBytes;
    if (wb.block === block) {
      this.located = wb.buf;
      this.locatedAt = within;
      this.locatedWritten = true;
      return;
    }
    const cached = this.postWrite.get(block);
    if (cached !== undefined) {
      this.located = cached;
      this.locatedAt = within;
      this.locatedWritten = true;
      return;
    }
    this.locatedWritten = false;
    this.locateOnDevice(dev, offset, size);
  }

  /** Bytes of a stored record as a view of their own, valid until the next locate(), read() or write. */
  read(dev: number, offset: number, size: number): Buffer {
    this.locate(dev, offset, size);
    return this.located.subarray(this.locatedAt, this.locatedAt + size);
  }

  /**
   * Sets `located`/`locatedAt` to a record that is in no write buffer: in a RAM
   * device's image, in the read-ahead buffer, or read into the scratch buffer
   * (used whole, so a random read makes no view and no DataView of its own).
   */
  private locateOnDevice(dev: number, offset: number, size: number): void {
    const device = this.devices[dev]!;
    const inRam = device.view?.(offset, size);
    if (inRam !== undefined) {
      this.located = inRam;
      this.locatedAt = 0;
      return;
    }
    const block = this.blocks.blockAt(dev, offset);
    let at = this.readAhead.cachedAt(block, offset, size);
    if (at < 0) at = this.readAhead.missAt(device, dev, block, this.blocks.startOf(block) + this.blockBytes, offset, size);
    if (at >= 0) {
      this.located = this.readAhead.buffer;
      this.locatedAt = at;
      return;
    }
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(Math.max(size, this.scratch.length * 2));
    device.read(this.scratch, 0, size, offset);
    this.located = this.scratch;
    this.locatedAt = 0;
  }

  /** The block is about to be reused: bytes read ahead from it are stale. */
  forgetBlock(block: number): void {
    this.readAhead.forgetBlock(block);
  }
}
