/**
 * The same two regions as topology.ts, in this test process: each region's
 * config is derived from the shipped files exactly as for a gateway process
 * (region-config.ts), validated by the gateway's own loader, and turned into
 * an Engine and a Replication the way the gateway composes them
 * (xdr/engine-options.ts, xdr/gateway-replication.ts). Tests then drive the
 * engines and the pipeline directly: restart a shipper, swap a route's
 * resolver, read the stats of one route.
 *
 * What the gateway leaves at the pipeline's defaults (heartbeats, retry
 * backoffs, consumer session timeout, topic partitions, change-log flush) a
 * test may set through `pace`, by name; nothing else differs from the shipped
 * configs unless `TopologyOptions` says so.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import YAML from 'yaml';
import { pino, type Logger } from 'pino';
import { Engine } from '../../../engine/index.js';
import { type RecordVersion } from '../../../record/index.js';
import type { RouteSpec } from '../../../replication-protocol/index.js';
import { parseConfig, type GatewayConfig } from '../../../xdr/config/index.js';
import { engineOptions } from '../../../xdr/engine-options.js';
import { Replication, type ReplicationOptions } from '../../../xdr/replication/index.js';
import { defer, type CleanupScope } from '../cleanup.js';
import { tmpDir } from '../tmp.js';
import { NS, readShippedConfigs, regionConfig, routeName, type RegionKey, type RegionPlace, type TopologyOptions } from './region-config.js';

/** Pipeline settings the gateway leaves at their defaults, which a test may set by name. */
export interface ReplicationPace {
  /** Change-log flush of every namespace: cursors only see flushed entries. @default the engine's */
  changeLogFlushMaxMs?: number;
  shipper?: ReplicationOptions['shipper'];
  receiver?: ReplicationOptions['receiver'];
  consumer?: ReplicationOptions['consumer'];
  topics?: ReplicationOptions['topics'];
  /** Producer threads of each region (0: the main thread's producer). @default the gateway's */
  producerThreads?: Record<RegionKey, number>;
}

export interface InProcessOptions extends TopologyOptions {
  pace?: ReplicationPace;
  /** Changes to every route after the config is read (e.g. a custom resolver module). */
  routes?: Partial<RouteSpec>;
}

export interface InProcessRegion {
  key: RegionKey;
  config: GatewayConfig;
  engine: Engine;
  replication: Replication;
  dataDir: string;
}

export interface InProcessRegions {
  tokyo: InProcessRegion;
  virginia: InProcessRegion;
  /** Every route of the shipped configs, in this topology's names. */
  routes: RouteSpec[];
  /** The route from `from` to `to` for `ns` (NS unless told). */
  route(from: InProcessRegion, to: InProcessRegion, ns?: string): RouteSpec;
  /** A fresh Replication of `region` (after a test stopped the old one), its routes upserted. */
  restart(region: InProcessRegion): Promise<void>;
}

export function testLogger(): Logger {
  return pino({ level: process.env.XDRGATE_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));
}

function startReplication(t: CleanupScope, config: GatewayConfig, engine: Engine, key: RegionKey, o: InProcessOptions): Replication {
  const pace = o.pace ?? {};
  const replication = new Replication({
    // As xdr/gateway-replication.ts builds it from the config; the pace only where the test names it.
    region: config.region,
    regions: config.regions,
    engine,
    logger: testLogger(),
    maxClockOffsetMs: config.maxClockOffsetMs,
    resolverBaseDir: path.dirname(config.origin.file),
    ...(pace.producerThreads ? { producerThreads: pace.producerThreads[key] } : {}),
    ...(pace.shipper ? { shipper: pace.shipper } : {}),
    ...(pace.receiver ? { receiver: pace.receiver } : {}),
    ...(pace.consumer ? { consumer: pace.consumer } : {}),
    ...(pace.topics ? { topics: pace.topics } : {}),
  });
  defer(t, () => replication.stop());
  return replication;
}

/**
 * Two regions in this process with every route of the shipped configs both
 * ways, running. `brokers`: each region's own Kafka (a route's topic lives in
 * its source region's Kafka).
 */
