/**
 * When a supervised process that died is started again: a pure decision from
 * its restart history, the time it died and how long it had run. Exponential
 * backoff (1 s, 2 s, 4 s ... capped) so a process that dies at once does not
 * spin; the backoff starts over after a run long enough to count as healthy;
 * and a cap on restarts within a window, after which the process is left down
 * (a crash loop is a bug to fix, and restarting it forever hides it).
 */

export interface RestartPolicy {
  /** Delay before the first restart. @default 1000 */
  backoffInitialMs: number;
  /** Longest delay between restarts. @default 30000 */
  backoffMaxMs: number;
  /** A process that ran at least this long before dying restarts after backoffInitialMs again. @default 60000 */
  stableAfterMs: number;
  /** Restarts allowed within restartWindowMs; the next death leaves the process down. @default 5 */
  restartsMax: number;
  /** @default 600000 (10 min) */
  restartWindowMs: number;
}

export const RESTART_POLICY_DEFAULT: Readonly<RestartPolicy> = Object.freeze({
  backoffInitialMs: 1_000,
  backoffMaxMs: 30_000,
  stableAfterMs: 60_000,
  restartsMax: 5,
  restartWindowMs: 600_000,
});

/** Fills defaults, checks every field, freezes. A bad policy is a programming error: it throws. */
export function restartPolicy(overrides: Partial<RestartPolicy> = {}): Readonly<RestartPolicy> {
  const p = { ...RESTART_POLICY_DEFAULT, ...overrides };
  for (const [name, value] of Object.entries(p)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`restart policy ${name} must be a non-negative integer, got ${value}`);
  }
  if (p.backoffInitialMs < 1 || p.backoffInitialMs > p.backoffMaxMs) {
    throw new RangeError(`restart policy backoffInitialMs must be 1..backoffMaxMs (${p.backoffMaxMs}), got ${p.backoffInitialMs}`);
  }
  return Object.freeze(p);
}

export interface RestartHistory {
  /** When each restart within the window was decided (ms, the supervisor's clock). */
  readonly restartsAtMs: readonly number[];
  /** The delay the next restart waits, unless the process ran long enough to reset it. */
  readonly nextBackoffMs: number;
}

export function freshHistory(policy: Readonly<RestartPolicy>): RestartHistory {
  return { restartsAtMs: [], nextBackoffMs: policy.backoffInitialMs };
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; history: RestartHistory }
  | { action: 'give-up'; restartsInWindow: number; history: RestartHistory };

/** What to do about a process that died at `diedAtMs` after running `uptimeMs` (0 when it never came up). */
export function decideRestart(policy: Readonly<RestartPolicy>, history: RestartHistory, diedAtMs: number, uptimeMs: number): RestartDecision {
  const recent = history.restartsAtMs.filter((t) => t > diedAtMs - policy.restartWindowMs);
  const backoffMs = uptimeMs >= policy.stableAfterMs ? policy.backoffInitialMs : history.nextBackoffMs;
  if (recent.length >= policy.restartsMax) {
    return { action: 'give-up', restartsInWindow: recent.length, history: { restartsAtMs: recent, nextBackoffMs: backoffMs } };
  }
  return {
    action: 'restart',
    delayMs: backoffMs,
    history: { restartsAtMs: [...recent, diedAtMs], nextBackoffMs: Math.min(backoffMs * 2, policy.backoffMaxMs) },
  };
}
