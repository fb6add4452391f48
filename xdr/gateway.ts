/**
 * The gateway process of one region: lock the data-dir, open the engine, bind
 * HTTP (not ready yet), start the replication pipeline and the routes, then
 * serve. Shutdown (SIGTERM/SIGINT) runs in the reverse order: stop accepting
 * requests (in-flight ones finish), stop route changes, stop replication
 * (flush in-flight batches, commit cursors and consumer offsets), close the
 * engine (flush write buffers, save the index), release the data-dir, exit 0.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Engine, type EngineApi, type EngineOpsApi, type StartReport } from '../engine/index.js';
import type { GatewayConfig } from './config/index.js';
import { directIoConfigError, engineOptions } from './engine-options.js';
import { buildHttpServer, peerConflictReaders, registerConflictsRoute, type HttpCounters, type HttpDeps, type HttpLatency, type HttpLatencyRow, type Readiness } from './http/index.js';
import { RedisRouteCatalog, RouteManager, type ReplicationPort, type RouteCatalog } from './routes/index.js';
import { RouteHealthService, healthRows, lagWithHealth, pipelineFigures } from './route-health/index.js';
import { createObservability, type Observability } from './dashboard/index.js';
import { enginePartitionSource, registerPartitionRoutes } from './verify/index.js';
import { acknowledgingEngine, ShippedAcks, type ShippingPort } from './durability/index.js';
import { AntiEntropy, RestartRepair, startReports } from './anti-entropy/index.js';
import { replicationFigures } from './metrics/index.js';
import { acquireDirLock, addressInUseError, type DirLock } from './process/index.js';
import { XdrError } from './errors.js';
import { AerospikeService, ServiceSecurity } from './aerospike/index.js';

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
  try {
    return (await Engine.open({ ...engineOptions(config), logger })) as unknown as GatewayEngine;
  } catch (err) {
    throw directIoConfigError(err, config);
  }
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

/** Parts the HTTP layer reaches only once the start is complete (requests before that get 503). */
interface LateParts {
  replication?: ReplicationPort;
  antiEntropy?: AntiEntropy | null;
  routes?: RouteManager;
  gateway?: Gateway;
  service?: AerospikeService;
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
    private readonly lock: DirLock,
    readonly observability: Observability | null = null,
    readonly antiEntropy: AntiEntropy | null = null,
    readonly restartRepair: RestartRepair | null = null,
    private readonly health: RouteHealthService | null = null,
    /** The Aerospike client-protocol port, when `service` is configured. */
    readonly service: AerospikeService | null = null,
  ) {}

  /**
   * Starts in the order that keeps a second gateway from doing harm: lock the
   * data-dir before opening anything in it; open the engine (local files
   * only); bind the HTTP listener (readiness 503 "starting") before any
   * consumer group is joined, shipper started or Redis written, so a taken
   * address fails the start with no Kafka or Redis side effect; then
   * replication, the route catalog and routes, anti-entropy, and telemetry.
   */
  static async start(config: GatewayConfig, logger: Logger, parts: GatewayParts): Promise<Gateway> {
    const log = logger.child({ module: 'gateway', region: config.region.name });
    log.info({ config: config.origin.file, envOverrides: config.origin.envOverrides, dataDir: config.dataDir, aerospikeConf: config.origin.aerospikeConf }, 'starting');
    // What an aerospike.conf held besides its namespaces is said once, not silently dropped.
    if (config.origin.aerospikeConf && config.origin.aerospikeConf.notRead.length > 0) {
      log.warn({ aerospikeConf: config.origin.aerospikeConf.file, notRead: config.origin.aerospikeConf.notRead }, 'stanzas of the aerospike.conf (namespaces-from) other than namespaces are not read');
    }
    const lock = lockDataDir(config, log);
    const cleanup: Array<() => Promise<void>> = [async () => lock.release()];
    try {
      const engine = await (parts.openEngine ?? defaultEngine)(config, logger);
      cleanup.unshift(() => engine.close());
      const late: LateParts = {};
      let httpCounters: HttpCounters | undefined;
      let httpLatency: HttpLatency | undefined;
      const observability = parts.observability === false ? null : observabilityOf(config, engine, late, { counters: () => httpCounters, latency: () => httpLatency?.rows() }, logger);
      // One engine view for both client fronts: writes of `shipped` namespaces are acknowledged once in Kafka.
      const client = clientEngine(config, engine, late);
      // One set of users for both ports (docs/security.md): a session from either login works on the other.
      const users = usersOf(config, log);
      const { app, counters, latency } = await buildHttpServer(httpDeps(config, client, late, logger), {
        ...(config.authToken ? { authToken: config.authToken } : {}),
        ...(users ? { users } : {}),
        bodyLimitBytes: config.bodyLimitBytes,
        accepting: () => late.gateway !== undefined,
        routes: [
          ...(observability ? [(a: FastifyInstance) => observability.registerRoutes(a)] : []),
          // GET /v1/admin/partitions… for `xdrgate verify` (the real engine only; fakes have no partitions).
          ...partitionRoutes(config.region.name, engine),
          (a: FastifyInstance) =>
            registerConflictsRoute(a, {
              region: config.region.name,
              regionNames: new Map(config.regions.map((r) => [r.id, r.name])),
              read: (limit, route) => late.replication?.conflicts?.(limit, route),
              peers: peerConflictReaders(config),
            }),
        ],
      });
      httpCounters = counters;
      httpLatency = latency;
      cleanup.unshift(() => app.close());
      const address = await listen(app, config);
      // Bound now for the same reason as HTTP; connections before the start completes are closed at accept.
      const service = config.service === undefined ? null : await startService(config, client, () => late.gateway !== undefined, users, logger);
      if (service) {
        late.service = service;
        cleanup.unshift(() => service.stop());
      }
      log.info({ url: address, service: serviceAddress(service) }, 'listening (not ready yet); starting replication');

      const replication = await parts.createReplication({ config, engine, logger });
      late.replication = replication;
      cleanup.unshift(() => replication.stop());
      const catalog = parts.catalog === undefined ? await defaultCatalog(config, logger) : parts.catalog;
      if (catalog) cleanup.unshift(() => catalog.close());
      const health = new RouteHealthService({ region: config.region.name, namespaces: config.namespaces.map((n) => n.name), board: catalog, figures: () => pipelineFigures(replication.stats()), logger });
      const routes = new RouteManager({
        region: config.region.name,
        regions: config.regions.map((r) => r.name),
        namespaces: config.namespaces.map((n) => n.name),
        configRoutes: config.routes,
        dataDir: config.dataDir,
        catalog,
        replication,
        logger,
        health,
      });
      await routes.start();
      late.routes = routes;
      cleanup.unshift(() => routes.stop());
      // Reports are advisory like the rest of Redis: publishing starts without waiting for it.
      health.start();
      cleanup.unshift(() => health.stop());
      const antiEntropy = createAntiEntropy(config, engine, routes, replication, logger);
      late.antiEntropy = antiEntropy;
      if (antiEntropy) cleanup.unshift(() => antiEntropy.stop());
      // After an unclean stop: ask the peers for what the engine could not recover, and compare soon.
      const restartRepair = createRestartRepair(config, startReports(engine), routes, logger);
      if (restartRepair) {
        cleanup.unshift(() => restartRepair.stop());
        for (const ns of restartRepair.uncleanNamespaces()) antiEntropy?.markUncleanStart(ns);
      }
      if (observability) cleanup.unshift(() => observability.stop());
      const gateway = new Gateway(config, address, app, counters, engine, replication, routes, catalog, log, lock, observability, antiEntropy, restartRepair, health, service);
      late.gateway = gateway;
      // Telemetry is advisory: it starts without waiting for Redis and never stops replication.
      observability?.start();
      antiEntropy?.start();
      restartRepair?.start();
      log.info({ url: address, docs: `${address}/docs`, dashboard: `${address}/dashboard`, metrics: `${address}/metrics`, service: serviceAddress(service) }, 'gateway ready');
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
      ...(this.service === null ? {} : { service: this.service.stats.snapshot() }),
      namespaces,
      // The seed's figures per namespace with device rates and recent latency (what `xdrgate stats` and `latencies` print).
      ...(this.observability?.source.health ? { health: this.observability.source.health() } : {}),
      routes: this.routes.list().map((r) => ({ name: r.spec.name, role: r.role, state: r.state, reason: r.reason })),
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
    // Both client fronts stop taking requests first; requests in flight are answered.
    if (this.service) await step('service', () => this.service!.stop());
    await step('http', () => this.app.close());
    if (this.observability) await step('telemetry', () => this.observability!.stop());
    if (this.health) await step('route health', () => this.health!.stop());
    if (this.antiEntropy) await step('anti-entropy', () => this.antiEntropy!.stop());
    if (this.restartRepair) await step('restart-repair', () => this.restartRepair!.stop());
    await step('routes', () => this.routes.stop());
    await step('replication', () => this.replication.stop());
    if (this.catalog) await step('catalog', () => this.catalog!.close());
    await step('engine', () => this.engine.close());
    // Last: the folder is free for the next owner only once every file in it is closed.
    this.lock.release();
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

/** Nothing in the data-dir is opened before this: a second gateway on it is refused having touched nothing. */
function lockDataDir(config: GatewayConfig, log: Logger): DirLock {
  return acquireDirLock(config.dataDir, {
    owner: `gateway ${config.region.name}`,
    advice: `This gateway did not start and touched nothing. If that process is the gateway you meant to run, use it; otherwise stop it, or give this one another data-dir (data-dir in ${config.origin.file}, or XDRGATE_DATA_DIR).`,
    logger: log,
  });
}

/** Metrics, telemetry and dashboard; created before the listener (their routes must exist), started once ready. */
function observabilityOf(config: GatewayConfig, engine: GatewayEngine, late: LateParts, http: { counters: () => HttpCounters | undefined; latency: () => HttpLatencyRow[] | undefined }, logger: Logger): Observability {
  return createObservability({
    region: config.region.name,
    regions: config.regions.map((r) => r.name),
    redisUrl: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
    engine,
    // Anti-entropy's figures travel with replication's (one StatsSource read per scrape).
    replication: { stats: () => (late.replication === undefined ? undefined : { ...(late.replication.stats() as object), antiEntropy: late.antiEntropy?.stats() ?? [] }) },
    routes: () => (late.routes === undefined ? [] : healthRows(late.routes.list())),
    http: http.counters,
    httpLatency: http.latency,
    service: () => late.service?.stats.snapshot(),
    logger,
    alerts: { ...config.alerts, maxClockOffsetMs: config.maxClockOffsetMs },
  });
}

/**
 * The engine client requests use. Client writes of `shipped` namespaces are
 * acknowledged once in Kafka (the receiver keeps the engine itself); the
 * replication they wait for starts after the listener is bound, hence `late`
 * (no client write reaches it before: a starting gateway answers them 503).
 */
function clientEngine(config: GatewayConfig, engine: GatewayEngine, late: LateParts): GatewayEngine {
  const shipped = config.namespaces.filter((n) => n.durability === 'shipped').map((n) => ({ name: n.name, ackTimeoutMs: n.shippedAckTimeoutMs }));
  if (shipped.length === 0) return engine;
  const shipping: ShippingPort = {
    shippingRoutes: (ns) => late.replication?.shippingRoutes(ns) ?? [],
    whenShipped: (ns, seq, signal) => {
      if (late.replication === undefined) throw new XdrError('XDR_ERR_NOT_READY', 'the gateway is starting; replication is not up yet');
      return late.replication.whenShipped(ns, seq, signal);
    },
  };
  return acknowledgingEngine(engine, new ShippedAcks(shipping, shipped));
}

/** What the HTTP layer uses; parts that exist only after the listener is bound are reached through `late`. */
function httpDeps(config: GatewayConfig, engine: GatewayEngine, late: LateParts, logger: Logger): HttpDeps {
  return {
    region: config.region,
    engine,
    get routes() {
      if (late.routes === undefined) throw new XdrError('XDR_ERR_NOT_READY', 'the gateway is starting; routes are not loaded yet');
      return late.routes;
    },
    namespaceLimit: (ns) => {
      const n = config.namespaces.find((x) => x.name === ns);
      return n ? { maxRecordSizeBytes: n.maxRecordSizeBytes } : undefined;
    },
    lag: () => ({ region: config.region.name, routes: lagWithHealth(late.replication?.lag() ?? [], late.routes?.list() ?? []) }),
    stats: () => late.gateway?.stats() ?? {},
    readiness: () => late.gateway?.readiness() ?? { ready: false, checks: { gateway: 'starting' } },
    logger,
  };
}

/** Binds the HTTP listener; a taken address becomes XDR_ERR_ADDRESS_IN_USE naming who has it. */
async function listen(app: FastifyInstance, config: GatewayConfig): Promise<string> {
  const { host, port } = config.listen;
  try {
    return await app.listen({ host, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw addressInUseError(
      `gateway ${config.region.name}`,
      host,
      port,
      `The gateway stopped before joining any consumer group or starting a shipper. Stop that process, or give this gateway another address (listen in ${config.origin.file}, or XDRGATE_LISTEN).`,
      err,
    );
  }
}

/** The service port; a taken address becomes XDR_ERR_ADDRESS_IN_USE like the HTTP one. */
/**
 * The users of service.users, loaded once (passwords bcrypt-hashed here,
 * about 70 ms each) for the service port and HTTP alike; null without them.
 */
function usersOf(config: GatewayConfig, log: Logger): ServiceSecurity | null {
  const s = config.service;
  if (s?.users === undefined) return null;
  if (!config.authToken && config.regions.some((r) => r.name !== config.region.name && r.gatewayUrl !== undefined)) {
    // Peer gateways call this one's HTTP API with the shared auth-token; with users and no token they would be refused.
    log.warn('service.users require credentials on HTTP too, and peer gateways authenticate with auth-token, which is not set: anti-entropy and restart repair calls from peers will be refused (set auth-token on every region)');
  }
  return new ServiceSecurity({ users: s.users, sessionTtlSec: s.sessionTtlSec });
}

async function startService(config: GatewayConfig, engine: GatewayEngine, accepting: () => boolean, users: ServiceSecurity | null, logger: Logger): Promise<AerospikeService> {
  const s = config.service!;
  try {
    return await AerospikeService.start({
      host: s.host,
      port: s.port,
      ...(s.accessAddress === undefined ? {} : { accessAddress: s.accessAddress }),
      region: config.region.name,
      dataDir: config.dataDir,
      engine,
      accepting,
      namespaceSettings: (ns) => {
        const n = config.namespaces.find((x) => x.name === ns);
        return n === undefined ? undefined : { defaultTtlSec: n.defaultTtlSec, nsupPeriodSec: n.nsupPeriodSec, storageEngine: n.storage.engine, maxRecordSizeBytes: n.maxRecordSizeBytes };
      },
      limits: { connectionsMax: s.connectionsMax, messageBytesMax: s.messageBytesMax, fieldsMax: s.fieldsMax, opsMax: s.opsMax, batchKeysMax: s.batchKeysMax, inFlightMax: s.inFlightMax },
      ...(users === null ? {} : { security: users }),
      sessionTtlSec: s.sessionTtlSec,
      logger,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw addressInUseError(
      `gateway ${config.region.name} (service port)`,
      s.host,
      s.port,
      `The gateway stopped before joining any consumer group or starting a shipper. Stop that process, or give the service port another address (service in ${config.origin.file}, or XDRGATE_SERVICE).`,
      err,
    );
  }
}

function serviceAddress(service: AerospikeService | null): string | null {
  return service === null ? null : `${service.address.host}:${service.address.port}`;
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
