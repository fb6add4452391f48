import { type RegionSpec, type RouteSpec } from '../../replication-protocol/index.js';
import type { AlertThresholds } from '../alerts/rules.js';
/**
 * The gateway's validated configuration: what `loadConfig` returns, frozen.
 * Field names are camelCase and values are in base units (bytes, ms, seconds as
 * named); the YAML file uses aerospike.conf's kebab-case names and unit suffixes.
 * docs/config.md documents every field with its default.
 */

/** Storage of a namespace whose data lives on device files (Aerospike `storage-engine device`). */
export interface DeviceStorageConfig {
  engine: 'device';
  /** Absolute paths of the device files (relative paths in YAML are resolved against <data-dir>/<ns>/). @default [<data-dir>/<ns>/data-0.dat] */
  devices: string[];
  /** Size of each device file. @default 1G */
  filesizeBytes: number;
  /** Size of a write block; a power of two between 128K and 8M (records cannot be larger). @default 1M */
  writeBlockSizeBytes: number;
  /** Acknowledge a write only once it is fdatasync'd (derived from the namespace's durability). @default true */
  commitToDevice: boolean;
  /** Longest time a buffered write waits before it is flushed. @default 1000 */
  flushMaxMs: number;
  /** Blocks with less live data than this percentage are defragmented. @default 50 */
  defragLwmPct: number;
  /** Open the device files with O_DIRECT (bypass the page cache; aligned I/O). @default false */
  directIo: boolean;
  /** Write blocks per device kept in RAM after they are written, so reads of recent writes skip the device. @default 256 */
  postWriteQueue: number;
}

/** Storage of a namespace held in RAM (Aerospike `storage-engine memory`). */
export interface MemoryStorageConfig {
  engine: 'memory';
  /** Save the namespace to a file on clean shutdown and load it on start. @default true */
  persist: boolean;
  /** RAM for the namespace's data (Aerospike data-size). @default 256M */
  dataSizeBytes: number;
}

export type StorageConfig = DeviceStorageConfig | MemoryStorageConfig;

/**
 * When a write is acknowledged, which decides what a crash can take (docs/operations.md):
 * - `commit-to-device`: once it is fdatasync'd to the device files (group commit); survives kill -9 and power loss;
 * - `shipped`: once it is in the source region's Kafka (acks=all) for every route of the namespace that ships;
 *   survives the loss of the gateway and its node (a restarted gateway gets it back from its peers);
 * - `buffered`: from RAM; a crash loses up to flush-max-ms of writes (device) or the namespace's data (memory)
 *   in this region — an explicit choice.
 */
export type Durability = 'commit-to-device' | 'shipped' | 'buffered';

export interface NamespaceConfig {
  name: string;
  /** @default 'commit-to-device' for device storage, 'shipped' for memory storage */
  durability: Durability;
  /** How long a write of a `shipped` namespace waits for Kafka before it fails with XDR_ERR_SHIP_ACK_TIMEOUT (applied here, not acknowledged). @default 10000 */
  shippedAckTimeoutMs: number;
  /** TTL of records written with ttl 0, seconds; 0 = never expire. @default 0 */
  defaultTtlSec: number;
  /** Period of the expiry/eviction scan, seconds. @default 120 */
  nsupPeriodSec: number;
  /** Device use percentage above which eviction starts. @default 80 */
  highWaterDiskPct: number;
  /** Device use (and memory use, with memory-size) percentage above which client writes are refused. @default 90 */
  stopWritesPct: number;
  /** The namespace's RAM budget (Aerospike memory-size): primary index (64 B a record), secondary indexes, and data of a memory namespace; 0 = none. @default 0 */
  memorySizeBytes: number;
  /** Memory use percentage of memory-size above which nsup evicts; 0 without memory-size. @default 60 with memory-size */
  highWaterMemoryPct: number;
  /** Largest record a client may write, bytes (bounded by write-block-size for devices). @default 1M */
  maxRecordSizeBytes: number;
  /**
   * How long a durable-delete tombstone is kept before nsup collects it, seconds.
   * Must exceed the worst replication lag (a tombstone collected before a peer's
   * older write arrives lets that write resurrect the record); at least 60 and
   * above max-clock-offset. @default 86400 (1D)
   */
  tombstoneGraceSec: number;
  storage: StorageConfig;
}

/** Regions and routes are the pipeline's own types (replication-protocol/route.ts), plus what only the gateway needs. */
export interface RegionConfig extends RegionSpec {
  /**
   * The region's gateway HTTP URL (`regions[].gateway-url`, `XDRGATE_URL_<REGION>`).
   * Anti-entropy reads and repairs a peer there; a restarted gateway asks its
   * peers there for what it may have lost. Calls carry this gateway's own auth-token.
   */
  gatewayUrl?: string;
}
export type RouteConfig = RouteSpec;

/**
 * Alert thresholds of this deployment (`alerts:`; docs/observability.md,
 * "Alerts"). The same shape the gateway's evaluator takes, without
 * maxClockOffsetMs, which comes from `max-clock-offset`.
 */
export type AlertsConfig = Omit<AlertThresholds, 'maxClockOffsetMs'>;

