/**
 * Semantic checks and normalization of a schema-valid configuration document:
 * units parsed, ranges that depend on units checked, cross-references resolved,
 * defaults filled. Collects every problem; never throws.
 */
import path from 'node:path';
import type { ConfigProblem } from './errors.js';
import type { CodecStatus } from '../replication/index.js';
import { routeTopic } from '../../replication-protocol/index.js';
import { camelizeKeys, normalizeRoute } from './route.js';
import { ALERT_DEFAULTS } from '../alerts/rules.js';
import type { AlertsConfig, AntiEntropyConfig, Durability, GatewayConfig, NamespaceConfig, RegionConfig, ReplicationConfig, RouteConfig, ServiceConfig, ServiceUserConfig, StorageConfig } from './types.js';
import { formatSize, isPowerOfTwo, parseDurationMs, parseSizeBytes } from './units.js';

type Doc = Record<string, any>;

const WRITE_BLOCK_MIN_BYTES = 128 * 1024;
const WRITE_BLOCK_MAX_BYTES = 8 * 1024 * 1024;
const FILESIZE_MAX_BYTES = 2 * 1024 ** 4;
const DEVICE_ONLY = ['devices', 'filesize', 'write-block-size', 'commit-to-device', 'flush-max-ms', 'defrag-lwm-pct', 'direct-io', 'post-write-queue'] as const;
const MEMORY_SIZE_MIN_BYTES = 1024 * 1024;
const MEMORY_SIZE_MAX_BYTES = 4 * 1024 ** 4;

export const DEFAULTS = {
  listen: { host: '127.0.0.1', port: 4100 },
  logLevel: 'info',
  maxClockOffsetMs: 5000,
  redisUrl: 'redis://127.0.0.1:6379',
  bodyLimitBytes: 8 * 1024 * 1024,
  defaultTtlSec: 0,
  nsupPeriodSec: 120,
  highWaterDiskPct: 80,
  stopWritesPct: 90,
  /** Aerospike's default high-water-memory-pct. */
  highWaterMemoryPct: 60,
  postWriteQueue: 256,
  filesizeBytes: 1024 ** 3,
  writeBlockSizeBytes: 128 * 1024,
  flushMaxMs: 1000,
  defragLwmPct: 50,
  tombstoneGraceSec: 86_400,
  shippedAckTimeoutMs: 10_000,
  antiEntropy: {
    enabled: true,
    intervalMs: 600_000,
    firstPassDelayMs: 60_000,
    uncleanStartDelayMs: 5_000,
    settleMs: 30_000,
    recordsPerSec: 2000,
    recordsPerPass: 2_000_000,
    reshipPerPass: 100_000,
    digestsPerRequest: 500,
    concurrentRequests: 2,
    peerTimeoutMs: 30_000,
    restartRewindMarginMs: 60_000,
  },
  replication: { producerThreads: 0, producerInFlightBatches: 16, producerInFlightBytes: 64 * 1024 * 1024, receivePartitionsAtOnce: 4, applyWindow: 64 },
  service: { host: '127.0.0.1', connectionsMax: 1024, messageBytesMax: 128 * 1024 * 1024, fieldsMax: 64, opsMax: 4096, batchKeysMax: 5000, inFlightMax: 256, sessionTtlSec: 86_400 },
} as const;

/**
 * The shortest tombstone-grace accepted. Below a minute even a healthy pipeline
 * (Kafka acks, batching, a receiver restart) can deliver an older write after its
 * delete was collected, and the record comes back.
 */
export const TOMBSTONE_GRACE_MIN_MS = 60_000;

class Collector {
  readonly problems: ConfigProblem[] = [];
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  size(value: unknown, path: string, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const bytes = parseSizeBytes(value);
    if (bytes === null) this.add(path, `'${value}' is not a size; write bytes or a number with K, M, G or T (e.g. 128K, 4G)`);
    else if (bytes < min || bytes > max) this.add(path, `must be between ${formatSize(min)} and ${formatSize(max)}`);
    return bytes ?? fallback;
  }
  durationMs(value: unknown, path: string, fallbackMs: number, minMs: number, maxMs: number): number {
    if (value === undefined) return fallbackMs;
    const ms = parseDurationMs(value);
    if (ms === null) this.add(path, `'${value}' is not a duration; write seconds or a number with ms, s, m, h or d (e.g. 120s, 30D)`);
    else if (ms < minMs || ms > maxMs) this.add(path, `must be between ${minMs / 1000}s and ${maxMs / 1000}s`);
    return ms ?? fallbackMs;
  }
}

