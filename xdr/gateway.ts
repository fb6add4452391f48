/**
 * The gateway process of one region: open the engine, start the routes and the
 * replication pipeline, serve HTTP. Shutdown (SIGTERM/SIGINT) runs in the
 * reverse order: stop accepting requests (in-flight ones finish), stop route
 * changes, stop replication (flush in-flight batches, commit cursors and
 * consumer offsets), close the engine (flush write buffers, save the index),
 * exit 0.
 */
import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Engine, type EngineApi, type EngineOpsApi, type StartReport } from '../engine/index.js';
import type { GatewayConfig } from './config/index.js';
import { engineOptions } from './engine-options.js';
import { buildHttpServer, type HttpCounters, type HttpDeps, type Readiness } from './http/index.js';
import { RedisRouteCatalog, RouteManager, type ReplicationPort, type RouteCatalog } from './routes/index.js';
import { createObservability, type Observability } from './dashboard/index.js';
import { enginePartitionSource, registerPartitionRoutes } from './verify/index.js';
import { acknowledgingEngine, ShippedAcks } from './durability/index.js';
import { AntiEntropy, RestartRepair, startReports } from './anti-entropy/index.js';
import { replicationFigures } from './metrics/index.js';

export type GatewayEngine = EngineApi & EngineOpsApi & { stats?(ns: string): unknown };

export interface ReplicationContext {
  config: GatewayConfig;
  engine: GatewayEngine;
  logger: Logger;
}

export interface GatewayParts {
  /** @default Engine.open with the config's namespaces */
  openEngine?: (config: GatewayConfig, logger: Logger) => Promise<GatewayEngine>;
  createReplication: (ctx: ReplicationContext) => Promise<ReplicationPort>;
  /** @default a RedisRouteCatalog on config.redisUrl; null runs without a shared catalog */
  catalog?: RouteCatalog | null;
  /** /metrics, /dashboard and the Redis telemetry bus (docs/observability.md). @default true */
  observability?: boolean;
}

async function defaultEngine(config: GatewayConfig, logger: Logger): Promise<GatewayEngine> {
  return (await Engine.open({ ...engineOptions(config), logger })) as unknown as GatewayEngine;
}

async function defaultCatalog(config: GatewayConfig, logger: Logger): Promise<RouteCatalog> {
  const catalog = new RedisRouteCatalog(config.redisUrl, config.redisKeyPrefix, logger);
  try {
    await catalog.connect();
  } catch (err) {
    // Routes this region owns still run; destinations learn new routes once Redis answers.
    logger.warn({ err, redis: config.redisUrl }, 'Redis not reachable; the route catalog will retry');
  }
  return catalog;
}

export class Gateway {
  private state: 'running' | 'stopping' | 'stopped' = 'running';
  private stopping: Promise<void> | undefined;
  private readonly startedAtMs = Date.now();

  private constructor(
    readonly config: GatewayConfig,
    readonly url: string,
    private readonly app: FastifyInstance,
    private readonly counters: HttpCounters,
    readonly engine: GatewayEngine,
    readonly replication: ReplicationPort,
    readonly routes: RouteManager,
    private readonly catalog: RouteCatalog | null,
    private readonly log: Logger,
    readonly observability: Observability | null = null,
    readonly antiEntropy: AntiEntropy | null = null,
    readonly restartRepair: RestartRepair | null = null,
  ) {}

