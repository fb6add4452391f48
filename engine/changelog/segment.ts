/**
 * One segment file of the log and the few synchronous file operations on it.
 * Sync I/O is deliberate: writes land in the page cache in well under a
 * millisecond per chunk and keep append() free of promises; only fdatasync,
 * which waits for the device, runs on the thread pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeHeader, HEADER_BYTES, segmentFileName } from './frame.js';

/** Every SPARSE_STRIDE-th entry's file offset is remembered, so a seek scans at most this many frames. */
export const SPARSE_STRIDE = 1024;

export class Segment {
  readonly firstSeq: number;
  readonly path: string;
  readonly baseLut: number;
  /** Opened read-write for the life of the segment. */
  readonly fd: number;
  /** Entries assigned to this segment (written or still in the current chunk). */
  count = 0;
  /** Largest lut in this segment or before it. */
  maxLut: number;
  /** File size once everything assigned is written (header included). */
  bytes = HEADER_BYTES;
  /** sparse[k] = file offset of entry firstSeq + k × SPARSE_STRIDE. */
  readonly sparse: number[] = [];
  /** An fdatasync on fd is in flight; closing must wait for it. */
  pins = 0;
  deleted = false;

  constructor(firstSeq: number, filePath: string, baseLut: number, fd: number) {
    this.firstSeq = firstSeq;
    this.path = filePath;
    this.baseLut = baseLut;
    this.maxLut = baseLut;
    this.fd = fd;
  }

  /** Seq after the last entry of this segment. */
  endSeq(): number {
    return this.firstSeq + this.count;
  }

  /** Records the file offset of the entry just being added, every SPARSE_STRIDE entries. */
  noteEntry(fileOffset: number): void {
    if (this.count % SPARSE_STRIDE === 0) this.sparse.push(fileOffset);
  }

  /** Creates a new, empty segment file (header written, not yet fsync'd). */
  static create(dir: string, firstSeq: number, baseLut: number): Segment {
    const filePath = path.join(dir, segmentFileName(firstSeq));
    const fd = fs.openSync(filePath, 'wx+');
    try {
      fs.writeSync(fd, encodeHeader({ firstSeq, baseLut }), 0, HEADER_BYTES, 0);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return new Segment(firstSeq, filePath, baseLut, fd);
  }

  /** Closes the file unless an fdatasync still uses it (then the sync loop closes it). */
  closeIfIdle(): void {
    if (this.pins === 0 && !this.closed) {
      this.closed = true;
      fs.closeSync(this.fd);
    }
  }

  private closed = false;
}