export async function inProcessRegions(t: CleanupScope, brokers: { tokyo: string[]; virginia: string[] }, o: InProcessOptions = {}): Promise<InProcessRegions> {
  const tag = randomBytes(3).toString('hex');
  const dir = await tmpDir(t, 'xdrgate-two-regions-');
  const shipped = await readShippedConfigs();
  const places: Record<RegionKey, RegionPlace> = {
    a: { name: `tk${tag}`, port: 0, dataDir: path.join(dir, `tk${tag}`), kafka: { own: brokers.tokyo.join(','), remote: brokers.tokyo.join(',') } },
    b: { name: `va${tag}`, port: 0, dataDir: path.join(dir, `va${tag}`), kafka: { own: brokers.virginia.join(','), remote: brokers.virginia.join(',') } },
  };
  // Redis stays as shipped and unused: the route catalog is the gateway's; these tests upsert routes themselves.
  const open = async (key: RegionKey): Promise<InProcessRegion> => {
    const doc = regionConfig(shipped, key, places, shipped.docs[key]['redis-url'] as string, 'xdrgate:', o);
    const config = parseConfig(YAML.stringify(doc), { file: path.join(dir, `${places[key].name}.yaml`), env: {} });
    const options = engineOptions(config);
    const flush = o.pace?.changeLogFlushMaxMs;
    const engine = await Engine.open({ ...options, namespaces: options.namespaces.map((ns) => (flush === undefined ? ns : { ...ns, changeLog: { ...ns.changeLog, flushMaxMs: flush } })) });
    defer(t, () => engine.close());
    return { key, config, engine, dataDir: config.dataDir, replication: startReplication(t, config, engine, key, o) };
  };
  const tokyo = await open('a');
  const virginia = await open('b');
  const routes = tokyo.config.routes.map((r) => ({ ...r, ...(o.routes ?? {}) }));
  const regions: InProcessRegions = {
    tokyo,
    virginia,
    routes,
    route(from, to, ns = NS) {
      const name = routeName(from.config.region.name, to.config.region.name, ns);
      const found = routes.find((r) => r.name === name);
      if (found === undefined) throw new Error(`no route ${name} in the shipped configs`);
      return found;
    },
    async restart(region) {
      await region.replication.stop();
      region.replication = startReplication(t, region.config, region.engine, region.key, o);
      for (const r of routes) await region.replication.upsertRoute(r, { paused: false });
    },
  };
  for (const r of routes) {
    await tokyo.replication.upsertRoute(r, { paused: false });
    await virginia.replication.upsertRoute(r, { paused: false });
  }
  return regions;
}

/** Every version (tombstones included) of namespace `ns`, in a comparable form, sorted by digest. */
export async function dump(engine: Engine, ns = NS): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const v of engine.scanVersionsSince(ns, 0)) out.push(plain(v));
  return out.sort((a, b) => String(a.digest).localeCompare(String(b.digest)));
}

function plain(v: RecordVersion): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, (_k, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'bigint' ? `${value}n` : value))) as Record<string, unknown>;
}

/** Both regions hold exactly the same versions of every namespace and neither has anything left to ship. */
export async function converged(a: InProcessRegion, b: InProcessRegion): Promise<boolean> {
  for (const r of [a, b]) if (r.replication.stats().ship.some((s) => s.in_queue > 0)) return false;
  for (const ns of a.engine.namespaces()) if (JSON.stringify(await dump(a.engine, ns)) !== JSON.stringify(await dump(b.engine, ns))) return false;
  return true;
}

/**
 * Quicker than the gateway's defaults, so a test waits seconds instead of
 * minutes: a 10 ms change-log flush (shipping is prompt), 200 ms heartbeats,
 * retries backing off from 20 ms to 500 ms, a 6 s consumer session (a
 * restarted receiver rejoins fast), 4 partitions a topic; Tokyo ships from two
 * producer threads (partitions split between them), Virginia from the main
 * thread, so every test covers both.
 */
export const QUICK_PACE: Readonly<ReplicationPace> = Object.freeze({
  changeLogFlushMaxMs: 10,
  shipper: { heartbeatIntervalMs: 200, retryBackoffMinMs: 20, retryBackoffMaxMs: 500 },
  receiver: { retryBackoffMinMs: 20, retryBackoffMaxMs: 500 },
  consumer: { sessionTimeoutMs: 6000 },
  topics: { partitions: 4 },
  producerThreads: { a: 2, b: 0 },
});

/** The source-side stats of `route` in `region`. */
export function shipStatsOf(region: InProcessRegion, route: RouteSpec): ReturnType<Replication['stats']>['ship'][number] {
  const s = region.replication.stats().ship.find((x) => x.route === route.name);
  if (s === undefined) throw new Error(`${region.config.region.name} ships no route ${route.name}`);
  return s;
}

/** The destination-side stats of `route` in `region`. */
export function receiveStatsOf(region: InProcessRegion, route: RouteSpec): ReturnType<Replication['stats']>['receive'][number] {
  const s = region.replication.stats().receive.find((x) => x.route === route.name);
  if (s === undefined) throw new Error(`${region.config.region.name} receives no route ${route.name}`);
  return s;
}