  static async start(config: GatewayConfig, logger: Logger, parts: GatewayParts): Promise<Gateway> {
    const log = logger.child({ module: 'gateway', region: config.region.name });
    log.info({ config: config.origin.file, envOverrides: config.origin.envOverrides, dataDir: config.dataDir }, 'starting');
    await mkdir(config.dataDir, { recursive: true });
    const engine = await (parts.openEngine ?? defaultEngine)(config, logger);
    const cleanup: Array<() => Promise<void>> = [() => engine.close()];
    try {
      const replication = await parts.createReplication({ config, engine, logger });
      cleanup.unshift(() => replication.stop());
      const catalog = parts.catalog === undefined ? await defaultCatalog(config, logger) : parts.catalog;
      if (catalog) cleanup.unshift(() => catalog.close());
      const routes = new RouteManager({
        region: config.region.name,
        regions: config.regions.map((r) => r.name),
        namespaces: config.namespaces.map((n) => n.name),
        configRoutes: config.routes,
        dataDir: config.dataDir,
        catalog,
        replication,
        logger,
      });
      await routes.start();
      cleanup.unshift(() => routes.stop());
      const antiEntropy = createAntiEntropy(config, engine, routes, replication, logger);
      if (antiEntropy) cleanup.unshift(() => antiEntropy.stop());
      // After an unclean stop: ask the peers for what the engine could not recover, and compare soon.
      const restartRepair = createRestartRepair(config, startReports(engine), routes, logger);
      if (restartRepair) {
        cleanup.unshift(() => restartRepair.stop());
        for (const ns of restartRepair.uncleanNamespaces()) antiEntropy?.markUncleanStart(ns);
      }
      let gateway: Gateway | undefined;
      let httpCounters: HttpCounters | undefined;
      const observability =
        parts.observability === false
          ? null
          : createObservability({
              region: config.region.name,
              regions: config.regions.map((r) => r.name),
              redisUrl: config.redisUrl,
              keyPrefix: config.redisKeyPrefix,
              engine,
              // Anti-entropy's figures travel with replication's (one StatsSource read per scrape).
              replication: { stats: () => ({ ...(replication.stats() as object), antiEntropy: antiEntropy?.stats() ?? [] }) },
              http: () => httpCounters,
              logger,
            });
      if (observability) cleanup.unshift(() => observability.stop());
      // Client writes of `shipped` namespaces are acknowledged once in Kafka; the receiver keeps the engine itself.
      const shipped = config.namespaces.filter((n) => n.durability === 'shipped').map((n) => ({ name: n.name, ackTimeoutMs: n.shippedAckTimeoutMs }));
      const clientEngine = shipped.length > 0 ? acknowledgingEngine(engine, new ShippedAcks(replication, shipped)) : engine;
      const deps: HttpDeps = {
        region: config.region,
        engine: clientEngine,
        routes,
        namespaceLimit: (ns) => {
          const n = config.namespaces.find((x) => x.name === ns);
          return n ? { maxRecordSizeBytes: n.maxRecordSizeBytes } : undefined;
        },
        lag: () => ({ region: config.region.name, routes: replication.lag() }),
        stats: () => gateway?.stats() ?? {},
        readiness: () => gateway?.readiness() ?? { ready: false, checks: { gateway: 'starting' } },
        logger,
      };
      const { app, counters } = await buildHttpServer(deps, {
        ...(config.authToken ? { authToken: config.authToken } : {}),
        bodyLimitBytes: config.bodyLimitBytes,
        routes: [
          ...(observability ? [(a: FastifyInstance) => observability.registerRoutes(a)] : []),
          // GET /v1/admin/partitions… for `xdrgate verify` (the real engine only; fakes have no partitions).
          ...partitionRoutes(config.region.name, engine),
        ],
      });
      httpCounters = counters;
      const address = await app.listen({ host: config.listen.host, port: config.listen.port });
      gateway = new Gateway(config, address, app, counters, engine, replication, routes, catalog, log, observability, antiEntropy, restartRepair);
      // Telemetry is advisory: it starts without waiting for Redis and never stops replication.
      observability?.start();
      antiEntropy?.start();
      restartRepair?.start();
      log.info({ url: address, docs: `${address}/docs`, dashboard: `${address}/dashboard`, metrics: `${address}/metrics` }, 'gateway listening');
      return gateway;
    } catch (err) {
      for (const fn of cleanup) await fn().catch((e: unknown) => log.warn({ err: e }, 'cleanup after failed start'));
      throw err;
    }
  }

  readiness(): Readiness {
    const checks: Readiness['checks'] = {
      gateway: this.state === 'running' ? true : this.state,
      engine: true,
      routeCatalog: this.catalog === null || this.catalog.connected() ? true : 'Redis not reachable (new routes from other regions wait)',
    };
    // The catalog is advisory: a gateway without Redis still serves and replicates its routes.
    return { ready: this.state === 'running', checks };
  }

