/**
 * The change log of one namespace: every mutation gets the next seq and a
 * checksummed frame in a segment file; named cursors tail it.
 *
 * Durability model: append() only encodes into memory (a full chunk is written
 * to the page cache). sync() writes what is left and fdatasyncs; concurrent
 * callers share one fdatasync (group commit), and a timer does the same every
 * flushMaxMs, which bounds what a crash can take in buffered mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { pino, type Logger } from 'pino';
import type { ChangeLogApi } from '../api.js';
import { EngineError } from '../errors.js';
import { fsyncDir } from '../fsync-dir.js';
import type { ChangeEvent } from '../types.js';
import { Chunk, Tail } from './chunk.js';
import { Cursor, type CursorHost } from './cursor.js';
import { type CommitRound, GroupCommit } from './group-commit.js';
import { changeLogIoError } from './io-error.js';
import { CursorStore, loadCursors, type CursorPosition } from './cursors-file.js';
import { DIGEST_BYTES, encodeFrame, FRAME_BYTES_MIN, kindCode, SET_BYTES_MAX, segmentFileName } from './frame.js';
import { resolveOptions, type ChangeLogOptions, type ResolvedChangeLogOptions } from './options.js';
import { type ReadHint, SegmentReader } from './reader.js';
import { recoverLog } from './recovery.js';
import { applyRetention } from './retention.js';
import { Segment } from './segment.js';
import type { ChangeLogStats, NewChangeEvent } from './types.js';
import { ReadWaiters } from './waiters.js';

const fdatasyncAsync = promisify(fs.fdatasync);
const CURSOR_NAME = /^[A-Za-z0-9._:@-]{1,128}$/;

function invalid(message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', message, details);
}


export class ChangeLog implements ChangeLogApi {
  readonly ns: string;
  private readonly opts: ResolvedChangeLogOptions;
  private readonly logger: Logger;
  /** Oldest first; the last one is the active segment appends go to. Never empty. */
  private readonly segments: Segment[];
  private chunk: Chunk;
  private readonly tail: Tail;
  private head: number;
  private readonly commits: GroupCommit;
  private lastLutValue: number;
  private readonly cursors = new Map<string, Cursor>();
  private readonly store: CursorStore;
  private readonly reader: SegmentReader;
  private readonly readWaiters = new ReadWaiters();
  /** A segment file was created since the directory was last fsync'd. */
  private dirDirty = false;
  /** A sync for waiting cursors is scheduled (syncForReaders). */
  private readerSyncScheduled = false;
  private readonly timer: NodeJS.Timeout;
  private closing: Promise<void> | null = null;
  private failure: unknown = null;
  private overflows = 0;
  private segmentsReleased = 0;
  private segmentsEvicted = 0;
  private readonly host: CursorHost;
  private readonly visible: () => number;

  private constructor(
    opts: ResolvedChangeLogOptions,
    logger: Logger,
    segments: Segment[],
    lastLut: number,
    positions: Map<string, CursorPosition>,
  ) {
    this.ns = opts.ns;
    this.opts = opts;
    this.logger = logger;
    this.segments = segments;
    const active = segments[segments.length - 1]!;
    this.head = active.endSeq() - 1;
    this.commits = new GroupCommit(this.head, () => this.beginCommit(), (durable) => this.onDurable(durable));
    this.lastLutValue = lastLut;
    this.tail = new Tail(opts.tailBytesMax);
    this.chunk = new Chunk(opts.chunkBytes, this.head + 1, active);
    this.tail.push(this.chunk);
    this.reader = new SegmentReader(opts.ns);
    this.visible = opts.readVisibility === 'durable' ? () => this.commits.durable : () => this.head;
    this.host = this.makeHost();
    for (const [name, pos] of positions) {
      const c = new Cursor(name, pos.seq, pos.lut, this.host);
      if (pos.seq > this.head) {
        logger.warn({ cursor: name, committedSeq: pos.seq, headSeq: this.head }, 'change log: cursor was ahead of the recovered log; clamped');
        c.clampTo(this.head);
      }
      this.cursors.set(name, c);
    }
    this.store = new CursorStore(opts.dir, () => this.cursorSnapshot());
    this.timer = setInterval(() => this.flushTick(), opts.flushMaxMs);
    this.timer.unref();
  }

  /** Opens (creating if needed) the log in options.dir, recovering it after a crash. */
  static async open(options: ChangeLogOptions): Promise<ChangeLog> {
    const opts = resolveOptions(options);
    const logger = (options.logger ?? pino({ level: 'silent' })).child({ module: 'changelog', ns: opts.ns });
    let recovered: ReturnType<typeof recoverLog>;
    try {
      recovered = recoverLog(opts.dir, logger);
    } catch (err) {
      throw changeLogIoError('open', opts.dir, err);
    }
    const { segments, lastLut } = recovered;
    let positions: Map<string, CursorPosition>;
    try {
      positions = loadCursors(opts.dir);
    } catch (err) {
      for (const s of segments) s.closeIfIdle();
      throw changeLogIoError('open', opts.dir, err);
    }
    const log = new ChangeLog(opts, logger, segments, lastLut, positions);
    log.retain();
    logger.debug({ headSeq: log.head, segments: segments.length, cursors: positions.size }, 'change log opened');
    return log;
  }

  /**
   * Appends one entry and returns its seq (1, 2, ...). Only encodes into memory
   * (a full chunk is written to the page cache); durable after sync() resolves.
   * Once per segment it also fdatasyncs the finished segment and creates the next.
   */
  append(event: NewChangeEvent): number {
    if (this.closing !== null || this.failure !== null) this.checkOpen();
    const { set, digest, lut, region } = event;
    if (event.ns !== this.ns) throw invalid(`change log of namespace ${this.ns} got an event of namespace ${event.ns}`, { ns: event.ns });
    if (digest.length !== DIGEST_BYTES) throw invalid(`change event digest must be ${DIGEST_BYTES} bytes`, { digestBytes: digest.length });
    if (!(lut >= 0) || lut === Infinity) throw invalid(`change event lut must be a finite number ≥ 0`, { lut });
    if (!(region >= 0 && region <= 255) || (region | 0) !== region) throw invalid(`change event region must be 0..255`, { region });
    if (set.length > SET_BYTES_MAX) throw invalid(`set name longer than ${SET_BYTES_MAX} bytes`, { set });
    const kind = kindCode(event.kind);
    const room = FRAME_BYTES_MIN + 3 * set.length;
    let chunk = this.chunk;
    if (chunk.segment.count > 0 && chunk.segment.bytes + room > this.opts.segmentBytes) {
      this.rollover();
      chunk = this.chunk;
    } else if (chunk.used + room > chunk.buf.length || chunk.count === chunk.offsets.length) {
      this.sealChunk();
      chunk = this.chunk;
    }
    const seq = this.head + 1;
    const n = encodeFrame(chunk.buf, chunk.used, seq, kind, region, lut, digest, set);
    if (n < 0) throw invalid(`set name longer than ${SET_BYTES_MAX} bytes of UTF-8`, { set });
    const seg = chunk.segment;
    seg.noteEntry(chunk.fileOffset + chunk.used);
    chunk.offsets[chunk.count++] = chunk.used;
    chunk.used += n;
    seg.bytes += n;
    seg.count++;
    if (lut > seg.maxLut) seg.maxLut = lut;
    if (lut > this.lastLutValue) this.lastLutValue = lut;
    this.head = seq;
    if (this.readWaiters.size > 0) {
      if (this.opts.readVisibility === 'appended') this.readWaiters.wakeSoon(this.visible);
      else this.syncForReaders();
    }
    return seq;
  }

  /** Writes and fdatasyncs everything appended so far; concurrent callers share one fdatasync. */
  sync(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return this.commits.request(this.head);
  }

  /** Sequence number of the newest entry (0 when empty). */
  headSeq(): number {
    return this.head;
  }

  /** Newest seq known to be on disk after fdatasync. */
  durableSeq(): number {
    return this.commits.durable;
  }

  /** Largest lut ever appended (0 when none); survives reopen. */
  lastLut(): number {
    return this.lastLutValue;
  }

  /** Opens (creating and persisting if needed) a named cursor; a new cursor starts at seq 0. */
  async cursor(name: string): Promise<Cursor> {
    this.checkOpen();
    if (typeof name !== 'string' || !CURSOR_NAME.test(name)) {
      throw invalid(`cursor name must match ${CURSOR_NAME.source}`, { name });
    }
    const existing = this.cursors.get(name);
    if (existing !== undefined) return existing;
    const c = new Cursor(name, 0, 0, this.host);
    this.cursors.set(name, c);
    await this.store.persist();
    return c;
  }

  async dropCursor(name: string): Promise<void> {
    this.checkOpen();
    const c = this.cursors.get(name);
    if (c === undefined) return;
    c.dropped = true;
    this.cursors.delete(name);
    await this.store.persist();
    this.retain();
  }

  cursorNames(): string[] {
    return [...this.cursors.keys()];
  }

  stats(): ChangeLogStats {
    let bytes = 0;
    for (const s of this.segments) bytes += s.bytes;
    return {
      ns: this.ns,
      segments: this.segments.length,
      bytes,
      headSeq: this.head,
      durableSeq: this.commits.durable,
      firstSeq: this.firstSeq(),
      lastLut: this.lastLutValue,
      fdatasyncs: this.commits.rounds,
      overflows: this.overflows,
      segmentsReleased: this.segmentsReleased,
      segmentsEvicted: this.segmentsEvicted,
      cursors: [...this.cursors.values()].map((c) => ({
        name: c.name,
        committedSeq: c.committedSeq(),
        committedLut: c.committedLut(),
        readSeq: c.readSeq(),
        lagEntries: this.head - c.committedSeq(),
      })),
    };
  }

  /** Syncs, closes files, wakes waiting readers. Further calls fail with ENGINE_ERR_CLOSED. */
  close(): Promise<void> {
    if (this.closing === null) this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    clearInterval(this.timer);
    let firstErr: unknown = null;
    if (this.failure === null) {
      try {
        await this.sync();
      } catch (err) {
        firstErr = err;
      }
    }
    try {
      await this.store.idle();
    } catch (err) {
      firstErr ??= err;
    }
    this.readWaiters.wakeAll();
    for (const s of this.segments) {
      s.deleted = true; // makes a still-running fdatasync close it when done
      s.closeIfIdle();
    }
    this.tail.clear();
    if (firstErr !== null) throw firstErr;
  }

  // ---- internals -----------------------------------------------------------

  private checkOpen(): void {
    if (this.failure !== null) throw this.failure;
    if (this.closing !== null) throw new EngineError('ENGINE_ERR_CLOSED', `change log of namespace ${this.ns} is closed`, { ns: this.ns });
  }

  private firstSeq(): number {
    return this.segments[0]!.firstSeq;
  }

  /** Records the first I/O failure (later calls fail with it) and returns `err` for the caller to throw. */
  private fail(err: unknown): unknown {
    if (this.failure !== null) return err;
    this.failure = err;
    this.logger.error({ err }, 'change log I/O failed; the log refuses further appends until reopened');
    return err;
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

  private sealChunk(): void {
    this.writeChunk(this.chunk);
    this.chunk = new Chunk(this.opts.chunkBytes, this.head + 1, this.chunk.segment);
    this.tail.push(this.chunk);
  }

  /**
   * Finishes the active segment and starts the next. The finished one is
   * fdatasync'd before the next exists, so after any crash only the newest
   * segment can have a torn tail (recovery relies on that).
   */
  private rollover(): void {
    const old = this.chunk.segment;
    this.writeChunk(this.chunk);
    let next: Segment;
    try {
      fs.fdatasyncSync(old.fd);
    } catch (err) {
      throw this.fail(changeLogIoError('fdatasync', old.path, err));
    }
    try {
      next = Segment.create(this.opts.dir, this.head + 1, this.lastLutValue);
    } catch (err) {
      throw this.fail(changeLogIoError('create', path.join(this.opts.dir, segmentFileName(this.head + 1)), err));
    }
    this.segments.push(next);
    this.dirDirty = true;
    this.chunk = new Chunk(this.opts.chunkBytes, this.head + 1, next);
    this.tail.push(this.chunk);
    this.logger.debug({ firstSeq: next.firstSeq, segments: this.segments.length }, 'change log segment started');
    this.retain();
  }

  /**
   * One group-commit round: writes what is buffered now (synchronously, so the
   * round covers exactly the entries up to head), then fdatasyncs the active
   * segment, and the directory when a segment file was created since the last round.
   */
  private beginCommit(): CommitRound {
    const upto = this.head;
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

  private onDurable(durable: number): void {
    if (this.opts.readVisibility === 'durable') this.readWaiters.wake(durable);
  }

  /**
   * A cursor reads or waits while entries are appended but not yet durable: sync
   * now rather than at the next flushMaxMs tick, which would otherwise add up to
   * flushMaxMs (1 s by default) to every shipped change's lag. One sync per
   * event-loop turn (setImmediate), so a burst of appends shares one fdatasync,
   * and the group commit runs one fdatasync at a time, which bounds their rate.
   * Only when entries become durable changes; what a crash can lose does not.
   */
  private syncForReaders(): void {
    if (this.readerSyncScheduled) return;
    this.readerSyncScheduled = true;
    setImmediate(() => {
      this.readerSyncScheduled = false;
      this.flushTick();
    });
  }

  private flushTick(): void {
    if (this.head > this.commits.durable && this.failure === null && this.closing === null) {
      this.sync().catch((err: unknown) => this.logger.error({ err }, 'change log periodic flush failed'));
    }
  }

  /** Deletes segments every cursor has passed, then the oldest ones past the size cap. */
  private retain(): void {
    const outcome = applyRetention(this.segments, [...this.cursors.values()].map((c) => c.committedSeq()), this.opts.retainBytesMax);
    this.segmentsReleased += outcome.released;
    this.segmentsEvicted += outcome.evicted;
    if (outcome.evicted > 0) {
      const behind = [...this.cursors.values()].filter((c) => c.committedSeq() + 1 < this.firstSeq()).map((c) => c.name);
      this.logger.warn(
        { evicted: outcome.evicted, firstSeq: this.firstSeq(), retainBytesMax: this.opts.retainBytesMax, cursorsBehind: behind },
        'change log over its size cap: deleted segments that cursors still needed (they will overflow and resume by scan)',
      );
    }
  }

  private cursorSnapshot(): Record<string, CursorPosition> {
    const out: Record<string, CursorPosition> = {};
    for (const c of this.cursors.values()) out[c.name] = { seq: c.committedSeq(), lut: c.committedLut() };
    return out;
  }

  private readRange(from: number, to: number, hint: ReadHint | null, out: ChangeEvent[]): ReadHint | null {
    const tailFirst = this.tail.firstSeq();
    let next = hint;
    if (from < tailFirst) {
      const fileTo = Math.min(to, tailFirst - 1);
      next = this.reader.read(this.segments, from, fileTo, hint, (seg) => this.fileEnd(seg), out);
      from = fileTo + 1;
    }
    if (from <= to) {
      this.tail.decode(from, to, this.ns, out);
      next = null;
    }
    return next;
  }

  /** Bytes of a segment that are in its file (the active one may have some only in memory). */
  private fileEnd(seg: Segment): number {
    return seg === this.chunk.segment ? this.chunk.fileOffset + this.chunk.written : seg.bytes;
  }

  private makeHost(): CursorHost {
    return {
      checkOpen: () => this.checkOpen(),
      headSeq: () => this.head,
      visibleSeq: () => this.visible(),
      firstSeq: () => this.firstSeq(),
      readRange: (from, to, hint, out) => this.readRange(from, to, hint, out),
      waitForVisible: (afterSeq, timeoutMs, signal) => {
        if (this.opts.readVisibility === 'durable' && this.head > afterSeq) this.syncForReaders();
        return this.readWaiters.wait(afterSeq, timeoutMs, signal);
      },
      readerActive: () => {
        if (this.opts.readVisibility === 'durable' && this.head > this.commits.durable) this.syncForReaders();
      },
      cursorsChanged: async () => {
        await this.store.persist();
        if (this.closing === null) this.retain();
      },
      countOverflow: () => {
        this.overflows++;
      },
    };
  }
}
