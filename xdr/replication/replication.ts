/**
 * The replication pipeline of one region: a RouteShipper per route whose
 * source is this region (topic in this region's Kafka) and one Receiver over
 * the routes whose destination is this region (consuming each source region's
 * Kafka across the WAN). The gateway's route manager drives it at runtime.
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { type EngineApi } from '../../engine/index.js';
import { hlcFromMs, type Digest } from '../../record/index.js';
import { KafkaReceiveTransport, Receiver, type ConflictsSnapshot, type ReceiverOptions, type ReceiverRoute, type RouteRecvStats } from '../../receiver/index.js';
import { isShipError, KafkaShipTransport, PartitionedShipTransport, RouteShipper, type Compression, type ReshipResult, type RewindOptions, type RouteShipStats, type ShipperOptions, type ShipTransport } from '../../shipper/index.js';
import { ReplicationError } from './errors.js';
import { createDeadLetterProducer, createKafka, createReceiveConsumer, createShipProducer, type ConsumerTuning } from './kafka-clients.js';
import { registerCompressionCodecs } from './compression.js';
import { loadResolver } from './resolvers.js';
import { WorkerShipTransport } from './worker-producer.js';
import { ensureRouteTopics, type TopicSetup } from './topics.js';
import { routeCursorName, routeTopic, type RegionSpec, type RouteSpec } from '../../replication-protocol/index.js';

export interface ReplicationOptions {
  /** This gateway's region. */
  region: { name: string; id: number };
  /** Every region of the topology (ids and Kafka bootstrap servers). */
  regions: readonly RegionSpec[];
  engine: EngineApi;
  logger: Logger;
  /** Receiver: versions stamped further ahead than this are dead-lettered. @default 60000 */
  maxClockOffsetMs?: number;
  /** Producer compression of route topics whose route sets none (a route's own `compression` wins). @default 'none' */
  compression?: Compression;
  topics?: TopicSetup;
  shipper?: ShipperOptions;
  receiver?: Omit<ReceiverOptions, 'maxClockOffsetMs'>;
  consumer?: ConsumerTuning;
  /** Base of relative customResolverPath values. @default process.cwd() */
  resolverBaseDir?: string;
  /**
   * Producer threads per source region. 0: the shipping producer runs on the
   * main thread. N >= 1: N worker threads, each with its own kafkajs producer,
   * and each route's batches split among them by Kafka partition
   * (shipper/partitioned-transport.ts: a digest maps to one partition, so to one
   * producer, and its versions stay in order). kafkajs's record batches, CRCs and
   * compression then run beside the shipper's reads and encoding on other cores.
   * On a 2-core machine that also runs the broker they cost about twice the CPU
   * per shipped record and shipped slower (docs/benchmarks.md, bench:xdr-keep-up),
   * so the default is the main thread; use them where the host has cores to spare.
   * @default 0
   */
  producerThreads?: number;
  /** Sub-batches handed to a region's producer threads and not yet acknowledged, all routes together. @default 16 */
  producerInFlightBatchesMax?: number;
  /** Bytes of those sub-batches (keys and values; each is a copy handed to a thread). @default 64 MiB */
  producerInFlightBytesMax?: number;
  /** Partitions of a source's topics the receiver applies at once (each in order per record; receiver/apply-window.ts). @default 4 */
  receivePartitionsAtOnce?: number;
}

/** JSON-safe lag of one route end, as GET /v1/xdr/lag shows it. */
export type RouteLag =
  | { route: string; role: 'ship'; state: string; lag_ms: number; in_queue: number; throughput: number; latency_ms: number }
  | { route: string; role: 'receive'; lag_p50_ms: number; lag_p99_ms: number; last_seen_age_ms: number; offset_lag: number; source_backlog: number };

export interface ReplicationStats {
  region: string;
  ship: RouteShipStats[];
  receive: RouteRecvStats[];
}

interface RegionClients {
  kafka: Kafka;
  admin?: Admin;
  shipProducer?: Producer;
  /** Per compression: the region's producer threads behind one partitioned transport, and the threads (to close them). */
  shipWorkers: Map<Compression, { transport: PartitionedShipTransport; workers: WorkerShipTransport[] }>;
  deadLetterProducer?: Producer;
}

