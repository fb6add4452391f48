/**
 * Group commit of a namespace's devices: callers ask for "everything stored
 * so far on the devices" and one round runs at a time (the writer worker's
 * writes finish, the open buffers are written, the devices written since the
 * last round are fdatasync'd); every caller queued before a round started is
 * released by it, and callers arriving meanwhile share the next one. Blocks
 * emptied before a round may be reused only once it succeeded (block-table.ts,
 * PENDING_FREE), so a crash never loses both copies of a record.
 */
import { EngineError } from '../errors.js';

/** What a round does, provided by the storage. */
export interface CommitRoundIo {
  /** Takes the emptied blocks this round releases when it succeeds. */
  takePending(): number[];
  /** Resolves when the writer worker finished what it was handed (so nothing is written twice). */
  drained(): Promise<void>;
  /** Writes everything buffered; returns the fdatasyncs of the devices written since the last round. */
  writeAndSync(): Array<Promise<void>>;
  /** The round is durable: the pending blocks may be reused. */
  released(pending: number[]): void;
  /** The round failed: the pending blocks wait for a later one. */
  kept(pending: number[]): void;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class DeviceCommit {
  private waiters: Waiter[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly ns: string,
    private readonly io: CommitRoundIo,
  ) {}

  /** A round runs or is about to. */
  get busy(): boolean {
    return this.running || this.scheduled;
  }

  /** Resolves once everything stored before the call is durable on the devices. */
  request(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate lets every write of the current turn of the event loop join this round.
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    const waiters = this.waiters;
    this.waiters = [];
    const pending = this.io.takePending();
    try {
      // The fsync waits anyway: let the worker finish its writes rather than write them twice.
      await this.io.drained();
      await Promise.all(this.io.writeAndSync());
      this.io.released(pending);
      for (const w of waiters) w.resolve();
    } catch (err) {
      this.io.kept(pending);
      const wrapped = new EngineError('ENGINE_ERR_CORRUPTED_STORAGE', `fdatasync of namespace ${this.ns} failed: ${(err as Error).message}`, { ns: this.ns }, { cause: err });
      for (const w of waiters) w.reject(wrapped);
    } finally {
      this.running = false;
      if (this.waiters.length > 0) this.schedule();
    }
  }
}
