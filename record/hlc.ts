/**
 * Hybrid logical clock. A timestamp packs wall milliseconds × 1024 plus a
 * logical counter (types.ts HlcTimestamp), so timestamps are plain numbers that
 * compare with `<` across regions. The clock never goes backwards: when the wall
 * clock steps back (NTP) or a remote timestamp is ahead, the logical counter
 * advances instead; when the counter would overflow it borrows the next
 * millisecond. Time enters only through the Clock interface so tests and
 * simulations control it.
 */
import type { HlcTimestamp } from './types.js';

export const HLC_LOGICAL_BITS = 10;
export const HLC_LOGICAL_MAX = (1 << HLC_LOGICAL_BITS) - 1;
const LOGICAL_SPAN = 1 << HLC_LOGICAL_BITS;

/** Source of wall time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 0, 1)) {}
  nowMs(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Wall milliseconds of a timestamp. */
export function physicalMs(ts: HlcTimestamp): number {
  return Math.floor(ts / LOGICAL_SPAN);
}

/** Logical counter of a timestamp. */
export function logicalOf(ts: HlcTimestamp): number {
  return ts % LOGICAL_SPAN;
}

/** The smallest timestamp at wall time `ms`. */
export function hlcFromMs(ms: number, logical = 0): HlcTimestamp {
  return Math.floor(ms) * LOGICAL_SPAN + logical;
}

/** Whether `remote` is more than `maxOffsetMs` ahead of the local wall clock (the receiver rejects such timestamps). */
export function isBeyondMaxOffset(remote: HlcTimestamp, localWallMs: number, maxOffsetMs: number): boolean {
  return physicalMs(remote) - localWallMs > maxOffsetMs;
}

export class Hlc {
  private lastTs: HlcTimestamp;

  constructor(
    /** Wall time: the engine passes its system clock, tests and simulations a ManualClock. */
    readonly clock: Clock,
    /** The largest timestamp known to have been issued (e.g. the max lut found on disk), so a restart stays monotonic. */
    floor: HlcTimestamp = 0,
  ) {
    this.lastTs = floor;
  }

  /** A new timestamp, strictly greater than every one issued or observed before. */
  now(): HlcTimestamp {
    return this.nowAt(this.clock.nowMs());
  }

  /** now() for a wall-clock reading the caller already took (one clock read serves a write's lut and its TTL). */
  nowAt(wallMs: number): HlcTimestamp {
    const wall = hlcFromMs(wallMs);
    this.lastTs = wall > this.lastTs ? wall : this.lastTs + 1;
    return this.lastTs;
  }

  /** Merge a timestamp received from another region; the next now() is greater than it. */
  update(remote: HlcTimestamp): HlcTimestamp {
    if (remote > this.lastTs) this.lastTs = remote;
    return this.now();
  }

  /** Make sure later timestamps exceed `ts` without issuing one (used on recovery). */
  observe(ts: HlcTimestamp): void {
    if (ts > this.lastTs) this.lastTs = ts;
  }

  /** The last timestamp issued or observed. */
  last(): HlcTimestamp {
    return this.lastTs;
  }

  /** Wall seconds (from the clock, not the HLC), for TTLs. */
  nowSec(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }
}