/** Defaults of the producer threads (ReplicationOptions; docs/config.md, replication). */
export const PRODUCER_THREADS_DEFAULT = 0;
export const PRODUCER_IN_FLIGHT_BATCHES_DEFAULT = 16;
export const PRODUCER_IN_FLIGHT_BYTES_DEFAULT = 64 * 1024 * 1024;

/** How long stop() waits for shippers to finish their current send before closing the producers under them. */
const STOP_GRACE_MS = 15_000;

export class Replication {
  private readonly o: ReplicationOptions;
  private readonly log: Logger;
  private readonly regionsByName: Map<string, RegionSpec>;
  private readonly clients = new Map<string, RegionClients>();
  private readonly shippers = new Map<string, { spec: RouteSpec; shipper: RouteShipper }>();
  private readonly receiving = new Map<string, ReceiverRoute>();
  private receiver: Receiver | null = null;
  private stopped = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(o: ReplicationOptions) {
    this.o = o;
    this.log = o.logger.child({ module: 'replication', region: o.region.name });
    this.regionsByName = new Map(o.regions.map((r) => [r.name, r]));
    // Before any client runs: receivers decode whatever codec a source used.
    registerCompressionCodecs();
    const self = this.regionsByName.get(o.region.name);
    if (self === undefined || self.id !== o.region.id) {
      throw new ReplicationError('XDR_ERR_REPLICATION_UNKNOWN_REGION', `region ${o.region.name} (id ${o.region.id}) is not among the configured regions with that id`, { region: o.region.name });
    }
  }

  /** Runs control calls one after another, so a route is never half added while it is being removed. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.stopped) throw new ReplicationError('XDR_ERR_REPLICATION_STOPPED', 'the replication pipeline was stopped');
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private region(name: string, route: string): RegionSpec {
    const r = this.regionsByName.get(name);
    if (r === undefined) throw new ReplicationError('XDR_ERR_REPLICATION_UNKNOWN_REGION', `route ${route}: region ${name} is not configured (known: ${[...this.regionsByName.keys()].join(', ')})`, { route, region: name });
    return r;
  }

  private clientsOf(regionName: string): RegionClients {
    let c = this.clients.get(regionName);
    if (c === undefined) {
      c = { kafka: createKafka(this.region(regionName, '-'), this.o.logger, `${this.o.region.name}`), shipWorkers: new Map() };
      this.clients.set(regionName, c);
    }
    return c;
  }

  private adminOf(regionName: string): Admin {
    const c = this.clientsOf(regionName);
    c.admin ??= c.kafka.admin();
    return c.admin;
  }

  /** Creates the route's topics in the source Kafka; on failure only logs (the shipper and consumer retry until they exist). */
  private async setupTopics(spec: RouteSpec): Promise<void> {
    const admin = this.adminOf(spec.source);
    try {
      await admin.connect();
      await ensureRouteTopics(admin, routeTopic(spec), this.o.topics);
    } catch (err) {
      this.log.warn({ err, route: spec.name, source: spec.source }, 'route topics not set up yet; shipping and receiving retry until they exist');
    }
  }

  /** Starts or replaces a route. A paused route keeps its cursor and ships nothing until resumed. */
  upsertRoute(spec: RouteSpec, options: { paused: boolean } = { paused: false }): Promise<void> {
    return this.serial(async () => {
      this.region(spec.source, spec.name);
      this.region(spec.destination, spec.name);
      if (spec.source === spec.destination) throw new ReplicationError('XDR_ERR_REPLICATION_ROUTE_INVALID', `route ${spec.name}: source and destination are both ${spec.source}`, { route: spec.name });
      const here = this.o.region.name;
      if (spec.source !== here && spec.destination !== here) {
        this.log.debug({ route: spec.name }, 'route does not concern this region');
        return;
      }
      await this.setupTopics(spec);
      if (spec.source === here) await this.upsertShipper(spec, options.paused);
      if (spec.destination === here) {
        this.receiving.set(spec.name, { name: spec.name, namespace: spec.namespace, topic: routeTopic(spec), source: spec.source, resolver: await loadResolver(spec, this.o.resolverBaseDir) });
        await this.syncReceiver();
      }
    });
  }