/** Background comparison and repair of route pairs (docs/operations.md, anti-entropy). */
export interface AntiEntropyConfig {
  /** @default true */
  enabled: boolean;
  /** Ms between the end of a pass and the start of the next. @default 600000 (10m) */
  intervalMs: number;
  /** Ms from a clean start to the first pass. @default 60000 */
  firstPassDelayMs: number;
  /** Ms from a start after an unclean stop (the engine could not recover everything) to the first pass. @default 5000 */
  uncleanStartDelayMs: number;
  /** Records changed in the last settleMs (or within the route's lag) are in flight, not different. @default 30000 */
  settleMs: number;
  /** Records hashed or listed per second, both regions together. @default 2000 */
  recordsPerSec: number;
  /** Records hashed in one pass; a larger namespace is covered over several passes. @default 2000000 */
  recordsPerPass: number;
  /** Records re-shipped in one pass (both directions); the rest waits for the next pass. @default 100000 */
  reshipPerPass: number;
  /** Digests per re-ship request. @default 500 */
  digestsPerRequest: number;
  /** Requests a pass has in flight at once (hash, list, re-ship). @default 2 */
  concurrentRequests: number;
  /** Timeout of one call to a peer gateway, ms. @default 30000 */
  peerTimeoutMs: number;
  /** How far before the lost-since time a restarted gateway asks its peers to rewind, ms. @default 60000 */
  restartRewindMarginMs: number;
}

/** How this region's replication pipeline uses cores and memory (`replication:`; docs/config.md). */
export interface ReplicationConfig {
  /** Producer threads per source region; 0 ships from the main thread. @default 0 */
  producerThreads: number;
  /** Sub-batches handed to the producer threads and not yet acknowledged, all routes together. @default 16 */
  producerInFlightBatches: number;
  /** Bytes of those sub-batches. @default 64M */
  producerInFlightBytes: number;
  /** Partitions of a source's topics the receiver applies at once. @default 4 */
  receivePartitionsAtOnce: number;
  /** Messages of one partition's batch applied at once (one record's always in order). @default 64 */
  applyWindow: number;
}

export interface ListenConfig {
  host: string;
  port: number;
}

/** The Aerospike client-protocol port (docs/aerospike-protocol.md). */
export interface ServiceConfig {
  /** @default 127.0.0.1 */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** `host:port` clients are told to reach this node at (peers and service info). @default host:port, or none when bound to 0.0.0.0 */
  accessAddress?: string;
  /** Client connections served at once; more are closed at accept. @default 1024 */
  connectionsMax: number;
  /** Largest message a client may send (a batch or a big record). @default 128M */
  messageBytesMax: number;
  /** Fields per message or batch row. @default 64 */
  fieldsMax: number;
  /** Ops per message (bins of a put, steps of an operate). @default 4096 */
  opsMax: number;
  /** Keys per batch (Aerospike's batch-max-requests). @default 5000 */
  batchKeysMax: number;
  /** Requests one connection may have in flight (pipelined) before the gateway stops reading it. @default 256 */
  inFlightMax: number;
  /** When set, clients must log in as one of these (Aerospike's login message); absent: no login. */
  users?: ServiceUserConfig[];
  /** Lifetime of a login's session token, seconds. @default 86400 */
  sessionTtlSec: number;
}

/** A user of the service port: the password in clear, or the credential clients send for it (bcrypt with Aerospike's fixed salt). */
export interface ServiceUserConfig {
  name: string;
  password?: string;
  credential?: string;
}

export interface GatewayConfig {
  /** This gateway's region; must also appear in `regions`. */
  region: { name: string; id: number };
  /** @default 127.0.0.1:4100 */
  listen: ListenConfig;
  /** Absolute data directory (device files, routes, cursors). */
  dataDir: string;
  /** pino level. @default info */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** When set, every route except /healthz, /readyz and /docs needs `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Remote versions stamped further ahead of this region's clock are rejected. @default 5000 */
  maxClockOffsetMs: number;
  /** Redis that carries the shared route catalog between regions. @default redis://127.0.0.1:6379 */
  redisUrl: string;
  /** Prefix of the Redis keys and channels of the route catalog; regions of one topology share it. @default xdrgate: */
  redisKeyPrefix: string;
  /** Largest HTTP request body, bytes. @default 8M */
  bodyLimitBytes: number;
  /** Aerospike client-protocol port; absent when not configured (nor set with XDRGATE_SERVICE). */
  service?: ServiceConfig;
  namespaces: NamespaceConfig[];
  regions: RegionConfig[];
  antiEntropy: AntiEntropyConfig;
  replication: ReplicationConfig;
  /** Alert thresholds; every field defaulted (ALERT_DEFAULTS). */
  alerts: AlertsConfig;
  /** Routes to create on the first start (later edits live in <data-dir>/routes.json). */
  routes: RouteConfig[];
  /** Where the configuration came from, for logs and `GET /v1/stats`. */
  origin: {
    file: string;
    envOverrides: string[];
    /** Set when namespaces came from an aerospike.conf (`namespaces-from`): its path, the namespaces it gave, and its other stanzas, which are not read. */
    aerospikeConf?: { file: string; namespaces: string[]; notRead: string[] };
  };
}
