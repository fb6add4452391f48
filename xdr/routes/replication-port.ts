/**
 * What the route manager needs from the replication pipeline (xdr/replication).
 * Kept as a port so route administration is tested without Kafka, and so the
 * pipeline's class can evolve behind one small adapter (xdr/gateway-replication.ts).
 */
import type { ConflictsSnapshot } from '../../receiver/index.js';
import type { Digest } from '../../record/index.js';
import type { ReshipResult, RewindOptions } from '../../shipper/index.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

export interface ReplicationPort {
  /**
   * Starts (or replaces) a route: this region ships it when it is the source and
   * applies it when it is the destination. A paused route keeps its cursor and
   * ships nothing until resumed.
   */
  upsertRoute(spec: RouteSpec, options: { paused: boolean }): Promise<void>;
  /** Stops a route. `forget` also drops its change-log cursor (the route was deleted, not just stopped). */
  removeRoute(name: string, options: { forget: boolean }): Promise<void>;
  pauseRoute(name: string): Promise<void>;
  resumeRoute(name: string): Promise<void>;
  /** Re-ship everything changed after `sinceMs` (unix ms); see RewindOptions. */
  rewindRoute(name: string, sinceMs: number, options?: RewindOptions): Promise<void>;
  /** Routes this region ships for namespace `ns` now (not paused): what `shipped` durability waits for. */
  shippingRoutes(ns: string): string[];
  /** Resolves once every route of `ns` that ships now has shipped every change up to `seq`. */
  whenShipped(ns: string, seq: number, signal: AbortSignal): Promise<void>;
  /**
   * Re-ships the current version of each digest on a route this region ships
   * (anti-entropy, verify --repair); resolves once Kafka acknowledged them.
   */
  reshipRoute(name: string, digests: readonly Digest[]): Promise<ReshipResult>;
  /** JSON-safe lag per route. */
  lag(): unknown;
  /** JSON-safe counters per route. */
  stats(): unknown;
  /** The newest conflicts this region resolved (of `route` when given); absent where nothing is received. */
  conflicts?(limit: number, route?: string): ConflictsSnapshot;
  /** Stops everything: flush in-flight batches, commit cursors and consumer offsets. */
  stop(): Promise<void>;
}