function parseListen(value: unknown, c: Collector): { host: string; port: number } {
  if (value === undefined) return { ...DEFAULTS.listen };
  if (typeof value === 'string') {
    const i = value.lastIndexOf(':');
    const port = Number(value.slice(i + 1));
    if (port > 65535) c.add('listen', `port ${port} is out of range; use 0..65535`);
    return { host: value.slice(0, i), port };
  }
  const v = value as { host?: string; port: number };
  return { host: v.host ?? DEFAULTS.listen.host, port: v.port };
}

function parseService(value: unknown, c: Collector): ServiceConfig | undefined {
  if (value === undefined) return undefined;
  const d = DEFAULTS.service;
  if (typeof value === 'string') {
    const i = value.lastIndexOf(':');
    const port = Number(value.slice(i + 1));
    if (port > 65535) c.add('service', `port ${port} is out of range; use 0..65535`);
    return { ...d, host: value.slice(0, i), port };
  }
  const v = value as Doc;
  const out: ServiceConfig = {
    host: v.host ?? d.host,
    port: v.port,
    connectionsMax: v['max-connections'] ?? d.connectionsMax,
    messageBytesMax: c.size(v['max-message-size'], 'service.max-message-size', d.messageBytesMax, 64 * 1024, 1024 ** 3),
    fieldsMax: v['max-fields'] ?? d.fieldsMax,
    opsMax: v['max-ops'] ?? d.opsMax,
    batchKeysMax: v['max-batch-keys'] ?? d.batchKeysMax,
    inFlightMax: v['max-in-flight'] ?? d.inFlightMax,
    // Clients log in again 60 s before a session ends: shorter sessions would never be used.
    sessionTtlSec: Math.floor(c.durationMs(v['session-ttl'], 'service.session-ttl', d.sessionTtlSec * 1000, 120_000, 30 * 86_400_000) / 1000),
  };
  if (v['access-address'] !== undefined) out.accessAddress = v['access-address'];
  if (v.users !== undefined) out.users = serviceUsers(v.users as Doc[], c);
  return out;
}

function serviceUsers(raw: Doc[], c: Collector): ServiceUserConfig[] {
  const seen = new Set<string>();
  return raw.map((u, i) => {
    if (seen.has(u.name)) c.add(`service.users[${i}].name`, `user ${u.name} is listed twice; keep one entry per user`);
    seen.add(u.name);
    if ((u.password === undefined) === (u.credential === undefined)) c.add(`service.users[${i}]`, 'give the user either password (hashed at start) or credential (the hash clients send), not both or neither');
    return { name: u.name, ...(u.password !== undefined ? { password: u.password } : { credential: u.credential }) };
  });
}

