/**
 * The change log of one namespace: every mutation gets the next seq and a
 * checksummed frame in a segment file; named cursors tail it.
 *
 * Durability model: append() only encodes into memory (a full chunk is written
 * to the page cache). sync() writes what is left and fdatasyncs; concurrent
 * callers share one fdatasync (group commit), and a timer does the same every
 * flushMaxMs, which bounds what a crash can take in buffered mode.
 *
 * This class validates events, assigns seqs and runs the group commit, the
 * cursors and retention; the segment files and the in-memory tail belong to
 * SegmentWriter (writer.ts).
 */
import { pino, type Logger } from 'pino';
import type { ChangeLogApi } from '../api.js';
import { EngineError } from '../errors.js';
import type { ChangeEvent } from '../types.js';
import { Cursor, type CursorHost } from './cursor.js';
import { GroupCommit } from './group-commit.js';
import { changeLogIoError } from './io-error.js';
import { CursorStore, loadCursors, type CursorPosition } from './cursors-file.js';
import { DIGEST_BYTES, kindCode, SET_BYTES_MAX } from './frame.js';
import { resolveOptions, type ChangeLogOptions, type ResolvedChangeLogOptions } from './options.js';
import { type ReadHint, SegmentReader } from './reader.js';
import { recoverLog } from './recovery.js';
import { applyRetention } from './retention.js';
import type { Segment } from './segment.js';
import type { ChangeLogStats, NewChangeEvent } from './types.js';
import { ReadWaiters } from './waiters.js';
import { SegmentWriter } from './writer.js';

const CURSOR_NAME = /^[A-Za-z0-9._:@-]{1,128}$/;

function invalid(message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', message, details);
}


export class ChangeLog implements ChangeLogApi {
  readonly ns: string;
  private readonly opts: ResolvedChangeLogOptions;
  private readonly logger: Logger;
  /** The segment files and the in-memory tail; append() frames each entry into it. */
  private readonly writer: SegmentWriter;
  private head: number;
  private readonly commits: GroupCommit;
  private readonly cursors = new Map<string, Cursor>();
  private readonly store: CursorStore;
  private readonly reader: SegmentReader;
  private readonly readWaiters = new ReadWaiters();
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
  /**
   * The largest position any cursor had committed when the log was opened, before
   * clamping: a value above the recovered head counts acknowledged entries the
   * crash took (the namespace's start report says so).
   */
  readonly recoveredCursorSeqMax: number = 0;

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
    this.writer = new SegmentWriter(opts, logger, segments, lastLut, (err) => this.fail(err), () => this.retain());
    this.head = segments[segments.length - 1]!.endSeq() - 1;
    this.commits = new GroupCommit(this.head, () => this.writer.beginCommit(this.head), (durable) => this.onDurable(durable));
    this.reader = new SegmentReader(opts.ns);
    this.visible = opts.readVisibility === 'durable' ? () => this.commits.durable : () => this.head;
    this.host = this.makeHost();
    for (const pos of positions.values()) if (pos.seq > this.recoveredCursorSeqMax) this.recoveredCursorSeqMax = pos.seq;
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
    const seq = this.head + 1;
    if (!this.writer.append(seq, kindCode(event.kind), region, lut, digest, set)) {
      throw invalid(`set name longer than ${SET_BYTES_MAX} bytes of UTF-8`, { set });
    }
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
    return this.writer.lastLut();
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
    for (const s of this.writer.segments) bytes += s.bytes;
    return {
      ns: this.ns,
      segments: this.writer.segments.length,
      bytes,
      headSeq: this.head,
      durableSeq: this.commits.durable,
      firstSeq: this.firstSeq(),
      lastLut: this.writer.lastLut(),
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
    this.writer.close();
    if (firstErr !== null) throw firstErr;
  }

  // ---- internals -----------------------------------------------------------

  private checkOpen(): void {
    if (this.failure !== null) throw this.failure;
    if (this.closing !== null) throw new EngineError('ENGINE_ERR_CLOSED', `change log of namespace ${this.ns} is closed`, { ns: this.ns });
  }

  private firstSeq(): number {
    return this.writer.segments[0]!.firstSeq;
  }

  /** Records the first I/O failure (later calls fail with it) and returns `err` for the caller to throw. */
  private fail(err: unknown): unknown {
    if (this.failure !== null) return err;
    this.failure = err;
    this.logger.error({ err }, 'change log I/O failed; the log refuses further appends until reopened');
    return err;
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
    const outcome = applyRetention(this.writer.segments, [...this.cursors.values()].map((c) => c.committedSeq()), this.opts.retainBytesMax);
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
    const tailFirst = this.writer.tail.firstSeq();
    let next = hint;
    if (from < tailFirst) {
      const fileTo = Math.min(to, tailFirst - 1);
      next = this.reader.read(this.writer.segments, from, fileTo, hint, (seg) => this.writer.fileEnd(seg), out);
      from = fileTo + 1;
    }
    if (from <= to) {
      this.writer.tail.decode(from, to, this.ns, out);
      next = null;
    }
    return next;
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
