/**
 * Adapter from the replication pipeline (xdr/replication) to the ReplicationPort
 * the route manager drives. Interim: until xdr/replication lands, gateways run
 * without replication and say so loudly.
 */
import { NoReplication, type ReplicationPort } from './routes/index.js';
import type { ReplicationContext } from './gateway.js';

export async function createReplication(ctx: ReplicationContext): Promise<ReplicationPort> {
  ctx.logger.warn({ region: ctx.config.region.name }, 'replication pipeline not available in this build; serving without replication');
  return new NoReplication();
}