  private async upsertShipper(spec: RouteSpec, paused: boolean): Promise<void> {
    const existing = this.shippers.get(spec.name);
    const enabledSpec = { ...spec, enabled: spec.enabled && !paused };
    if (existing !== undefined) {
      // A new compression needs a new transport: the shipper is replaced like for a new topic (its cursor stays).
      const sameCompression = (existing.spec.compression ?? 'none') === (spec.compression ?? 'none');
      if (existing.spec.namespace === spec.namespace && routeTopic(existing.spec) === routeTopic(spec) && existing.spec.destination === spec.destination && sameCompression) {
        existing.shipper.update(enabledSpec);
        existing.spec = spec;
        return;
      }
      await existing.shipper.stop();
      this.shippers.delete(spec.name);
    }
    const transport = this.shipTransportOf(spec.source, spec.compression ?? this.o.compression ?? 'none');
    const shipper = new RouteShipper({
      route: enabledSpec,
      regions: { sourceId: this.o.region.id, destinationId: this.region(spec.destination, spec.name).id },
      engine: this.o.engine,
      transport,
      logger: this.o.logger,
      ...(this.o.shipper ? { options: this.o.shipper } : {}),
    });
    await shipper.start();
    this.shippers.set(spec.name, { spec, shipper });
  }

  /**
   * The producers of a source region, shared by its routes (kafkajs queues their
   * sends per broker); each route's transport compresses its own batches. A
   * worker thread's producer compresses every batch alike, so each compression
   * in use has its own set of producer threads.
   */
  private shipTransportOf(regionName: string, compression: Compression): ShipTransport {
    const own = this.clientsOf(regionName);
    const threads = this.o.producerThreads ?? PRODUCER_THREADS_DEFAULT;
    if (threads > 0) {
      let set = own.shipWorkers.get(compression);
      if (set === undefined) {
        const workers = Array.from(
          { length: threads },
          (_, i) => new WorkerShipTransport({ region: this.region(regionName, '-'), admin: this.adminOf(regionName), logger: this.o.logger, clientSuffix: `${this.o.region.name}-p${i}`, compression }),
        );
        const transport = new PartitionedShipTransport(workers, {
          inFlightBatchesMax: this.o.producerInFlightBatchesMax ?? PRODUCER_IN_FLIGHT_BATCHES_DEFAULT,
          inFlightBytesMax: this.o.producerInFlightBytesMax ?? PRODUCER_IN_FLIGHT_BYTES_DEFAULT,
        });
        set = { transport, workers };
        own.shipWorkers.set(compression, set);
      }
      return set.transport;
    }
    own.shipProducer ??= createShipProducer(own.kafka);
    return new KafkaShipTransport({ producer: own.shipProducer, admin: this.adminOf(regionName), compression });
  }

  private async syncReceiver(): Promise<void> {
    if (this.receiver === null) {
      if (this.receiving.size === 0) return;
      this.receiver = new Receiver({
        regionId: this.o.region.id,
        engine: this.o.engine,
        logger: this.o.logger,
        options: { ...this.o.receiver, maxClockOffsetMs: this.o.maxClockOffsetMs ?? 60_000 },
        transportFor: (source) => {
          const c = this.clientsOf(source);
          c.deadLetterProducer ??= createDeadLetterProducer(c.kafka);
          return new KafkaReceiveTransport({
            createConsumer: () => createReceiveConsumer(c.kafka, this.o.region.name, this.o.consumer),
            deadLetterProducer: c.deadLetterProducer,
            logger: this.o.logger,
            ...(this.o.receivePartitionsAtOnce === undefined ? {} : { partitionsConsumedConcurrently: this.o.receivePartitionsAtOnce }),
          });
        },
      });
    }
    await this.receiver.setRoutes([...this.receiving.values()]);
  }

  /** Stops a route. `forget` also drops its change-log cursor (the route was deleted, not just stopped). */
  removeRoute(name: string, options: { forget: boolean } = { forget: false }): Promise<void> {
    return this.serial(async () => {
      const s = this.shippers.get(name);
      if (s !== undefined) {
        await s.shipper.stop();
        this.shippers.delete(name);
        if (options.forget) await this.o.engine.changeLog(s.spec.namespace).dropCursor(routeCursorName(name));
      }
      if (this.receiving.delete(name)) await this.syncReceiver();
    });
  }

