/**
 * What the HTTP layer needs from the gateway, as interfaces, so the API can be
 * tested with inject() against fakes and the gateway can wire the real parts.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { EngineApi, EngineOpsApi } from '../../engine/index.js';
import type { ErrorNote } from '../../errors/index.js';
import type { ReshipResult, RewindOptions } from '../../shipper/index.js';
import type { RouteHealth, RouteIntent } from '../route-health/index.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

/**
 * A route as the admin API shows it: its definition, what the operator asked,
 * and its health (state, reason, error, scan, destination; xdr/route-health).
 */
export interface RouteStatus extends RouteHealth {
  spec: RouteSpec;
  /** What the operator asked: running, paused or disabled (`state` says what happens). */
  intent: RouteIntent;
  /** What this region does for the route: ships it (source), applies it (destination), or neither. */
  role: 'source' | 'destination' | 'none';
  /** Unix ms of the last change to the route's definition or state. */
  updatedAtMs: number;
}

/** Live route administration (implemented by xdr/routes). Methods throw XdrError with XDR_ERR_ROUTE_* codes. */
export interface RouteAdmin {
  list(): RouteStatus[];
  get(name: string): RouteStatus | undefined;
  /**
   * Creates or replaces a route whose source is this region. `input` is the
   * camelCase RouteSpec without its name. `warnings`: why the destination will
   * not apply it, as far as it said (the route is saved anyway).
   */
  put(name: string, input: Record<string, unknown>): Promise<{ route: RouteStatus; created: boolean; warnings: ErrorNote[] }>;
  remove(name: string): Promise<void>;
  pause(name: string): Promise<RouteStatus>;
  resume(name: string): Promise<RouteStatus>;
  /** Re-ship every record changed after `sinceMs` (unix ms); see RewindOptions. */
  rewind(name: string, sinceMs: number, options?: RewindOptions): Promise<void>;
  /** Re-ship the current version of these records (hex digests) of namespace `ns` on a route this region ships. */
  reship(name: string, ns: string, digests: readonly string[]): Promise<ReshipResult>;
}

export interface Readiness {
  ready: boolean;
  /** Each check by name: true when fine, a reason otherwise. */
  checks: Record<string, true | string>;
}

export interface HttpDeps {
  region: { name: string; id: number };
  engine: EngineApi & EngineOpsApi;
  routes: RouteAdmin;
  /** Per-namespace request limits. */
  namespaceLimit(ns: string): { maxRecordSizeBytes: number } | undefined;
  /** Replication lag per route (JSON-safe). */
  lag(): unknown;
  /** Everything worth a dashboard (JSON-safe). */
  stats(): unknown;
  readiness(): Readiness;
  logger: Logger;
}

export interface HttpOptions {
  /** When set, requests other than /healthz, /readyz and /docs need `Authorization: Bearer <token>`. */
  authToken?: string;
  /** @default 8 MiB */
  bodyLimitBytes?: number;
  /** Largest batch get. @default 5000 */
  batchKeysMax?: number;
  /** Serve the OpenAPI UI at /docs. @default true */
  docs?: boolean;
  /**
   * While this returns false (the gateway is still starting) every request but
   * /healthz, /readyz and /docs is answered 503 XDR_ERR_NOT_READY. @default always accepting
   */
  accepting?: () => boolean;
  /** More routes registered before the server is ready (/metrics and /dashboard from xdr/dashboard). @default [] */
  routes?: Array<(app: FastifyInstance) => void>;
}
