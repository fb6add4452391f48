/**
 * The replication pipeline (xdr/replication) as the ReplicationPort the route
 * manager drives: one Replication per gateway, created from the region's config.
 */
import path from 'node:path';
import { Replication } from './replication/index.js';
import type { ReplicationContext } from './gateway.js';
import type { ReplicationPort } from './routes/index.js';

export async function createReplication(ctx: ReplicationContext): Promise<ReplicationPort> {
  return new Replication({
    region: ctx.config.region,
    regions: ctx.config.regions,
    engine: ctx.engine,
    logger: ctx.logger,
    maxClockOffsetMs: ctx.config.maxClockOffsetMs,
    producerThreads: ctx.config.replication.producerThreads,
    producerInFlightBatchesMax: ctx.config.replication.producerInFlightBatches,
    producerInFlightBytesMax: ctx.config.replication.producerInFlightBytes,
    receivePartitionsAtOnce: ctx.config.replication.receivePartitionsAtOnce,
    receiver: { applyConcurrencyMax: ctx.config.replication.applyWindow },
    // Custom resolver paths in a config file are relative to that file.
    resolverBaseDir: path.dirname(ctx.config.origin.file),
  });
}