function storageOf(nsName: string, raw: Doc, p: string, dataDir: string, c: Collector): StorageConfig {
  if (raw.engine === 'memory') {
    for (const key of DEVICE_ONLY) if (raw[key] !== undefined) c.add(`${p}.${key}`, 'applies only to storage engine device; remove it or set engine: device');
    return { engine: 'memory', persist: raw.persist ?? true, dataSizeBytes: c.size(raw['data-size'], `${p}.data-size`, 256 * 1024 * 1024, 1024 * 1024, 64 * 1024 ** 3) };
  }
  if (raw.persist !== undefined) c.add(`${p}.persist`, 'applies only to storage engine memory (device data is always persistent); remove it');
  if (raw['data-size'] !== undefined) c.add(`${p}.data-size`, 'applies only to storage engine memory; device namespaces are sized by filesize × devices');
  const writeBlock = c.size(raw['write-block-size'], `${p}.write-block-size`, DEFAULTS.writeBlockSizeBytes, 0, Number.MAX_SAFE_INTEGER);
  if (raw['write-block-size'] !== undefined && parseSizeBytes(raw['write-block-size']) !== null && (!isPowerOfTwo(writeBlock) || writeBlock < WRITE_BLOCK_MIN_BYTES || writeBlock > WRITE_BLOCK_MAX_BYTES)) {
    c.add(`${p}.write-block-size`, 'must be a power of two between 128K and 8M');
  }
  const filesize = c.size(raw.filesize, `${p}.filesize`, DEFAULTS.filesizeBytes, 0, FILESIZE_MAX_BYTES);
  if (filesize < writeBlock * 8) c.add(`${p}.filesize`, `must hold at least 8 write blocks (${formatSize(writeBlock * 8)} with write-block-size ${formatSize(writeBlock)})`);
  // Relative device paths live in the namespace's own directory, as the engine lays it out.
  const devices = ((raw.devices as string[] | undefined) ?? ['data-0.dat']).map((d) => path.resolve(dataDir, nsName, d));
  return {
    engine: 'device',
    devices,
    filesizeBytes: filesize,
    writeBlockSizeBytes: writeBlock,
    // Filled from the namespace's durability once both are read (durabilityOf).
    commitToDevice: raw['commit-to-device'] ?? true,
    flushMaxMs: raw['flush-max-ms'] ?? DEFAULTS.flushMaxMs,
    defragLwmPct: raw['defrag-lwm-pct'] ?? DEFAULTS.defragLwmPct,
    directIo: raw['direct-io'] ?? false,
    postWriteQueue: raw['post-write-queue'] ?? DEFAULTS.postWriteQueue,
  };
}

/**
 * The namespace's durability: `durability` when given, else what aerospike.conf's
 * `commit-to-device` says for device storage, else the safe default of its
 * storage (commit-to-device on devices, shipped in memory). Contradictions are errors.
 */
function durabilityOf(raw: Doc, storage: StorageConfig, p: string, c: Collector): Durability {
  const given = raw.durability as Durability | undefined;
  const commit = (raw.storage as Doc)['commit-to-device'] as boolean | undefined;
  if (storage.engine === 'memory') {
    if (given === 'commit-to-device') c.add(`${p}.durability`, 'a memory namespace has no device to commit to; use shipped (acknowledge once in Kafka) or buffered (a crash loses its data here)');
    return given ?? 'shipped';
  }
  if (given !== undefined && commit !== undefined && commit !== (given === 'commit-to-device')) {
    c.add(`${p}.storage.commit-to-device`, `contradicts durability: ${given}; remove commit-to-device (durability says it all)`);
  }
  return given ?? (commit === false ? 'buffered' : 'commit-to-device');
}

