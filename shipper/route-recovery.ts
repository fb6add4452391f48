/**
 * A route's recoveries by scan: after its change log overflowed it (the
 * entries it had not shipped were dropped), and for an operator's rewind. Both
 * settle the batch in flight first, then scan the versions newer than a time and
 * ship them (recovery-scan.ts), keeping the scan's report in the route's stats.
 * What triggers them and when is the route shipper's business.
 */
import type { Logger } from 'pino';
import type { ChangeCursor } from '../engine/index.js';
import type { HlcTimestamp } from '../record/index.js';
import { errorNote } from '../errors/index.js';
import { isShipError } from './errors.js';
import type { MsClock } from './rate-limiter.js';
import { startScanReport, type RecoveryScan } from './recovery-scan.js';
import type { ShippedPosition } from './shipped-position.js';
import type { RouteShipStats, ShipState } from './stats.js';

export interface RouteRecoveryDeps {
  scan: RecoveryScan;
  /** The route's statistics (recoveries, scan report, last error, state). */
  counters: RouteShipStats;
  clock: MsClock;
  log: Logger;
  /** Waits until the batch in flight is acknowledged and committed. */
  settle: () => Promise<void>;
  setState: (state: ShipState) => void;
}

export class RouteRecovery {
  constructor(private readonly d: RouteRecoveryDeps) {}

  /**
   * Settles the in-flight batch, then scans versions newer than `sinceLut` and
   * ships them (overflow recovery, rewind), keeping the scan's report in the
   * stats. Returns the max lut scanned; a failure is in the report and rethrown.
   */
  async recover(sinceLut: HlcTimestamp, why: 'overflow' | 'rewind', includeOrigin = false): Promise<number> {
    const { counters, clock } = this.d;
    await this.d.settle();
    this.d.setState('recovering');
    counters.recoveries++;
    const report = startScanReport(why, sinceLut, includeOrigin, clock.nowMs());
    counters.scan = report;
    try {
      const maxLut = await this.d.scan.ship(sinceLut, report);
      report.status = 'completed';
      return maxLut;
    } catch (err) {
      report.status = 'failed';
      report.error = errorNote(err, clock.nowMs(), 'SHIP_ERR_SCAN_FAILED');
      counters.last_error = report.error;
      if (!isShipError(err, 'SHIP_ERR_STOPPED')) this.d.log.error({ err, why, scanned: report.scanned, shipped: report.shipped, total: report.total }, 'recovery scan stopped before its end');
      throw err;
    } finally {
      report.ended_at_ms = clock.nowMs();
      if (counters.state === 'recovering') this.d.setState('running');
    }
  }

  /**
   * The change log dropped entries this route had not shipped: ship every
   * version newer than the last one it shipped by a scan, then go on reading
   * the log from where it resumes, committed (the scan covered what lies before).
   */
  async overflowed(cursor: ChangeCursor, resume: { resumeFromLut: HlcTimestamp; resumeSeq: number }, shipped: ShippedPosition): Promise<void> {
    await this.d.settle();
    this.d.log.warn({ resumeFromLut: resume.resumeFromLut, resumeSeq: resume.resumeSeq }, 'change log overflowed this route; recovering by a scan');
    const maxLut = await this.recover(resume.resumeFromLut, 'overflow');
    await cursor.seek(resume.resumeSeq);
    await cursor.commit(resume.resumeSeq, Math.max(maxLut, resume.resumeFromLut));
    shipped.advance(resume.resumeSeq);
  }
}
