/**
 * When anti-entropy runs, and which region of a pair runs it. Pure.
 *
 * One region per pair runs the periodic passes: the one whose name sorts
 * first. A pass repairs both directions (each side re-ships its own versions
 * of what differs), so a second region comparing the same pair would only
 * double the hashing both regions pay for. Either region runs a pass soon after
 * it started uncleanly (the engine could not recover everything), whether or
 * not it leads: it is the one that knows it may have lost data. That pass leaves
 * out what changed within the settle window, which may include its own writes
 * that were still on their way to the peer when it died; so one more pass
 * follows once the settle window has passed the start, then the lead's rhythm.
 */

export function leadsPair(here: string, peer: string): boolean {
  return here < peer;
}

export interface ScheduleInput {
  lead: boolean;
  /** The gateway started after an unclean stop with something lost in this pair's namespace. */
  uncleanStart: boolean;
  /** Passes this gateway already ran for the pair. */
  passes: number;
  /** How the previous pass ended. */
  lastOutcome: 'none' | 'ok' | 'failed' | 'partial';
  intervalMs: number;
  firstPassDelayMs: number;
  uncleanStartDelayMs: number;
  /** Changes younger than this are in flight, not differences. */
  settleMs: number;
}

/** Retry delay after a failed pass: a peer that is down is tried again soon, not after a whole interval. */
export const FAILED_PASS_RETRY_MAX_MS = 30_000;

/** Ms until the next pass of a pair, or null when this gateway runs none for it. */
export function nextPassDelayMs(s: ScheduleInput): number | null {
  if (s.passes === 0 && s.lastOutcome === 'none') {
    if (s.uncleanStart) return s.uncleanStartDelayMs;
    return s.lead ? s.firstPassDelayMs : null;
  }
  if (s.lastOutcome === 'failed') return s.lead || s.uncleanStart ? Math.min(s.intervalMs, FAILED_PASS_RETRY_MAX_MS) : null;
  // A pass that stopped at records-per-pass goes on at once (the budget already paces it).
  if (s.lastOutcome === 'partial') return s.lead || s.uncleanStart ? 0 : null;
  // The unclean start's second pass: what was in flight at the crash is older than settle by then.
  if (s.uncleanStart && s.passes === 1) return s.lead ? Math.min(s.intervalMs, s.settleMs) : s.settleMs;
  return s.lead ? s.intervalMs : null;
}