function namespaceOf(name: string, raw: Doc, dataDir: string, c: Collector): NamespaceConfig {
  const p = `namespaces.${name}`;
  const tenYearsMs = 10 * 365 * 86_400_000;
  const defaultTtlMs = c.durationMs(raw['default-ttl'], `${p}.default-ttl`, DEFAULTS.defaultTtlSec * 1000, 0, tenYearsMs);
  const nsupMs = c.durationMs(raw['nsup-period'], `${p}.nsup-period`, DEFAULTS.nsupPeriodSec * 1000, 0, 86_400_000);
  const storage = storageOf(name, raw.storage as Doc, `${p}.storage`, dataDir, c);
  const durability = durabilityOf(raw, storage, p, c);
  if (storage.engine === 'device') storage.commitToDevice = durability === 'commit-to-device';
  const shippedAckTimeoutMs = c.durationMs(raw['shipped-ack-timeout'], `${p}.shipped-ack-timeout`, DEFAULTS.shippedAckTimeoutMs, 100, 600_000);
  if (raw['shipped-ack-timeout'] !== undefined && durability !== 'shipped') c.add(`${p}.shipped-ack-timeout`, `applies only to durability: shipped (this namespace is ${durability}); remove it`);
  const highWater = raw['high-water-disk-pct'] ?? DEFAULTS.highWaterDiskPct;
  const stopWrites = raw['stop-writes-pct'] ?? DEFAULTS.stopWritesPct;
  if (stopWrites <= highWater) c.add(`${p}.stop-writes-pct`, `must be above high-water-disk-pct (${highWater}) so eviction starts before writes stop`);
  const memorySize = c.size(raw['memory-size'], `${p}.memory-size`, 0, MEMORY_SIZE_MIN_BYTES, MEMORY_SIZE_MAX_BYTES);
  if (raw['high-water-memory-pct'] !== undefined && raw['memory-size'] === undefined) c.add(`${p}.high-water-memory-pct`, 'applies only with memory-size (the budget it is a percentage of); set memory-size or remove it');
  const highWaterMemory = memorySize > 0 ? (raw['high-water-memory-pct'] ?? DEFAULTS.highWaterMemoryPct) : 0;
  if (memorySize > 0 && stopWrites <= highWaterMemory) c.add(`${p}.stop-writes-pct`, `must be above high-water-memory-pct (${highWaterMemory}) so eviction starts before writes stop`);
  const blockBytes = storage.engine === 'device' ? storage.writeBlockSizeBytes : WRITE_BLOCK_MAX_BYTES;
  const maxRecord = c.size(raw['max-record-size'], `${p}.max-record-size`, Math.min(blockBytes, 1024 * 1024), 1024, Number.MAX_SAFE_INTEGER);
  if (raw['max-record-size'] !== undefined && maxRecord > blockBytes) c.add(`${p}.max-record-size`, `must not exceed write-block-size (${formatSize(blockBytes)}); a record is written within one block`);
  if (nsupMs % 1000 !== 0) c.add(`${p}.nsup-period`, 'must be a whole number of seconds');
  if (defaultTtlMs % 1000 !== 0) c.add(`${p}.default-ttl`, 'must be a whole number of seconds');
  const graceMs = c.durationMs(raw['tombstone-grace'], `${p}.tombstone-grace`, DEFAULTS.tombstoneGraceSec * 1000, TOMBSTONE_GRACE_MIN_MS, tenYearsMs);
  if (graceMs % 1000 !== 0) c.add(`${p}.tombstone-grace`, 'must be a whole number of seconds');
  return {
    name,
    durability,
    shippedAckTimeoutMs,
    defaultTtlSec: Math.floor(defaultTtlMs / 1000),
    nsupPeriodSec: Math.floor(nsupMs / 1000),
    highWaterDiskPct: highWater,
    stopWritesPct: stopWrites,
    memorySizeBytes: memorySize,
    highWaterMemoryPct: highWaterMemory,
    maxRecordSizeBytes: maxRecord,
    tombstoneGraceSec: Math.floor(graceMs / 1000),
    storage,
  };
}

function regionsOf(raw: Doc[], local: { name: string; id: number }, c: Collector): RegionConfig[] {
  const names = new Map<string, number>();
  const ids = new Map<number, number>();
  const regions = raw.map((r, i): RegionConfig => {
    if (names.has(r.name)) c.add(`regions[${i}].name`, `duplicates regions[${names.get(r.name)}]; region names must be unique`);
    if (ids.has(r.id)) c.add(`regions[${i}].id`, `duplicates the id of regions[${ids.get(r.id)}]; region ids must be unique`);
    names.set(r.name, i);
    ids.set(r.id, i);
    return {
      name: r.name,
      id: r.id,
      ...(r['gateway-url'] ? { gatewayUrl: String(r['gateway-url']).replace(/\/+$/, '') } : {}),
      kafka: { brokers: r.kafka.brokers, ...(r.kafka['client-id'] ? { clientId: r.kafka['client-id'] } : {}), ...(r.kafka.ssl !== undefined ? { ssl: r.kafka.ssl } : {}), ...(r.kafka.sasl ? { sasl: { ...r.kafka.sasl } } : {}) },
    };
  });
  const me = regions.find((r) => r.name === local.name);
  if (!me) c.add('region.name', `'${local.name}' is not listed under regions; add it with its id and Kafka brokers`);
  else if (me.id !== local.id) c.add('region.id', `is ${local.id} but regions lists ${local.name} with id ${me.id}; make them equal`);
  return regions;
}

