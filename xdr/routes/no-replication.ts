/**
 * A ReplicationPort that replicates nothing: for a single-region gateway
 * (`xdrgate serve --standalone`) and the HTTP benchmark, where only the API and
 * the engine are of interest. Routes are still validated, persisted and listed.
 */
import type { ReshipResult } from '../../shipper/index.js';
import { XdrError } from '../errors.js';
import type { ReplicationPort } from './replication-port.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

export class NoReplication implements ReplicationPort {
  private readonly routes = new Map<string, { spec: RouteSpec; paused: boolean }>();

  async upsertRoute(spec: RouteSpec, options: { paused: boolean }): Promise<void> {
    this.routes.set(spec.name, { spec, paused: options.paused });
  }
  async removeRoute(name: string): Promise<void> {
    this.routes.delete(name);
  }
  async pauseRoute(name: string): Promise<void> {
    const r = this.routes.get(name);
    if (r) r.paused = true;
  }
  async resumeRoute(name: string): Promise<void> {
    const r = this.routes.get(name);
    if (r) r.paused = false;
  }
  async rewindRoute(): Promise<void> {}
  /** Nothing ships here, so a `shipped` namespace's writes are refused before they are applied. */
  shippingRoutes(): string[] {
    return [];
  }
  async whenShipped(): Promise<void> {}
  async reshipRoute(name: string): Promise<ReshipResult> {
    throw new XdrError('XDR_ERR_ROUTE_INVALID', `route '${name}': this gateway runs without replication (standalone) and ships nothing`, { route: name });
  }
  lag(): unknown {
    return [];
  }
  stats(): unknown {
    return { mode: 'standalone (no replication)', routes: [...this.routes.keys()] };
  }
  async stop(): Promise<void> {}
}
