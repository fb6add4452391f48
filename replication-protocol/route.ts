/**
 * The shape of a replication route and of a region, as the pipeline takes them.
 * The gateway validates its configuration into these (xdr/config), the shipper
 * and the receiver read them, and nothing else defines them: one vocabulary.
 */

/**
 * Name patterns, as JSON-schema `pattern` strings (`new RegExp(...)` for code).
 * Route names become part of cursor names and Kafka topic names, hence the
 * strict alphabet; region names become part of topic names too.
 */
export const ROUTE_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
export const REGION_NAME_PATTERN = '^[a-z][a-z0-9-]{0,30}$';
/** What Kafka accepts as a topic name (a route's own `topic`). */
export const TOPIC_NAME_PATTERN = '^[a-zA-Z0-9._-]{1,249}$';

/**
 * The resolvers a route may name: conflict/'s built-ins (resolverByName; a unit
 * test keeps the two lists equal) and `custom`, a module of the operator's.
 */
export const ROUTE_RESOLVER_NAMES = ['lww', 'generation', 'bin-lww', 'custom'] as const;
export type RouteResolverName = (typeof ROUTE_RESOLVER_NAMES)[number];

/** Kafka record-batch compression a route may use (snappy has no maintained codec package, so it is not offered). */
export const ROUTE_COMPRESSIONS = ['none', 'gzip', 'lz4', 'zstd'] as const;
export type RouteCompression = (typeof ROUTE_COMPRESSIONS)[number];

/** Include/exclude lists; `ship` (when present) is an allow-list, `ignore` wins over it. */
export interface NameFilter {
  ship?: string[];
  ignore?: string[];
}

export interface RouteSpec {
  /** Unique, ROUTE_NAME_PATTERN. */
  name: string;
  /** Name of the region whose changes this route ships. */
  source: string;
  /** Name of the region that receives and applies them. */
  destination: string;
  namespace: string;
  /** Set filter (Aerospike ship-only-specified-sets / ignore-set). */
  sets?: NameFilter;
  /** Bin filter (ship-bin / ignore-bin). */
  bins?: NameFilter;
  /** How the destination resolves an incoming version against its local one. */
  resolver: RouteResolverName;
  /** Module path when resolver = custom; loaded by xdr/replication. */
  customResolverPath?: string;
  /** Ship records that arrived from other regions (chained topologies); never back to their origin. */
  forward: boolean;
  /** 0 = unlimited. */
  maxRecordsPerSec: number;
  /** Ship a change only once it is at least this old (Aerospike delay-ms). */
  delayMs: number;
  /** Coalesce repeated changes of one digest within this window (Aerospike hot-key-ms). 0 = off. */
  hotKeyMs: number;
  enabled: boolean;
  /** @default xdr.<source>.<destination>.<namespace> */
  topic?: string;
  /** Record-batch compression of the route's messages (receivers decode every codec). @default 'none' */
  compression?: RouteCompression;
}

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface RegionSpec {
  name: string;
  /** 1..255, unique among regions; stamped on every record version as its origin. */
  id: number;
  kafka: {
    brokers: string[];
    clientId?: string;
    ssl?: boolean;
    sasl?: KafkaSasl;
  };
}

/** The topic a route ships to; it lives in the SOURCE region's Kafka (docs/architecture.md says why). */
export function routeTopic(route: Pick<RouteSpec, 'source' | 'destination' | 'namespace' | 'topic'>): string {
  return route.topic ?? `xdr.${route.source}.${route.destination}.${route.namespace}`;
}

/** Dead-letter topic of a route's topic, in the same (source) Kafka. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The change-log cursor name a route's shipper uses. */
export function routeCursorName(routeName: string): string {
  return `route:${routeName}`;
}

/** Pure filter helper shared by the shipper: is `name` admitted by `filter`? */
export function admits(filter: NameFilter | undefined, name: string): boolean {
  if (filter === undefined) return true;
  if (filter.ignore !== undefined && filter.ignore.includes(name)) return false;
  if (filter.ship !== undefined && filter.ship.length > 0) return filter.ship.includes(name);
  return true;
}
