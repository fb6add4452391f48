/**
 * Group commit: callers ask for "durable up to seq N"; one fdatasync at a time
 * runs, and every caller whose N it covers is released by it. Callers arriving
 * while one runs share the next. On failure every waiting caller is rejected.
 */

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** One round: what it will make durable, and the I/O that does it. */
export interface CommitRound {
  upto: number;
  run: () => Promise<void>;
}

export class GroupCommit {
  private waiters: Waiter[] = [];
  private running = false;
  /** fdatasync rounds completed. */
  rounds = 0;

  constructor(
    /** Newest seq already durable. */
    public durable: number,
    /** Starts a round (synchronously writes what is buffered). */
    private readonly begin: () => CommitRound,
    private readonly onDurable: (durable: number) => void,
  ) {}

  /** Resolves once everything up to `target` is durable. */
  request(target: number): Promise<void> {
    if (this.durable >= target) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
    if (!this.running) void this.loop();
    return done;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length > 0) {
        const round = this.begin();
        await round.run();
        this.rounds++;
        if (round.upto > this.durable) this.durable = round.upto;
        const ready = this.waiters.filter((w) => w.target <= this.durable);
        this.waiters = this.waiters.filter((w) => w.target > this.durable);
        for (const w of ready) w.resolve();
        this.onDurable(this.durable);
      }
    } catch (err) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(err);
    } finally {
      this.running = false;
    }
  }
}
