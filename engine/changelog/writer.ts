/**
 * The write side of the change log: the segment files, the chunk appends are
 * encoded into, and the in-memory tail of recent chunks. ChangeLog validates
 * each event and assigns its seq, then drives this: one frame per append, a new
 * segment when the active one is full, and the file work of each group-commit
 * round. I/O failures go to ChangeLog's `fail`, which refuses further appends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { fsyncDir } from '../storage/fsync-dir.js';
import { Chunk, Tail } from './chunk.js';
import type { CommitRound } from './group-commit.js';
import { changeLogIoError } from './io-error.js';
import { encodeFrame, FRAME_BYTES_MIN, segmentFileName } from './frame.js';
import type { ResolvedChangeLogOptions } from './options.js';
import { Segment } from './segment.js';

const fdatasyncAsync = promisify(fs.fdatasync);

export class SegmentWriter {
  /**
   * Oldest first; the last one is the active segment appends go to. Never empty.
   * Retention deletes from the front of this array.
   */
  readonly segments: Segment[];
  /** The newest chunks, so cursors near the head decode from memory. */
  readonly tail: Tail;
  /** The chunk appends are encoded into; always the newest in the tail. */
  private chunk: Chunk;
  private lastLutValue: number;
  /** A segment file was created since the directory was last fsync'd. */
  private dirDirty = false;

  constructor(
    private readonly opts: ResolvedChangeLogOptions,
    private readonly logger: Logger,
    segments: Segment[],
    lastLut: number,
    /** Records an I/O failure on the log; returns the error to throw. */
    private readonly fail: (err: unknown) => unknown,
    /** Called after a new segment is started (the log applies retention then). */
    private readonly segmentStarted: () => void,
  ) {
    this.segments = segments;
    this.lastLutValue = lastLut;
    this.tail = new Tail(opts.tailBytesMax);
    const active = segments[segments.length - 1]!;
    this.chunk = new Chunk(opts.chunkBytes, active.endSeq(), active);
    this.tail.push(this.chunk);
  }

  /**
   * Encodes entry `seq` (the one after the last) into the active chunk, first
   * writing a full chunk out or rolling over to a new segment when it does not fit.
   * Returns false, appending nothing, when the set name is too long in UTF-8.
   */
  append(seq: number, kind: number, region: number, lut: number, digest: Uint8Array, set: string): boolean {
    const room = FRAME_BYTES_MIN + 3 * set.length;
    let chunk = this.chunk;
    if (chunk.segment.count > 0 && chunk.segment.bytes + room > this.opts.segmentBytes) {
      this.rollover(seq);
      chunk = this.chunk;
    } else if (chunk.used + room > chunk.buf.length || chunk.count === chunk.offsets.length) {
      this.sealChunk(seq);
      chunk = this.chunk;
    }
    const n = encodeFrame(chunk.buf, chunk.used, seq, kind, region, lut, digest, set);
    if (n < 0) return false;
    const seg = chunk.segment;
    seg.noteEntry(chunk.fileOffset + chunk.used);
    chunk.offsets[chunk.count++] = chunk.used;
    chunk.used += n;
    seg.bytes += n;
    seg.count++;
    if (lut > seg.maxLut) seg.maxLut = lut;
    if (lut > this.lastLutValue) this.lastLutValue = lut;
    return true;
  }

  /** Largest lut ever appended (0 when none); the base lut of the next segment. */
  lastLut(): number {
    return this.lastLutValue;
  }

  /**
   * One group-commit round: writes what is buffered now (synchronously, so the
   * round covers exactly the entries up to `upto`, the head), then fdatasyncs the active
   * segment, and the directory when a segment file was created since the last round.
   */
  beginCommit(upto: number): CommitRound {
    const seg = this.chunk.segment;
    const dirDirty = this.dirDirty;
    this.dirDirty = false;
    this.writeChunk(this.chunk);
    seg.pins++;
    return {
      upto,
      run: async () => {
        try {
          await fdatasyncAsync(seg.fd).catch((err: unknown) => Promise.reject(changeLogIoError('fdatasync', seg.path, err)));
          if (dirDirty) await fsyncDir(this.opts.dir).catch((err: unknown) => Promise.reject(changeLogIoError('fsync-dir', this.opts.dir, err)));
        } catch (err) {
          throw this.fail(err);
        } finally {
          seg.pins--;
          if (seg.deleted) seg.closeIfIdle();
        }
      },
    };
  }

  /** Bytes of a segment that are in its file (the active one may have some only in memory). */
  fileEnd(seg: Segment): number {
    return seg === this.chunk.segment ? this.chunk.fileOffset + this.chunk.written : seg.bytes;
  }

  /** Closes every segment file (one still being fdatasync'd is closed when that ends) and drops the tail. */
  close(): void {
    for (const s of this.segments) {
      s.deleted = true; // makes a still-running fdatasync close it when done
      s.closeIfIdle();
    }
    this.tail.clear();
  }

  /** Writes the unwritten part of a chunk to its segment file (page cache; no fsync). */
  private writeChunk(c: Chunk): void {
    try {
      while (c.written < c.used) {
        c.written += fs.writeSync(c.segment.fd, c.buf, c.written, c.used - c.written, c.fileOffset + c.written);
      }
    } catch (err) {
      throw this.fail(changeLogIoError('write', c.segment.path, err));
    }
  }

  /** Writes the active chunk out and starts the next one at `nextSeq` in the same segment. */
  private sealChunk(nextSeq: number): void {
    this.writeChunk(this.chunk);
    this.chunk = new Chunk(this.opts.chunkBytes, nextSeq, this.chunk.segment);
    this.tail.push(this.chunk);
  }

  /**
   * Finishes the active segment and starts the next at `nextSeq`. The finished one
   * is fdatasync'd before the next exists, so after any crash only the newest
   * segment can have a torn tail (recovery relies on that).
   */
  private rollover(nextSeq: number): void {
    const old = this.chunk.segment;
    this.writeChunk(this.chunk);
    let next: Segment;
    try {
      fs.fdatasyncSync(old.fd);
    } catch (err) {
      throw this.fail(changeLogIoError('fdatasync', old.path, err));
    }
    try {
      next = Segment.create(this.opts.dir, nextSeq, this.lastLutValue);
    } catch (err) {
      throw this.fail(changeLogIoError('create', path.join(this.opts.dir, segmentFileName(nextSeq)), err));
    }
    this.segments.push(next);
    this.dirDirty = true;
    this.chunk = new Chunk(this.opts.chunkBytes, nextSeq, next);
    this.tail.push(this.chunk);
    this.logger.debug({ firstSeq: next.firstSeq, segments: this.segments.length }, 'change log segment started');
    this.segmentStarted();
  }
}
