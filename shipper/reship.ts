/**
 * Re-shipping given records: anti-entropy and `xdrgate verify --repair` found
 * that the destination holds another version of these digests (or none), so
 * the route sends the source's CURRENT version of each (tombstones included)
 * once more. Like a rewind with includeOrigin it also sends versions that
 * originated at the destination: a region that lost its own write gets it back,
 * and one that still has it drops the copy as identical, so nothing loops.
 * The route shipper runs it between batches, so per-record order holds.
 */
import type { Logger } from 'pino';
import type { EngineApi } from '../engine/index.js';
import type { Digest } from '../record/index.js';
import { ShipError } from './errors.js';
import { holdsCounterState } from '../record/index.js';
import { admitsSet, mayMerge } from './filter.js';
import type { ResolvedShipperOptions } from './options.js';
import { addVersion, emptyPrepared, type PrepareContext, type PreparedBatch } from './prepare.js';
import type { RouteSpec } from '../replication-protocol/index.js';
import type { RouteSender } from './route-sender.js';

/** What became of a re-ship request's digests. */
export interface ReshipResult {
  requested: number;
  /** Versions acknowledged by Kafka. */
  shipped: number;
  /** Digests this region holds no record (nor tombstone) for. */
  notFound: number;
  /** Versions the route does not ship (set filter; another region's version on a route that does not forward). */
  filteredOut: number;
  /** Versions too large or unencodable (logged with their digest). */
  abandoned: number;
}

export interface ReshipOptions {
  engine: Pick<EngineApi, 'readVersion'>;
  sender: RouteSender;
  route: () => RouteSpec;
  prepareContext: () => PrepareContext;
  opts: ResolvedShipperOptions;
  log: Logger;
  isStopping: () => boolean;
}

export class Reshipper {
  constructor(private readonly o: ReshipOptions) {}

  /** Reads the current version of each digest and ships it; resolves once Kafka acknowledged them all. */
  async ship(digests: readonly Digest[]): Promise<ReshipResult> {
    const { engine, opts } = this.o;
    const route = this.o.route();
    const merging = mayMerge(route);
    const result: ReshipResult = { requested: digests.length, shipped: 0, notFound: 0, filteredOut: 0, abandoned: 0 };
    let prepared = emptyPrepared();
    const flush = async (): Promise<void> => {
      await this.o.sender.ship(prepared);
      this.count(result, prepared);
      prepared = emptyPrepared();
    };
    for (let i = 0; i < digests.length; i += opts.readConcurrencyMax) {
      if (this.o.isStopping()) throw new ShipError('SHIP_ERR_STOPPED', `route ${route.name} stopped during a re-ship`);
      const slice = digests.slice(i, i + opts.readConcurrencyMax);
      const versions = await Promise.all(slice.map((d) => engine.readVersion(route.namespace, d)));
      const ctx = this.o.prepareContext();
      ctx.includeOrigin = true;
      for (const version of versions) {
        if (version !== null && !admitsSet(route, version.set)) {
          prepared.filteredOut++;
          continue;
        }
        // Without change events a merged version's local bins cannot be told
        // apart; under merging resolvers the whole version goes (as in a rewind),
        // and so under lww and generation for a record with counter state.
        addVersion(ctx, prepared, version, version !== null && (merging || version.region === ctx.regions.sourceId || holdsCounterState(version)));
      }
      if (prepared.messages.length >= opts.batchRecordsMax || prepared.bytes >= opts.batchBytesMax) await flush();
    }
    await flush();
    return result;
  }

  private count(result: ReshipResult, p: PreparedBatch): void {
    result.shipped += p.messages.length;
    result.notFound += p.notFound;
    result.filteredOut += p.filteredOut;
    result.abandoned += p.abandoned;
  }
}
