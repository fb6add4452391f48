/**
 * The service port: a TCP server speaking Aerospike's client protocol, so
 * applications written for Aerospike point their client at the gateway and
 * their writes replicate across regions. At most max-connections clients at
 * once (more are closed at accept). Stop: no new connections, no new
 * requests; requests in flight are answered (up to a grace period), then the
 * remaining sockets are closed.
 */
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { ClusterView, deriveNodeId } from './cluster.js';
import { ServiceConnection, type ConnectionServices } from './connection.js';
import type { CommandContext, ServiceEngine, ServiceLimits } from './context.js';
import { InfoAdmin } from './info-admin.js';
import { InfoService, type NamespaceSettings } from './info-service.js';
import { JobRegistry } from './jobs.js';
import { ServiceSecurity, type ServiceUser } from './security.js';
import { ServiceStats } from './stats.js';
import { UdfRegistry } from './udf-registry.js';

export const SERVICE_LIMIT_DEFAULTS: ServiceLimits = {
  messageBytesMax: 128 * 1024 * 1024,
  fieldsMax: 64,
  opsMax: 4096,
  batchKeysMax: 5000,
  connectionsMax: 1024,
  inFlightMax: 256,
};

/** How long stop() waits for requests in flight before it closes their connections. */
const STOP_GRACE_MS = 5000;

export interface ServiceOptions {
  host: string;
  port: number;
  /** Address clients are told to use (`host:port`); defaults to host:port unless bound to every address. */
  accessAddress?: string;
  region: string;
  dataDir: string;
  engine: ServiceEngine;
  namespaceSettings(ns: string): NamespaceSettings | undefined;
  limits?: Partial<ServiceLimits>;
  logger: Logger;
  /** @default Date.now */
  nowMs?: () => number;
  /** False while the gateway is starting: connections are closed at accept (clients retry their seeds). @default always */
  accepting?: () => boolean;
  /** Clients must log in as one of these; absent: no login (a client's login is answered "security not enabled"). */
  users?: readonly ServiceUser[];
  /** The users already loaded (the gateway shares them with HTTP, so a session works on both ports); takes the place of `users`. */
  security?: ServiceSecurity;
  /** Session lifetime of a login, seconds. @default 86400 */
  sessionTtlSec?: number;
}

export class AerospikeService {
  readonly stats = new ServiceStats();
  private readonly connections = new Set<ServiceConnection>();
  private readonly sockets = new Set<net.Socket>();
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly server: net.Server,
    readonly cluster: ClusterView,
    private readonly jobs: JobRegistry,
    private readonly log: Logger,
    readonly address: { host: string; port: number },
  ) {}

  static async start(o: ServiceOptions): Promise<AerospikeService> {
    const log = o.logger.child({ module: 'aerospike-service', region: o.region });
    const limits: ServiceLimits = { ...SERVICE_LIMIT_DEFAULTS, ...(o.limits ?? {}) };
    // Hashing the configured passwords (bcrypt) happens here, once, before the port is bound.
    const security = o.security ?? (o.users === undefined ? undefined : new ServiceSecurity({ users: o.users, sessionTtlSec: o.sessionTtlSec ?? 86_400, ...(o.nowMs ? { nowMs: o.nowMs } : {}) }));
    const udfs = await UdfRegistry.open(path.join(o.dataDir, 'udf'));
    const jobs = new JobRegistry(log);
    const server = net.createServer({ noDelay: true, keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: o.host, port: o.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as net.AddressInfo;
    const everywhere = o.host === '0.0.0.0' || o.host === '::';
    const serviceAddress = o.accessAddress ?? (everywhere ? '' : `${o.host}:${bound.port}`);
    const cluster = new ClusterView({
      self: { nodeId: deriveNodeId(o.region, o.dataDir), address: serviceAddress },
      namespaces: o.engine.namespaces(),
      servicePort: bound.port,
    });
    const service = new AerospikeService(server, cluster, jobs, log, { host: o.host, port: bound.port });
    const ctx: CommandContext = { engine: o.engine, stats: service.stats, limits, logger: log, nowMs: o.nowMs ?? Date.now };
    const admin = new InfoAdmin({ engine: o.engine, udfs, jobs, limits });
    const info = new InfoService({ cluster, engine: o.engine, stats: service.stats, admin, serviceAddress, namespaceSettings: o.namespaceSettings, startedMs: Date.now() });
    const accepting = o.accepting ?? (() => true);
    server.on('connection', (socket) => {
      if (accepting()) service.accept(socket, ctx, { info, jobs, ...(security ? { security } : {}) }, limits);
      else {
        service.stats.connectionsRefused++;
        socket.destroy();
      }
    });
    server.on('error', (err) => log.error({ err }, 'service port error'));
    log.info({ host: o.host, port: bound.port, nodeId: cluster.self.nodeId, login: security === undefined ? 'none' : `${security.userCount} users` }, 'Aerospike service port listening');
    return service;
  }

  private accept(socket: net.Socket, ctx: CommandContext, services: ConnectionServices, limits: ServiceLimits): void {
    if (this.stopping !== undefined || this.sockets.size >= limits.connectionsMax) {
      this.stats.connectionsRefused++;
      if (this.stopping === undefined) this.log.warn({ connectionsMax: limits.connectionsMax, remote: socket.remoteAddress }, 'refusing a service connection: max-connections are open');
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    this.stats.connectionsOpen++;
    this.stats.connectionsOpened++;
    const conn = new ServiceConnection(socket, ctx, services);
    this.connections.add(conn);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.connections.delete(conn);
      this.stats.connectionsOpen--;
    });
  }

  /** Idempotent; resolves once the port is closed and every connection is gone. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.jobs.stop();
    for (const conn of this.connections) conn.stopReading();
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline && [...this.connections].some((c) => c.inFlight() > 0)) await new Promise((r) => setTimeout(r, 20));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.log.info('Aerospike service port closed');
  }
}