  private shipperOf(name: string): RouteShipper {
    const s = this.shippers.get(name);
    if (s === undefined) throw new ReplicationError('XDR_ERR_REPLICATION_UNKNOWN_ROUTE', `this region ships no route named ${name}; pause, resume and rewind a route at its source region`, { route: name });
    return s.shipper;
  }

  async pauseRoute(name: string): Promise<void> {
    this.shipperOf(name).pause();
  }

  async resumeRoute(name: string): Promise<void> {
    const s = this.shippers.get(name);
    if (s !== undefined && !s.spec.enabled) return;
    this.shipperOf(name).resume();
  }

  /** Re-ships every record changed after `sinceMs` (unix ms); see RewindOptions. */
  async rewindRoute(name: string, sinceMs: number, options: RewindOptions = {}): Promise<void> {
    this.shipperOf(name).rewind(hlcFromMs(sinceMs), options);
  }

  /** Re-ships the current version of each digest on a route this region ships (shipper/reship.ts). */
  reshipRoute(name: string, digests: readonly Digest[]): Promise<ReshipResult> {
    return this.shipperOf(name).reship(digests);
  }

  routes(): RouteSpec[] {
    return [...this.shippers.values()].map((s) => s.spec);
  }

  /** Routes this region ships for namespace `ns` now (not paused). */
  shippingRoutes(ns: string): string[] {
    return [...this.shippers.values()].filter((s) => s.spec.namespace === ns && s.shipper.shipping()).map((s) => s.spec.name);
  }

  /**
   * Resolves once every route of `ns` that ships now has shipped every change
   * up to `seq`. A route replaced or removed meanwhile is no longer waited for:
   * the wait starts over with the routes that ship then.
   */
  async whenShipped(ns: string, seq: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      if (this.stopped) throw new ReplicationError('XDR_ERR_REPLICATION_STOPPED', 'the replication pipeline was stopped');
      const waits = [...this.shippers.values()].filter((s) => s.spec.namespace === ns && s.shipper.shipping()).map((s) => s.shipper.whenShipped(seq, signal));
      try {
        await Promise.all(waits);
        return;
      } catch (err) {
        if (signal.aborted || !isShipError(err, 'SHIP_ERR_STOPPED')) throw err;
      }
    }
  }

  lag(): RouteLag[] {
    const out: RouteLag[] = [];
    for (const { shipper } of this.shippers.values()) {
      const s = shipper.stats();
      out.push({ route: s.route, role: 'ship', state: s.state, lag_ms: s.lag_ms, in_queue: s.in_queue, throughput: s.throughput, latency_ms: s.latency_ms });
    }
    for (const r of this.receiver?.stats() ?? []) {
      out.push({ route: r.route, role: 'receive', lag_p50_ms: r.lag.p50_ms, lag_p99_ms: r.lag.p99_ms, last_seen_age_ms: r.last_seen_age_ms, offset_lag: r.offset_lag, source_backlog: r.source_backlog });
    }
    return out;
  }

  stats(): ReplicationStats {
    return {
      region: this.o.region.name,
      ship: [...this.shippers.values()].map((s) => s.shipper.stats()),
      receive: this.receiver?.stats() ?? [],
    };
  }

  conflicts(limit: number, route?: string): ConflictsSnapshot {
    return this.receiver?.conflicts(limit, route) ?? { total: 0, capacity: 0, recent: [] };
  }

  /** Test and benchmark hook: the receiver's lag histograms start over. */
  resetLag(): void {
    this.receiver?.resetLag();
  }

  /** Stops shipping (current sends finish, cursors stay committed), receiving (offsets committed) and closes every Kafka client. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.queue;
    this.stopped = true;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.all([...this.shippers.values()].map((s) => s.shipper.stop())), grace]);
    this.shippers.clear();
    await this.receiver?.stop();
    this.receiver = null;
    for (const c of this.clients.values()) {
      await c.shipProducer?.disconnect().catch(() => undefined);
      for (const set of c.shipWorkers.values()) for (const worker of set.workers) await worker.close().catch(() => undefined);
      await c.deadLetterProducer?.disconnect().catch(() => undefined);
      await c.admin?.disconnect().catch(() => undefined);
    }
    this.clients.clear();
    this.log.info('replication stopped');
  }
}
