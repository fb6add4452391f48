/**
 * The record-rate budget of an anti-entropy pass: records hashed or listed
 * (in both regions together) per second. Pure: the caller reports what a
 * request cost and sleeps for what this returns, so the pass's average rate
 * stays at the budget and foreground traffic sees a steady, small load.
 */

export class RecordBudget {
  /** Ms at which the records charged so far will have been "paid for" at the budget rate. */
  private paidUntilMs: number;

  constructor(
    private readonly recordsPerSec: number,
    nowMs: number,
  ) {
    if (!(recordsPerSec > 0)) throw new RangeError(`recordsPerSec must be > 0, got ${recordsPerSec}`);
    this.paidUntilMs = nowMs;
  }

  /** Charges `records`; returns how long to wait (ms, ≥ 0) before the next request. Idle time is not banked beyond one second. */
  charge(records: number, nowMs: number): number {
    this.paidUntilMs = Math.max(this.paidUntilMs, nowMs - 1000) + (records * 1000) / this.recordsPerSec;
    return Math.max(0, Math.ceil(this.paidUntilMs - nowMs));
  }
}

/**
 * Partitions to ask for in the next hash request: as many as hold about
 * `targetRecords` records at the density seen so far (records per partition),
 * between 1 and `max`. Aiming at a fraction of a second of budget per request
 * keeps each request's work (a synchronous stretch in the peer's engine,
 * between its yields) and each sleep short.
 */
export function nextRangeSize(recordsPerPartition: number | undefined, targetRecords: number, max: number): number {
  // Nothing measured yet: one partition first, so a dense namespace never starts with one huge request.
  if (recordsPerPartition === undefined) return 1;
  if (!(recordsPerPartition > 0)) return max;
  return Math.max(1, Math.min(max, Math.floor(targetRecords / recordsPerPartition)));
}
