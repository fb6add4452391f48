/**
 * A route loop's interruptible sleep. Control calls (pause, resume, rewind,
 * update, stop) call wake(), so a loop sleeping out a delay, a backoff or a
 * heartbeat interval acts on them at once; waits that take a signal (a cursor
 * waiting for changes) pass `signal`.
 */
export class Wakeup {
  private controller = new AbortController();

  /** Aborted by the next wake() (each wake() starts a new one). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  wake(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  /** Sleeps up to `ms`, cut short by wake(). */
  async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    const signal = this.controller.signal;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
