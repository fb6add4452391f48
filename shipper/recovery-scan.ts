/**
 * Overflow recovery and rewind. With no change events to go by (the change log
 * dropped them, or an operator asked to re-ship), scan every version newer than
 * a lut and ship it through the route's sender, one bounded batch at a time.
 * The route shipper settles its in-flight batch before and moves the cursor after.
 */
import type { Logger } from 'pino';
import type { EngineApi, HlcTimestamp } from '../engine/index.js';
import { ShipError } from './errors.js';
import { holdsCounterState } from '../record/index.js';
import { admitsSet, mayMerge } from './filter.js';
import type { ResolvedShipperOptions } from './options.js';
import { addVersion, emptyPrepared, type PrepareContext } from './prepare.js';
import type { RouteSpec } from './route.js';
import type { RouteSender } from './route-sender.js';

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

export class RecoveryScan {
  constructor(private readonly o: RecoveryScanOptions) {}

  /**
   * Scans versions newer than `sinceLut` and ships them; with `includeOrigin`
   * (a rewind that asked for it) also those that originated at the destination.
   * Returns the max lut scanned.
   */
  async ship(sinceLut: HlcTimestamp, why: 'overflow' | 'rewind', includeOrigin = false): Promise<number> {
    const { engine, sender, opts } = this.o;
    const route = this.o.route();
    const merging = mayMerge(route);
    let prepared = emptyPrepared();
    let scanned = 0;
    let maxLut = 0;
    for await (const version of engine.scanVersionsSince(route.namespace, sinceLut)) {
      if (this.o.isStopping()) throw new ShipError('SHIP_ERR_STOPPED', `route ${this.o.route().name} stopped during ${why} recovery`);
      scanned++;
      if (version.lut > maxLut) maxLut = version.lut;
      if (admitsSet(this.o.route(), version.set)) {
        const ctx = this.o.prepareContext();
        ctx.includeOrigin = includeOrigin;
        // Without change events the scan cannot tell local bins inside a merged
        // version; under merging resolvers it ships them all (the destination drops identical ones),
        // and so under lww and generation for records with counter state (local increments may be inside).
        addVersion(ctx, prepared, version, merging || version.region === ctx.regions.sourceId || holdsCounterState(version));
      } else prepared.filteredOut++;
      if (prepared.messages.length >= opts.batchRecordsMax || prepared.bytes >= opts.batchBytesMax) {
        await sender.ship(prepared);
        prepared = emptyPrepared();
      }
    }
    await sender.ship(prepared);
    this.o.log.info({ why, sinceLut, scanned, ...(includeOrigin ? { includeOrigin } : {}) }, 'recovery scan shipped');
    return maxLut;
  }
}
