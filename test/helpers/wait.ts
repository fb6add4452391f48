/**
 * Polling for eventually-true conditions in integration tests (replication
 * arrived, a broker is back). The timeout message names what was awaited and
 * the last error the probe threw, so a failing test says what never happened.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** @default 10000 */
  timeoutMs?: number;
  /** @default 50 */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("tokyo's write to appear in virginia"). */
  what?: string;
}

/**
 * Calls `probe` until it returns a truthy value (which is returned) or the
 * timeout passes. A probe that throws counts as "not yet"; its last error is
 * quoted in the timeout error.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadlineMs = Date.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false && (value as unknown) !== 0 && (value as unknown) !== '') {
        return value as NonNullable<T>;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadlineMs) break;
    await sleep(intervalMs);
  }
  const last = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  throw new Error(`timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${options.what ?? 'a condition'}${last}`, {
    cause: lastError,
  });
}
