/**
 * Two regions' config documents derived from the SHIPPED config/tokyo.yaml and
 * config/virginia.yaml: integration tests run with the configuration files we
 * ship. Only region names (random per topology, so topics and consumer groups
 * of one test never meet another's on shared brokers), addresses, Redis and
 * data folders are replaced; every other setting is as shipped unless a test
 * asks for a change by name in `TopologyOptions`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The shipped configs' device namespace (durability commit-to-device). */
export const NS = 'user_data';
/** The shipped configs' memory namespace (durability shipped). */
export const SESSIONS = 'sessions';

/** The shipped region config files, which every two-region topology starts from. */
export const SHIPPED_CONFIGS = { a: 'config/tokyo.yaml', b: 'config/virginia.yaml' } as const;

export type RegionKey = 'a' | 'b';
export type ConfigDoc = Record<string, any>;

/**
 * The `anti-entropy` block a test of replication itself passes: such a test
 * must not pass because anti-entropy repaired what replication lost.
 */
export const ANTI_ENTROPY_OFF: Readonly<Record<string, unknown>> = Object.freeze({ enabled: false });

/** What a test changes from the shipped configs; each field absent means "as shipped". */
export interface TopologyOptions {
  /** Resolver of every route. @default as shipped (lww) */
  resolver?: 'lww' | 'bin-lww' | 'generation';
  /** Durability of NS (user_data). @default as shipped (commit-to-device) */
  durability?: 'commit-to-device' | 'buffered' | 'shipped';
  /** Size of each of NS's device files. @default as shipped (256M) */
  filesize?: string;
  /** stop-writes-pct of NS (high-water-disk-pct follows, 5 below it, 80 at most). @default as shipped (90) */
  stopWritesPct?: number;
  /** flush-max-ms of NS. @default as shipped (100) */
  flushMaxMs?: number;
  /** Extra top-level settings (e.g. `{ 'auth-token': 't' }`). */
  extra?: Record<string, unknown>;
  /** Namespaces only one region has besides the shipped ones, by name. */
  namespaces?: Partial<Record<RegionKey, Record<string, unknown>>>;
  /** The `anti-entropy` block, replacing the shipped one (e.g. ANTI_ENTROPY_OFF). @default as shipped */
  antiEntropy?: Record<string, unknown>;
  /** Log level of the gateway processes. @default $XDRGATE_TEST_LOG_LEVEL or 'warn' */
  logLevel?: string;
  /** Redis of both regions. @default the suite's shared Redis */
  redisUrl?: string;
}

/** Where a region lives on this machine, which the derived config points at. */
export interface RegionPlace {
  name: string;
  /** Its HTTP API (`listen`), also the peer's `gateway-url` for it. */
  port: number;
  /** Its Aerospike service port, when the topology gives it one. */
  servicePort?: number;
  /** The region's own folder; the engine's `data-dir` is `<dataDir>/data`. */
  dataDir: string;
  /** Bootstrap servers of its Kafka: for itself, and for the other region (through a proxy when cut-able). */
  kafka: { own: string; remote: string };
}

export interface ShippedDocs {
  docs: Record<RegionKey, ConfigDoc>;
  /** The region names as shipped (tokyo, virginia). */
  names: Record<RegionKey, string>;
}

export async function readShippedConfigs(): Promise<ShippedDocs> {
  const docs = {
    a: YAML.parse(await readFile(path.join(root, SHIPPED_CONFIGS.a), 'utf8')) as ConfigDoc,
    b: YAML.parse(await readFile(path.join(root, SHIPPED_CONFIGS.b), 'utf8')) as ConfigDoc,
  };
  return { docs, names: { a: docs.a.region.name as string, b: docs.b.region.name as string } };
}

/** The name the shipped configs give the route from `from` to `to` for namespace `ns`. */
export function routeName(from: string, to: string, ns: string): string {
  return `${from}-${to}-${ns}`.replace(/_/g, '-');
}

/**
 * Region `self`'s config: the shipped file with region names replaced by the
 * topology's, addresses pointed at this test's brokers, Redis, ports and
 * folders, and only what `o` asks for changed besides.
 */
export function regionConfig(shipped: ShippedDocs, self: RegionKey, places: Record<RegionKey, RegionPlace>, redis: string, prefix: string, o: TopologyOptions): ConfigDoc {
  const other: RegionKey = self === 'a' ? 'b' : 'a';
  const keyOf = (shippedName: string): RegionKey => (shippedName === shipped.names.a ? 'a' : 'b');
  const rename = (shippedName: string): string => places[keyOf(shippedName)].name;
  const me = places[self];
  const out: ConfigDoc = structuredClone(shipped.docs[self]);
  out.region = { ...out.region, name: me.name };
  out.listen = `127.0.0.1:${me.port}`;
  if (me.servicePort !== undefined) out.service = `127.0.0.1:${me.servicePort}`;
  out['data-dir'] = path.join(me.dataDir, 'data');
  out['log-level'] = o.logLevel ?? process.env.XDRGATE_TEST_LOG_LEVEL ?? 'warn';
  out['redis-url'] = redis;
  out['redis-key-prefix'] = prefix;
  if (o.antiEntropy !== undefined) out['anti-entropy'] = o.antiEntropy;
  Object.assign(out, o.extra ?? {});
  // This region's own Kafka directly; the other region's through its remote address (a cuttable proxy when there is one).
  const brokers: Record<RegionKey, string> = { [self]: places[self].kafka.own, [other]: places[other].kafka.remote } as Record<RegionKey, string>;
  out.regions = (out.regions as ConfigDoc[]).map((r) => {
    const key = keyOf(r.name);
    return { ...r, name: places[key].name, 'gateway-url': `http://127.0.0.1:${places[key].port}`, kafka: { ...r.kafka, brokers: brokers[key].split(',') } };
  });
  out.routes = (out.routes as ConfigDoc[]).map((r) => ({
    ...r,
    name: routeName(rename(r.source), rename(r.destination), r.namespace),
    source: rename(r.source),
    destination: rename(r.destination),
    ...(o.resolver ? { resolver: o.resolver } : {}),
  }));
  out.namespaces = { ...out.namespaces, ...(o.namespaces?.[self] ?? {}) };
  const ns = out.namespaces[NS];
  if (o.durability) ns.durability = o.durability;
  if (o.stopWritesPct !== undefined) {
    ns['stop-writes-pct'] = o.stopWritesPct;
    ns['high-water-disk-pct'] = Math.min(80, o.stopWritesPct - 5);
  }
  if (o.filesize) ns.storage.filesize = o.filesize;
  if (o.flushMaxMs !== undefined) ns.storage['flush-max-ms'] = o.flushMaxMs;
  return out;
}