  stats(): Record<string, unknown> {
    const namespaces: Record<string, unknown> = {};
    for (const ns of this.engine.namespaces()) namespaces[ns] = this.engine.stats?.(ns);
    return {
      region: this.config.region,
      uptimeSec: Math.round((Date.now() - this.startedAtMs) / 1000),
      http: { ...this.counters },
      namespaces,
      routes: this.routes.list().map((r) => ({ name: r.spec.name, role: r.role, state: r.state })),
      replication: this.replication.stats(),
      antiEntropy: this.antiEntropy?.stats() ?? [],
      restartRepair: this.restartRepair?.stats() ?? [],
      config: this.config.origin,
    };
  }

  /** Idempotent; resolves when everything is closed. */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= this.doStop(reason);
    return this.stopping;
  }

  private async doStop(reason: string): Promise<void> {
    this.state = 'stopping';
    this.log.info({ reason }, 'stopping: no new requests; finishing in-flight ones');
    const step = async (name: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        this.log.error({ err, step: name }, 'shutdown step failed');
      }
    };
    await step('http', () => this.app.close());
    if (this.observability) await step('telemetry', () => this.observability!.stop());
    if (this.antiEntropy) await step('anti-entropy', () => this.antiEntropy!.stop());
    if (this.restartRepair) await step('restart-repair', () => this.restartRepair!.stop());
    await step('routes', () => this.routes.stop());
    await step('replication', () => this.replication.stop());
    if (this.catalog) await step('catalog', () => this.catalog!.close());
    await step('engine', () => this.engine.close());
    this.state = 'stopped';
    this.log.info('stopped');
  }
}

/**
 * SIGTERM/SIGINT → graceful stop → exit 0. A second SIGINT (Ctrl-C twice) exits
 * at once with 130; repeated SIGTERMs are ignored, because supervisors (and
 * `timeout`, which signals the whole group) may send more than one.
 */
/**
 * Installed before the gateway starts, so a signal during start-up (e.g. a slow
 * recovery) also ends in a clean stop once start finishes.
 */
export function exitOnSignals(starting: Promise<Gateway>, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      if (signal === 'SIGTERM') return;
      logger.warn({ signal }, 'second interrupt: exiting without finishing shutdown');
      process.exit(130);
    }
    signalled = true;
    logger.info({ signal }, 'signal received');
    starting.then((gateway) => gateway.stop(signal)).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Lag of a route end as anti-entropy's settle window needs it: ship lag here, recent p99 apply lag for routes to here. */
function routeLagMs(replication: ReplicationPort, route: string): number {
  const f = replicationFigures(replication.stats());
  const ship = f.ship.find((s) => s.route === route);
  if (ship) return ship.lag_ms;
  const recv = f.receive.find((r) => r.route === route);
  return recv ? recv.lag_recent.p99_ms : 0;
}

/** Anti-entropy over the real engine's partitions (fakes have none), unless the config turns it off. */
function createAntiEntropy(config: GatewayConfig, engine: GatewayEngine, routes: RouteManager, replication: ReplicationPort, logger: Logger): AntiEntropy | null {
  const source = enginePartitionSource(engine);
  if (!source || !config.antiEntropy.enabled) return null;
  return new AntiEntropy({
    region: config.region.name,
    regions: config.regions,
    config: config.antiEntropy,
    ...(config.authToken ? { authToken: config.authToken } : {}),
    source,
    routes,
    lagMs: (route) => routeLagMs(replication, route),
    logger,
  });
}

/** Peer rewinds for the namespaces the engine could not fully recover; null after a clean start. */
function createRestartRepair(config: GatewayConfig, reports: StartReport[], routes: RouteManager, logger: Logger): RestartRepair | null {
  if (!reports.some((r) => r.lost !== undefined)) return null;
  return new RestartRepair({
    region: config.region.name,
    regions: config.regions,
    ...(config.authToken ? { authToken: config.authToken } : {}),
    reports,
    routes: () => routes.list(),
    marginMs: config.antiEntropy.restartRewindMarginMs,
    peerTimeoutMs: config.antiEntropy.peerTimeoutMs,
    logger,
  });
}

function partitionRoutes(region: string, engine: GatewayEngine): Array<(app: FastifyInstance) => void> {
  const source = enginePartitionSource(engine);
  return source ? [(app) => registerPartitionRoutes(app, { region, source })] : [];
}