function antiEntropyOf(raw: Doc | undefined, c: Collector): AntiEntropyConfig {
  const d = DEFAULTS.antiEntropy;
  const r = raw ?? {};
  const p = 'anti-entropy';
  const dayMs = 86_400_000;
  return {
    enabled: r.enabled ?? d.enabled,
    intervalMs: c.durationMs(r.interval, `${p}.interval`, d.intervalMs, 100, 7 * dayMs),
    firstPassDelayMs: c.durationMs(r['first-pass-delay'], `${p}.first-pass-delay`, d.firstPassDelayMs, 0, dayMs),
    uncleanStartDelayMs: c.durationMs(r['unclean-start-delay'], `${p}.unclean-start-delay`, d.uncleanStartDelayMs, 0, dayMs),
    settleMs: c.durationMs(r.settle, `${p}.settle`, d.settleMs, 0, dayMs),
    recordsPerSec: r['records-per-sec'] ?? d.recordsPerSec,
    recordsPerPass: r['records-per-pass'] ?? d.recordsPerPass,
    reshipPerPass: r['reship-per-pass'] ?? d.reshipPerPass,
    digestsPerRequest: r['digests-per-request'] ?? d.digestsPerRequest,
    concurrentRequests: r['concurrent-requests'] ?? d.concurrentRequests,
    peerTimeoutMs: c.durationMs(r['peer-timeout'], `${p}.peer-timeout`, d.peerTimeoutMs, 100, 600_000),
    restartRewindMarginMs: c.durationMs(r['restart-rewind-margin'], `${p}.restart-rewind-margin`, d.restartRewindMarginMs, 0, dayMs),
  };
}

function replicationOf(raw: Doc | undefined, c: Collector): ReplicationConfig {
  const d = DEFAULTS.replication;
  const r = raw ?? {};
  return {
    producerThreads: r['producer-threads'] ?? d.producerThreads,
    producerInFlightBatches: r['producer-in-flight-batches'] ?? d.producerInFlightBatches,
    producerInFlightBytes: c.size(r['producer-in-flight-bytes'], 'replication.producer-in-flight-bytes', d.producerInFlightBytes, 1024 * 1024, 1024 ** 3),
    receivePartitionsAtOnce: r['receive-partitions-at-once'] ?? d.receivePartitionsAtOnce,
    applyWindow: r['apply-window'] ?? d.applyWindow,
  };
}

function alertsOf(raw: Doc | undefined, c: Collector): AlertsConfig {
  const d = ALERT_DEFAULTS;
  const r = raw ?? {};
  const p = 'alerts';
  const hourMs = 3_600_000;
  return {
    xdrLagMs: c.durationMs(r['xdr-lag'], `${p}.xdr-lag`, d.xdrLagMs, 1, 7 * 24 * hourMs),
    // The history these look back over is kept in memory at one point a second: at most 15 minutes.
    inQueueGrowingMs: c.durationMs(r['in-queue-growing'], `${p}.in-queue-growing`, d.inQueueGrowingMs, 5000, 15 * 60_000),
    heartbeatsMissed: r['heartbeats-missed'] ?? d.heartbeatsMissed,
    heartbeatIntervalMs: c.durationMs(r['heartbeat-interval'], `${p}.heartbeat-interval`, d.heartbeatIntervalMs, 10, hourMs),
    deadLettersWindowMs: c.durationMs(r['dead-letters-window'], `${p}.dead-letters-window`, d.deadLettersWindowMs, 1000, 15 * 60_000),
    readP99Ms: c.durationMs(r['read-p99'], `${p}.read-p99`, d.readP99Ms, 0, 60_000),
    writeP99Ms: c.durationMs(r['write-p99'], `${p}.write-p99`, d.writeP99Ms, 0, 60_000),
    memoryUsedPct: r['memory-used-pct'] ?? d.memoryUsedPct,
    storageUsedPct: r['storage-used-pct'] ?? d.storageUsedPct,
    clockOffsetPct: r['clock-offset-pct'] ?? d.clockOffsetPct,
    disabled: Object.freeze([...(r.disabled ?? d.disabled)]) as AlertsConfig['disabled'],
  };
}

