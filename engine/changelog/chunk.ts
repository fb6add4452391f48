/**
 * Write batches and the in-memory tail. Appends are encoded into the current
 * chunk; a full chunk is written to its segment file in one write. Chunks are
 * never reused: the newest ones stay in memory (the tail) so cursors near the
 * head decode straight from them, without a read system call.
 */
import type { ChangeEvent } from '../types.js';
import { decodeFrame, FRAME_BYTES_MIN } from './frame.js';
import type { Segment } from './segment.js';

export class Chunk {
  readonly buf: Buffer;
  /** Bytes encoded so far. */
  used = 0;
  /** Bytes of buf already written to the segment file. */
  written = 0;
  readonly firstSeq: number;
  count = 0;
  /** offsets[i] = position in buf of entry firstSeq + i. */
  readonly offsets: Uint32Array;
  readonly segment: Segment;
  /** File offset of buf[0] in the segment. */
  readonly fileOffset: number;

  constructor(bytes: number, firstSeq: number, segment: Segment) {
    this.buf = Buffer.allocUnsafe(bytes);
    this.offsets = new Uint32Array(Math.floor(bytes / FRAME_BYTES_MIN) + 1);
    this.firstSeq = firstSeq;
    this.segment = segment;
    this.fileOffset = segment.bytes;
  }

  endSeq(): number {
    return this.firstSeq + this.count;
  }

  /** Decodes entries from..to (inclusive, both inside this chunk) into out. */
  decode(from: number, to: number, ns: string, out: ChangeEvent[]): void {
    for (let seq = from; seq <= to; seq++) out.push(decodeFrame(this.buf, this.offsets[seq - this.firstSeq]!, ns));
  }
}

/** The newest chunks, oldest first, bounded by bytes. */
export class Tail {
  private readonly chunks: Chunk[] = [];
  private bytes = 0;

  constructor(private readonly bytesMax: number) {}

  push(chunk: Chunk): void {
    this.chunks.push(chunk);
    this.bytes += chunk.buf.length;
    // The newest chunk always stays: it holds the entries not yet written to a file.
    while (this.bytes > this.bytesMax && this.chunks.length > 1) {
      this.bytes -= this.chunks.shift()!.buf.length;
    }
  }

  /** Oldest seq held in memory (Infinity when empty). */
  firstSeq(): number {
    return this.chunks.length === 0 ? Infinity : this.chunks[0]!.firstSeq;
  }

  /** Decodes from..to (all ≥ firstSeq()) into out. */
  decode(from: number, to: number, ns: string, out: ChangeEvent[]): void {
    let i = this.chunks.length - 1;
    while (i > 0 && this.chunks[i]!.firstSeq > from) i--;
    for (let seq = from; seq <= to && i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      const last = Math.min(to, c.endSeq() - 1);
      if (last >= seq) {
        c.decode(seq, last, ns, out);
        seq = last + 1;
      }
    }
  }

  clear(): void {
    this.chunks.length = 0;
    this.bytes = 0;
  }
}
