/**
 * Overflow recovery and rewind. With no change events to go by (the change log
 * dropped them, or an operator asked to re-ship), scan every version newer than
 * a lut and ship it through the route's sender, one bounded batch at a time.
 * The route shipper settles its in-flight batch before and moves the cursor after.
 *
 * A record that fails its checks (corrupted storage) is skipped, counted and
 * logged with its digest, and the scan goes on: an operator restoring a region
 * from this one wants every readable record, not the ones before the first bad
 * one. Its progress and outcome go into a ScanReport the route's stats show.
 */
import type { Logger } from 'pino';
import { digestHex, type EngineApi } from '../engine/index.js';
import { physicalMs, type HlcTimestamp } from '../record/index.js';
import { ShipError } from './errors.js';
import { holdsCounterState } from '../record/index.js';
import { admitsSet, mayMerge } from './filter.js';
import type { ResolvedShipperOptions } from './options.js';
import { addVersion, emptyPrepared, type PrepareContext, type PreparedBatch } from './prepare.js';
import type { RouteSpec } from '../replication-protocol/index.js';
import type { RouteSender } from './route-sender.js';
import { SCAN_UNREADABLE_DIGESTS_MAX, type ScanReport } from './stats.js';

export interface RecoveryScanOptions {
  engine: Pick<EngineApi, 'scanVersionsSince'>;
  sender: RouteSender;
  /** The route as it stands now (update() may replace it during a scan). */
  route: () => RouteSpec;
  /** A preparation context for the route as it stands now, with a fresh clock reading. */
  prepareContext: () => PrepareContext;
  opts: ResolvedShipperOptions;
  log: Logger;
  /** True once the route is stopping: the scan gives up with SHIP_ERR_STOPPED. */
  isStopping: () => boolean;
}

/** A fresh report for a scan starting now. */
export function startScanReport(why: ScanReport['why'], sinceLut: HlcTimestamp, includeOrigin: boolean, nowMs: number): ScanReport {
  return {
    why,
    status: 'running',
    include_origin: includeOrigin,
    since_ms: sinceLut > 0 ? physicalMs(sinceLut) : 0,
    started_at_ms: nowMs,
    ended_at_ms: null,
    total: null,
    scanned: 0,
    shipped: 0,
    filtered_out: 0,
    abandoned: 0,
    unreadable: 0,
    unreadable_digests: [],
    error: null,
    acknowledged_at_ms: null,
  };
}

export class RecoveryScan {
  constructor(private readonly o: RecoveryScanOptions) {}

  /**
   * Scans versions newer than `sinceLut` and ships them; with `includeOrigin`
   * (a rewind that asked for it) also those that originated at the destination.
   * Progress goes into `report` as it happens (the caller marks the end).
   * Returns the max lut scanned.
   */
  async ship(sinceLut: HlcTimestamp, report: ScanReport): Promise<number> {
    const { engine, opts, log } = this.o;
    const route = this.o.route();
    const merging = mayMerge(route);
    let prepared = emptyPrepared();
    let maxLut = 0;
    const scan = engine.scanVersionsSince(route.namespace, sinceLut, {
      onTotal: (records) => {
        report.total = records;
      },
      onUnreadable: (digest, err) => {
        report.unreadable++;
        const hex = digestHex(digest);
        if (report.unreadable_digests.length < SCAN_UNREADABLE_DIGESTS_MAX) report.unreadable_digests.push(hex);
        log.error({ err, digest: hex, why: report.why }, 'unreadable record skipped by the scan; it is not shipped (restore it from a peer region)');
      },
    });
    for await (const version of scan) {
      if (this.o.isStopping()) throw new ShipError('SHIP_ERR_STOPPED', `route ${this.o.route().name} stopped during ${report.why} recovery`);
      report.scanned++;
      if (version.lut > maxLut) maxLut = version.lut;
      if (admitsSet(this.o.route(), version.set)) {
        const ctx = this.o.prepareContext();
        ctx.includeOrigin = report.include_origin;
        // Without change events the scan cannot tell local bins inside a merged
        // version; under merging resolvers it ships them all (the destination drops identical ones),
        // and so under lww and generation for records with counter state (local increments may be inside).
        addVersion(ctx, prepared, version, merging || version.region === ctx.regions.sourceId || holdsCounterState(version));
      } else prepared.filteredOut++;
      if (prepared.messages.length >= opts.batchRecordsMax || prepared.bytes >= opts.batchBytesMax) {
        await this.send(prepared, report);
        prepared = emptyPrepared();
      }
    }
    await this.send(prepared, report);
    log.info({ why: report.why, sinceLut, total: report.total, scanned: report.scanned, shipped: report.shipped, unreadable: report.unreadable, ...(report.include_origin ? { includeOrigin: true } : {}) }, 'recovery scan shipped');
    return maxLut;
  }

  private async send(prepared: PreparedBatch, report: ScanReport): Promise<void> {
    await this.o.sender.ship(prepared);
    report.shipped += prepared.messages.length;
    report.filtered_out += prepared.filteredOut;
    report.abandoned += prepared.abandoned + prepared.notFound;
  }
}
