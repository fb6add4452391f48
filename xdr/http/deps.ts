/**
 * What the HTTP layer needs from the gateway, as interfaces, so the API can be
 * tested with inject() against fakes and the gateway can wire the real parts.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { EngineApi, EngineOpsApi } from '../../engine/index.js';
import type { RouteAdmin } from '../routes/index.js';
import type { HttpUsers } from './auth.js';

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
  /** When set, requests other than the open paths (/healthz, /readyz, /docs, /metrics, /dashboard) may authenticate with `Authorization: Bearer <token>`. */
  authToken?: string;
  /**
   * The service port's users (service.users): requests may authenticate with
   * Basic user:password or a session from POST /v1/login. With either this or
   * authToken set, every request but the open paths must authenticate.
   */
  users?: HttpUsers;
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
