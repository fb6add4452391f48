/**
 * The replication pipeline (xdr/replication) as the ReplicationPort the route
 * manager drives: one Replication per gateway, created from the region's config.
 */
import path from 'node:path';
import { Replication, type ReplicationOptions } from './replication/index.js';
import type { ReplicationContext } from './gateway.js';
import type { ReplicationPort } from './routes/index.js';

/** The pipeline's options from a region's config (also what bench:xdr-lag builds its regions with). */
export function replicationOptions(ctx: ReplicationContext): ReplicationOptions {
  const r = ctx.config.replication;
  return {
    region: ctx.config.region,
    regions: ctx.config.regions,
    engine: ctx.engine,
    logger: ctx.logger,
    maxClockOffsetMs: ctx.config.maxClockOffsetMs,
    producerThreads: r.producerThreads,
    producerInFlightBatchesMax: r.producerInFlightBatches,
    producerInFlightBytesMax: r.producerInFlightBytes,
    receivePartitionsAtOnce: r.receivePartitionsAtOnce,
    receiver: { applyConcurrencyMax: r.applyWindow },
    // Custom resolver paths in a config file are relative to that file.
    resolverBaseDir: path.dirname(ctx.config.origin.file),
  };
}

export async function createReplication(ctx: ReplicationContext): Promise<ReplicationPort> {
  return new Replication(replicationOptions(ctx));
}
