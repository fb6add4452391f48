// Two regions for replication tests: each its own Engine in its own temp dir and
// its own Kafka broker, with routes both ways. Region names are random so that
// consumer groups and topics never meet another test's on the shared brokers.
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { Engine, type RecordVersion } from '../../../engine/index.js';
import { Replication } from '../../../xdr/replication/index.js';
import { defer, type CleanupScope } from '../../helpers/cleanup.js';
import { tmpDir } from '../../helpers/tmp.js';
import { type RegionSpec, type RouteSpec } from '../../../replication-protocol/index.js';

export const NS = 'test';

export function testLogger(): Logger {
  return pino({ level: process.env.XDRGATE_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));
}

export interface Region {
  spec: RegionSpec;
  engine: Engine;
  replication: Replication;
  dataDir: string;
}

export async function openEngine(t: CleanupScope, regionId: number, dataDir?: string): Promise<{ engine: Engine; dataDir: string }> {
  const dir = dataDir ?? (await tmpDir(t, 'xdrgate-xdr-'));
  const engine = await Engine.open({
    dataDir: dir,
    regionId,
    // A short change-log flush keeps shipping prompt; cursors only see fsync'd entries.
    namespaces: [{ name: NS, filesize: 64 * 1024 * 1024, changeLog: { flushMaxMs: 10 } }],
  });
  defer(t, () => engine.close());
  return { engine, dataDir: dir };
}

export function route(source: RegionSpec, destination: RegionSpec, extra: Partial<RouteSpec> = {}): RouteSpec {
  return { name: `${source.name}-${destination.name}`, source: source.name, destination: destination.name, namespace: NS, resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, ...extra };
}

export function startReplication(t: CleanupScope, self: RegionSpec, regions: RegionSpec[], engine: Engine): Replication {
  const replication = new Replication({
    // Tokyo ships from a producer worker thread, Virginia from the main thread: every test covers both.
    producerThread: self.name.startsWith('tk') ? 'worker' : 'main',
    region: { name: self.name, id: self.id },
    regions,
    engine,
    logger: testLogger(),
    maxClockOffsetMs: 60_000,
    shipper: { heartbeatIntervalMs: 200, retryBackoffMinMs: 20, retryBackoffMaxMs: 500 },
    receiver: { retryBackoffMinMs: 20, retryBackoffMaxMs: 500 },
    consumer: { sessionTimeoutMs: 6000 },
    topics: { partitions: 4 },
  });
  defer(t, () => replication.stop());
  return replication;
}

/**
 * Two regions with routes both ways. `tokyoBrokers`/`virginiaBrokers`: each
 * region's own Kafka (the topic of a route lives in its source region's Kafka).
 */
export async function twoRegions(t: CleanupScope, brokers: { tokyo: string[]; virginia: string[] }, routeExtra: Partial<RouteSpec> = {}): Promise<{ tokyo: Region; virginia: Region; routes: RouteSpec[] }> {
  const tag = randomBytes(3).toString('hex');
  const tokyoSpec: RegionSpec = { name: `tk${tag}`, id: 1, kafka: { brokers: brokers.tokyo } };
  const virginiaSpec: RegionSpec = { name: `va${tag}`, id: 2, kafka: { brokers: brokers.virginia } };
  const regions = [tokyoSpec, virginiaSpec];
  const t1 = await openEngine(t, 1);
  const v1 = await openEngine(t, 2);
  const routes = [route(tokyoSpec, virginiaSpec, routeExtra), route(virginiaSpec, tokyoSpec, routeExtra)];
  const tokyo: Region = { spec: tokyoSpec, engine: t1.engine, dataDir: t1.dataDir, replication: startReplication(t, tokyoSpec, regions, t1.engine) };
  const virginia: Region = { spec: virginiaSpec, engine: v1.engine, dataDir: v1.dataDir, replication: startReplication(t, virginiaSpec, regions, v1.engine) };
  for (const r of routes) {
    await tokyo.replication.upsertRoute(r, { paused: false });
    await virginia.replication.upsertRoute(r, { paused: false });
  }
  return { tokyo, virginia, routes };
}

/** Every version (tombstones included) of the namespace, in a comparable form, sorted by digest. */
export async function dump(engine: Engine): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const v of engine.scanVersionsSince(NS, 0)) out.push(plain(v));
  return out.sort((a, b) => String(a.digest).localeCompare(String(b.digest)));
}

function plain(v: RecordVersion): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, (_k, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'bigint' ? `${value}n` : value))) as Record<string, unknown>;
}

/** Both regions hold exactly the same versions and neither has anything left to ship. */
export async function converged(a: Region, b: Region): Promise<boolean> {
  for (const r of [a, b]) if (r.replication.stats().ship.some((s) => s.in_queue > 0)) return false;
  const [da, db] = [await dump(a.engine), await dump(b.engine)];
  return JSON.stringify(da) === JSON.stringify(db);
}
