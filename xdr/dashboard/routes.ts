/**
 * /dashboard: the page and its assets, plus the JSON and live (server-sent
 * events) endpoints it draws from. History comes from the telemetry streams of
 * every region in Redis (this gateway's own memory while Redis is away); live
 * samples from the telemetry bus.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TelemetrySample, TelemetryView } from '../telemetry/index.js';
import { loadAssets, type Asset } from './assets.js';
import { DashboardError } from './errors.js';
import { httpStatusOf } from '../../errors/index.js';
import { ROUTE_STATE_SEVERITY } from '../route-health/index.js';
import { ALERT_DEFAULTS, type AlertThresholds } from '../alerts/index.js';

export interface DashboardOptions {
  /** Default history window of the page. @default 900000 (15 min) */
  historyWindowMs?: number;
  /** Largest number of samples per region one history request returns. @default 3600 */
  historySamplesMax?: number;
  /** Comment line sent on idle event streams so proxies keep them open. @default 15000 */
  keepAliveMs?: number;
  /** @default Date.now */
  nowMs?: () => number;
  /** The deployment's alert thresholds (config `alerts:`): the console marks figures past them. @default ALERT_DEFAULTS */
  alertThresholds?: ConsoleThresholds;
}

/** What the console judges figures by: the alert thresholds (max-clock-offset is not shown on the page). */
export type ConsoleThresholds = Omit<AlertThresholds, 'maxClockOffsetMs'>;

const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: { type: 'string', pattern: '^[0-9]{1,15}$' },
    max: { type: 'string', pattern: '^[0-9]{1,7}$' },
    resolution: { type: 'string', enum: ['second', 'minute'] },
  },
} as const;

export function registerDashboardRoutes(app: FastifyInstance, telemetry: TelemetryView, options: DashboardOptions = {}): void {
  // A packaging mistake must cost the page, not the gateway: replication and the API start anyway.
  let assets: Map<string, Asset>;
  let assetsError: DashboardError | undefined;
  try {
    assets = loadAssets();
  } catch (err) {
    assets = new Map();
    assetsError = new DashboardError('XDR_ERR_DASHBOARD_ASSETS_MISSING', `the dashboard cannot be served: ${(err as Error).message}; install xdrgate with its xdr/dashboard/static folder and production dependencies`, {}, { cause: err });
    app.log.error({ err: assetsError }, 'dashboard assets missing; /dashboard answers 503');
  }
  const nowMs = options.nowMs ?? Date.now;
  const windowMs = options.historyWindowMs ?? 15 * 60_000;
  const samplesMax = options.historySamplesMax ?? 3600;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const thresholds = consoleThresholds(options.alertThresholds ?? ALERT_DEFAULTS);

  const sendAsset = (name: string, reply: FastifyReply) => {
    const a = assets.get(name);
    if (a === undefined) {
      const err = assetsError ?? new DashboardError('XDR_ERR_DASHBOARD_ASSETS_MISSING', `dashboard file ${name} is missing`);
      return reply.code(httpStatusOf(err.code, err.retriable)).send({ code: err.code, message: err.message });
    }
    return reply.header('content-type', a.type).header('cache-control', 'no-cache').send(a.body);
  };
  app.get('/dashboard', { schema: { hide: true } }, (_req, reply) => sendAsset('index.html', reply));
  app.get('/dashboard/', { schema: { hide: true } }, (_req, reply) => sendAsset('index.html', reply));
  for (const name of assets.keys()) {
    if (name !== 'index.html') app.get(`/dashboard/${name}`, { schema: { hide: true } }, (_req, reply) => sendAsset(name, reply));
  }

  app.get<{ Querystring: { since?: string; max?: string; resolution?: 'second' | 'minute' } }>('/dashboard/api/history', { schema: { hide: true, querystring: querySchema } }, async (req) => {
    const now = nowMs();
    const since = req.query.since !== undefined ? Number(req.query.since) : now - windowMs;
    const max = Math.min(samplesMax, req.query.max !== undefined ? Math.max(1, Number(req.query.max)) : samplesMax);
    const h = await telemetry.history(since, max, req.query.resolution ?? 'second');
    // The page colours route states by this table: one definition of the states, here (xdr/route-health);
    // and marks figures past this deployment's alert thresholds, not defaults of its own.
    return { region: telemetry.region, regions: telemetry.regions, now_ms: now, from: h.from, telemetry: telemetry.status(), route_states: ROUTE_STATE_SEVERITY, alert_thresholds: thresholds, samples: h.regions };
  });

  /** The newest sample of each region, at most `staleMs` old (what `xdrgate lag` shows). */
  app.get('/dashboard/api/now', { schema: { hide: true } }, async () => {
    const now = nowMs();
    const h = await telemetry.history(now - 15_000, 1);
    const latest: Record<string, TelemetrySample | null> = {};
    for (const r of telemetry.regions) latest[r] = h.regions[r]?.at(-1) ?? null;
    return { region: telemetry.region, regions: telemetry.regions, now_ms: now, from: h.from, telemetry: telemetry.status(), latest };
  });

  // Open event streams, ended before the server closes: close() waits for open connections.
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const close of [...streams]) close();
    done();
  });

  app.get('/dashboard/api/live', { schema: { hide: true } }, (req, reply) => {
    const write = (chunk: string) => {
      if (!reply.raw.writableEnded) reply.raw.write(chunk);
    };
    const unsubscribe = telemetry.subscribe((sample) => write(`event: sample\ndata: ${JSON.stringify(sample)}\n\n`));
    if (unsubscribe === null) {
      const err = new DashboardError('XDR_ERR_DASHBOARD_BUSY', 'too many live dashboard streams; close some dashboards or poll /dashboard/api/history');
      return reply.code(httpStatusOf(err.code, err.retriable)).send({ code: err.code, message: err.message });
    }
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    write(`retry: 2000\n\n`);
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
    keepAlive.unref();
    const close = () => {
      streams.delete(close);
      clearInterval(keepAlive);
      unsubscribe();
      if (!reply.raw.writableEnded) reply.raw.end();
    };
    streams.add(close);
    req.raw.once('close', close);
    return reply;
  });
}

/** The thresholds the page reads, with units in their names (a copy: the page never sees more than these). */
function consoleThresholds(t: ConsoleThresholds): ConsoleThresholds {
  return {
    xdrLagMs: t.xdrLagMs,
    inQueueGrowingMs: t.inQueueGrowingMs,
    heartbeatsMissed: t.heartbeatsMissed,
    heartbeatIntervalMs: t.heartbeatIntervalMs,
    deadLettersWindowMs: t.deadLettersWindowMs,
    readP99Ms: t.readP99Ms,
    writeP99Ms: t.writeP99Ms,
    memoryUsedPct: t.memoryUsedPct,
    storageUsedPct: t.storageUsedPct,
    clockOffsetPct: t.clockOffsetPct,
    disabled: [...t.disabled],
  };
}