function serviceField(service: ServiceConfig | undefined): { service?: ServiceConfig } {
  return service === undefined ? {} : { service };
}

/** Turns a schema-valid document into a GatewayConfig; `problems` lists everything else that is wrong. */
export function normalizeConfig(doc: Doc, file: string, envOverrides: string[], codecs?: readonly CodecStatus[]): { config: GatewayConfig; problems: ConfigProblem[] } {
  const c = new Collector();
  const region = { name: doc.region.name as string, id: doc.region.id as number };
  const dataDir = path.resolve(doc['data-dir'] ?? `./data/${region.name}`);
  const namespaces = Object.entries(doc.namespaces as Record<string, Doc>).map(([name, ns]) => namespaceOf(name, ns, dataDir, c));
  const regions = regionsOf(doc.regions as Doc[], region, c);
  const ctx = { regions: regions.map((r) => r.name), localRegion: region.name, localNamespaces: namespaces.map((n) => n.name), ...(codecs ? { codecs } : {}) };
  const seen = new Map<string, number>();
  const topics = new Map<string, number>();
  const maxClockOffsetMs = c.durationMs(doc['max-clock-offset'], 'max-clock-offset', DEFAULTS.maxClockOffsetMs, 1, 3_600_000);
  // A version may be stamped up to max-clock-offset ahead of this clock, so a grace
  // no longer than that can collect a tombstone before a concurrent older write
  // is even ordered behind it.
  for (const ns of namespaces) {
    if (ns.tombstoneGraceSec * 1000 <= maxClockOffsetMs) c.add(`namespaces.${ns.name}.tombstone-grace`, `must exceed max-clock-offset (${maxClockOffsetMs / 1000}s); a tombstone must outlive the worst replication lag`);
  }
  const routes: RouteConfig[] = ((doc.routes ?? []) as Doc[]).map((raw, i) => {
    const { route, problems } = normalizeRoute(camelizeKeys(raw), `routes[${i}]`, ctx);
    c.problems.push(...problems);
    if (seen.has(route.name)) c.add(`routes[${i}].name`, `duplicates routes[${seen.get(route.name)}]; route names must be unique`);
    seen.set(route.name, i);
    // Topics live in the source region's Kafka: names must differ per source.
    const topic = `${route.source}\u0000${routeTopic(route)}`;
    if (topics.has(topic)) c.add(`routes[${i}].topic`, `${routeTopic(route)} is already the topic of routes[${topics.get(topic)}]; give each route its own topic`);
    topics.set(topic, i);
    return route;
  });
  for (const ns of namespaces) {
    if (ns.durability !== 'shipped' || routes.some((r) => r.source === region.name && r.namespace === ns.name)) continue;
    const implied = (doc.namespaces as Record<string, Doc>)[ns.name]!.durability === undefined ? ' (the default for memory namespaces)' : '';
    c.add(`namespaces.${ns.name}.durability`, `shipped${implied} acknowledges a write once a route from ${region.name} has put it in Kafka, and no route from ${region.name} replicates ${ns.name}; add one under routes, or set durability: buffered (a crash then loses the namespace's data here)`);
  }
  const config: GatewayConfig = {
    region,
    listen: parseListen(doc.listen, c),
    dataDir,
    logLevel: doc['log-level'] ?? DEFAULTS.logLevel,
    ...(doc['auth-token'] ? { authToken: doc['auth-token'] as string } : {}),
    maxClockOffsetMs,
    redisUrl: doc['redis-url'] ?? DEFAULTS.redisUrl,
    redisKeyPrefix: doc['redis-key-prefix'] ?? 'xdrgate:',
    bodyLimitBytes: c.size(doc['body-limit'], 'body-limit', DEFAULTS.bodyLimitBytes, 1024, 256 * 1024 * 1024),
    ...serviceField(parseService(doc.service, c)),
    namespaces,
    regions,
    antiEntropy: antiEntropyOf(doc['anti-entropy'] as Doc | undefined, c),
    replication: replicationOf(doc.replication as Doc | undefined, c),
    alerts: alertsOf(doc.alerts as Doc | undefined, c),
    routes,
    origin: { file, envOverrides },
  };
  return { config, problems: c.problems };
}
