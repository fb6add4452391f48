/**
 * The ordered reply queue of one connection. Clients may send many requests
 * before reading a reply (pipelining); requests run as soon as they arrive,
 * concurrently, but replies go out in request order. Each request takes a
 * slot; a slot completes with an encoder (a reply written into the shared
 * ByteWriter when its turn comes) or a stream (a scan or query that writes
 * frames itself, with backpressure, when it reaches the head). Everything the
 * head slots produced in one turn of the event loop leaves in one socket write.
 */
import type { ByteWriter } from '../../aerospike-protocol/index.js';

export type ReplyEncoder = (w: ByteWriter) => void;

/** What a streaming reply writes through: the shared writer, and a flush that waits while the socket is backed up. */
export interface StreamSink {
  readonly writer: ByteWriter;
  /** Sends what was written; resolves once the socket can take more. Rejects when the connection closed. */
  flush(): Promise<void>;
  /** Aborted when the connection closes. */
  readonly signal: AbortSignal;
}

export type StreamReply = (sink: StreamSink) => Promise<void>;

interface Slot {
  encoder: ReplyEncoder | null;
  stream: StreamReply | null;
  /** Close the connection once everything before this slot is written (framing was lost). */
  close: boolean;
}

/** The socket as the pipeline uses it; the connection forwards its 'drain' and 'close' events (onDrain, onClosed). */
export interface PipelineSocket {
  write(chunk: Buffer): boolean;
  readonly writableLength: number;
  end(): void;
}

export interface PipelineOptions {
  /** Requests in flight (queued or running) at which the connection stops reading. */
  inFlightMax: number;
  /** Bytes queued in the socket at which a stream waits for 'drain'. */
  writeHighWaterBytes: number;
  onBackpressure(paused: boolean): void;
  onStreamError(err: unknown): void;
}

export class ReplyPipeline {
  private readonly slots: Slot[] = [];
  private head = 0;
  private streaming = false;
  private flushScheduled = false;
  private closed = false;
  private paused = false;
  private drainWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  readonly abort = new AbortController();

  constructor(
    private readonly socket: PipelineSocket,
    readonly writer: ByteWriter,
    private readonly options: PipelineOptions,
  ) {}

  /** Requests taken and not yet answered. */
  inFlight(): number {
    return this.slots.length - this.head;
  }

  /** A new slot at the tail; answer it with complete() or stream(). */
  reserve(): Slot {
    const slot: Slot = { encoder: null, stream: null, close: false };
    this.slots.push(slot);
    if (!this.paused && this.inFlight() >= this.options.inFlightMax) {
      this.paused = true;
      this.options.onBackpressure(true);
    }
    return slot;
  }

  complete(slot: Slot, encoder: ReplyEncoder): void {
    slot.encoder = encoder;
    this.schedule();
  }

  stream(slot: Slot, stream: StreamReply): void {
    slot.stream = stream;
    this.schedule();
  }

  /** Everything before this point is answered, then the connection closes. */
  closeAfterPending(): void {
    const slot = this.reserve();
    slot.close = true;
    this.schedule();
  }

  /** The socket closed: nothing more is written; running streams see the abort. */
  onClosed(): void {
    this.closed = true;
    this.abort.abort();
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.reject(new Error('connection closed'));
  }

  /** The socket drained its write buffer: streams waiting for it go on. */
  onDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private schedule(): void {
    if (this.flushScheduled || this.streaming) return;
    this.flushScheduled = true;
    // After the microtasks of this turn: replies that complete together leave in one write.
    process.nextTick(() => {
      this.flushScheduled = false;
      this.drainHead();
    });
  }

  private drainHead(): void {
    while (this.head < this.slots.length && !this.closed) {
      const slot = this.slots[this.head]!;
      if (slot.close) {
        this.send();
        this.socket.end();
        this.closed = true;
        return;
      }
      if (slot.encoder !== null) {
        slot.encoder(this.writer);
        this.advance();
        continue;
      }
      if (slot.stream !== null) {
        this.runStream(slot.stream);
        return;
      }
      break;
    }
    this.send();
  }

  private advance(): void {
    this.slots[this.head] = undefined as unknown as Slot;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.inFlight() < this.options.inFlightMax / 2) {
      this.paused = false;
      this.options.onBackpressure(false);
    }
  }

  private send(): void {
    if (this.writer.pending() === 0 || this.closed) return;
    this.socket.write(this.writer.take());
  }

  private runStream(stream: StreamReply): void {
    this.streaming = true;
    const sink: StreamSink = {
      writer: this.writer,
      signal: this.abort.signal,
      flush: () => this.flushStream(),
    };
    stream(sink)
      .catch((err: unknown) => this.options.onStreamError(err))
      .finally(() => {
        this.streaming = false;
        this.advance();
        this.drainHead();
      });
  }

  private flushStream(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    this.send();
    if (this.socket.writableLength < this.options.writeHighWaterBytes) return Promise.resolve();
    return new Promise<void>((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }
}
