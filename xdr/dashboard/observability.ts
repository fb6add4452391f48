/**
 * Everything a gateway shows about itself, composed once: the Prometheus
 * metrics, the telemetry bus and the dashboard, all reading the same live
 * stats. The gateway creates it, registers its routes on the HTTP server,
 * starts it after listening and stops it before replication.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import os from 'node:os';
import { createGatewayMetrics, healthReader, namespaceFigures, registerMetricsRoute, replicationFigures, type GatewayMetrics, type HttpFigures, type HttpLatencyFigures, type RouteHealthRow, type ServiceFigures, type StatsSource } from '../metrics/index.js';
import { Telemetry, type TelemetryOptions } from '../telemetry/index.js';
import { AlertEvaluator, registerAlertsRoute, type AlertThresholds } from '../alerts/index.js';
import { registerDashboardRoutes, type DashboardOptions } from './routes.js';

export interface ObservabilityOptions {
  region: string;
  /** Every region of the topology. */
  regions: readonly string[];
  redisUrl: string;
  /** @default 'xdrgate:' */
  keyPrefix?: string;
  engine: { namespaces(): string[]; stats?(ns: string): unknown };
  replication: { stats(): unknown };
  /** Each route's derived state (xdr/route-health); without it /metrics has no state series. */
  routes?: () => RouteHealthRow[];
  /** The HTTP server's counters (read at each scrape; undefined before the server exists). */
  http: () => HttpFigures | undefined;
  /** The HTTP server's latency per method and route (undefined before the server exists). */
  httpLatency?: () => HttpLatencyFigures[] | undefined;
  /** The Aerospike service port's counters (undefined when it is not served). */
  service?: () => ServiceFigures | undefined;
  logger: Logger;
  /** Sampling interval and retention of the telemetry bus. */
  telemetry?: Pick<TelemetryOptions, 'intervalMs' | 'streamLengthMax' | 'localHistoryMax' | 'listenersMax'>;
  dashboard?: DashboardOptions;
  /** Alert thresholds (config `alerts:` and max-clock-offset); without them the gateway evaluates no alerts. */
  alerts?: AlertThresholds;
  /** How often alerts are evaluated. @default 1000 */
  alertIntervalMs?: number;
  /** @default Date.now */
  nowMs?: () => number;
}

export interface Observability {
  readonly source: StatsSource;
  /** Null when no thresholds were given. */
  readonly alerts: AlertEvaluator | null;
  readonly metrics: GatewayMetrics;
  readonly telemetry: Telemetry;
  /** Adds GET /metrics and /dashboard (call before the server is ready). */
  registerRoutes(app: FastifyInstance): void;
  start(): void;
  stop(): Promise<void>;
}

const NO_HTTP: HttpFigures = { requests: 0, errors4xx: 0, errors5xx: 0 };

export function createObservability(o: ObservabilityOptions): Observability {
  const namespaces = () => namespaceFigures(o.engine);
  const source: StatsSource = {
    region: o.region,
    replication: () => replicationFigures(o.replication.stats()),
    ...(o.routes ? { routes: o.routes } : {}),
    namespaces,
    // One rate window for every reader: /metrics, telemetry and alerts show the same device rates.
    health: healthReader(namespaces, os.totalmem()),
    http: () => o.http() ?? NO_HTTP,
    httpLatency: () => o.httpLatency?.() ?? [],
    service: () => o.service?.(),
  };
  const nowMs = o.nowMs ?? Date.now;
  const alerts = o.alerts ? new AlertEvaluator(o.alerts) : null;
  const evaluate = () => {
    if (alerts === null) return;
    try {
      const r = source.replication();
      const rows = source.routes?.() ?? [];
      const stateOf = (role: 'source' | 'destination', route: string) => rows.find((x) => x.role === role && x.route === route)?.health.state;
      alerts.observe({
        nowMs: nowMs(),
        ship: r.ship.map((x) => ({ route: x.route, lag_ms: x.lag_ms, in_queue: x.in_queue, state: stateOf('source', x.route) ?? x.state })),
        receive: r.receive.map((x) => ({ route: x.route, last_seen_age_ms: x.last_seen_age_ms, dead_lettered: x.dead_lettered, ...(x.clock_offset_ms !== undefined ? { clock_offset_ms: x.clock_offset_ms } : {}), ...(stateOf('destination', x.route) ? { state: stateOf('destination', x.route)! } : {}) })),
        namespaces: source.health!(),
      });
    } catch (err) {
      // A part mid-restart; the next evaluation tries again.
      o.logger.debug({ err }, 'alerts not evaluated');
    }
  };
  if (alerts !== null) source.alerts = () => alerts.snapshot();
  let alertTimer: NodeJS.Timeout | undefined;
  const metrics = createGatewayMetrics(source);
  const telemetry = new Telemetry({
    redisUrl: o.redisUrl,
    ...(o.keyPrefix !== undefined ? { keyPrefix: o.keyPrefix } : {}),
    regions: o.regions,
    source,
    logger: o.logger,
    ...o.telemetry,
  });
  return {
    source,
    alerts,
    metrics,
    telemetry,
    registerRoutes(app) {
      registerMetricsRoute(app, metrics);
      registerDashboardRoutes(app, telemetry, o.alerts === undefined ? o.dashboard : { alertThresholds: o.alerts, ...o.dashboard });
      if (alerts !== null) registerAlertsRoute(app, o.region, () => alerts.snapshot());
    },
    start() {
      if (alerts !== null && alertTimer === undefined) {
        evaluate();
        alertTimer = setInterval(evaluate, o.alertIntervalMs ?? 1000);
        alertTimer.unref();
      }
      telemetry.start();
    },
    async stop() {
      if (alertTimer !== undefined) clearInterval(alertTimer);
      alertTimer = undefined;
      await telemetry.stop();
    },
  };
}
