/**
 * Readers parked in waitForMore(). Each waits for the visible head to pass its
 * read position, a timeout, or an abort; all three resolve (never reject), and
 * every timer and abort listener is removed when the wait ends.
 */

interface Waiter {
  afterSeq: number;
  finish: () => void;
}

export class ReadWaiters {
  private readonly waiters = new Set<Waiter>();
  private wakeScheduled = false;

  get size(): number {
    return this.waiters.size;
  }

  wait(afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        afterSeq,
        finish: () => {
          if (!this.waiters.delete(waiter)) return;
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.finish);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', waiter.finish, { once: true });
      timer = setTimeout(waiter.finish, Math.max(0, timeoutMs));
    });
  }

  /** Wakes waiters whose position `visibleSeq` has passed. */
  wake(visibleSeq: number): void {
    for (const w of this.waiters) if (visibleSeq > w.afterSeq) w.finish();
  }

  /** Wakes from a microtask: append() calls this and must not run reader code synchronously. */
  wakeSoon(visible: () => number): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    queueMicrotask(() => {
      this.wakeScheduled = false;
      this.wake(visible());
    });
  }

  wakeAll(): void {
    for (const w of this.waiters) w.finish();
  }
}
