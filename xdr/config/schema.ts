/**
 * JSON schema of a region's YAML configuration file, as written (kebab-case
 * names, sizes and durations as strings like `128K` and `30D`). Structure and
 * types are checked here with additionalProperties:false; ranges that depend on
 * units or on other fields are checked in semantic.ts.
 */
import { REGION_NAME_PATTERN, ROUTE_COMPRESSIONS, ROUTE_RESOLVER_NAMES, ROUTE_NAME_PATTERN, TOPIC_NAME_PATTERN } from '../../replication-protocol/index.js';

const size = { type: ['string', 'integer'], description: 'bytes, or a number with K/M/G/T (binary) as in aerospike.conf' } as const;
const duration = { type: ['string', 'integer'], description: 'seconds, or a number with ms/s/m/h/d as in aerospike.conf' } as const;
const pct = { type: 'integer', minimum: 1, maximum: 100 } as const;
const nameList = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } as const;
const filter = {
  type: 'object',
  additionalProperties: false,
  properties: { ship: nameList, ignore: nameList },
} as const;

export const NAMESPACE_NAME_PATTERN = '^[A-Za-z0-9_-]{1,31}$';

export const storageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['engine'],
  properties: {
    engine: { enum: ['device', 'memory'] },
    devices: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', minLength: 1 }, uniqueItems: true },
    filesize: size,
    'write-block-size': size,
    'commit-to-device': { type: 'boolean' },
    'flush-max-ms': { type: 'integer', minimum: 1, maximum: 60000 },
    'defrag-lwm-pct': pct,
    'direct-io': { type: 'boolean' },
    'post-write-queue': { type: 'integer', minimum: 0, maximum: 4096 },
    persist: { type: 'boolean' },
    'data-size': size,
  },
} as const;

export const namespaceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['storage'],
  properties: {
    'default-ttl': duration,
    'nsup-period': duration,
    'high-water-disk-pct': pct,
    'memory-size': size,
    'high-water-memory-pct': pct,
    'stop-writes-pct': pct,
    'max-record-size': size,
    'tombstone-grace': duration,
    durability: { enum: ['commit-to-device', 'shipped', 'buffered'] },
    'shipped-ack-timeout': duration,
    storage: storageSchema,
  },
} as const;

/** Alert thresholds per deployment (docs/observability.md, "Alerts"); every key optional, defaults from the seed and XDR practice. */
export const alertsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    'xdr-lag': duration,
    'in-queue-growing': duration,
    'heartbeats-missed': { type: 'integer', minimum: 1, maximum: 1000 },
    'heartbeat-interval': duration,
    'dead-letters-window': duration,
    'read-p99': duration,
    'write-p99': duration,
    'memory-used-pct': pct,
    'storage-used-pct': pct,
    'clock-offset-pct': pct,
    disabled: { type: 'array', uniqueItems: true, maxItems: 16, items: { enum: ['xdr_lag', 'in_queue_growing', 'heartbeats_missing', 'dead_letters', 'read_p99', 'write_p99', 'memory_used_pct', 'storage_used_pct', 'stop_writes', 'clock_offset'] } },
  },
} as const;

/** The background comparison and repair of route pairs (docs/operations.md, anti-entropy). */
export const antiEntropySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    interval: duration,
    'first-pass-delay': duration,
    'unclean-start-delay': duration,
    settle: duration,
    'records-per-sec': { type: 'integer', minimum: 1, maximum: 10_000_000 },
    'records-per-pass': { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
    'reship-per-pass': { type: 'integer', minimum: 1, maximum: 100_000_000 },
    'digests-per-request': { type: 'integer', minimum: 1, maximum: 1000 },
    'concurrent-requests': { type: 'integer', minimum: 1, maximum: 16 },
    'peer-timeout': duration,
    'restart-rewind-margin': duration,
  },
} as const;

/** How this region's pipeline uses its cores and memory (docs/config.md, replication). */
export const replicationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    'producer-threads': { type: 'integer', minimum: 0, maximum: 16 },
    'producer-in-flight-batches': { type: 'integer', minimum: 1, maximum: 1024 },
    'producer-in-flight-bytes': size,
    'receive-partitions-at-once': { type: 'integer', minimum: 1, maximum: 64 },
    'apply-window': { type: 'integer', minimum: 1, maximum: 4096 },
  },
} as const;

/** A route as the admin API takes it (camelCase, RouteSpec); the YAML form is the kebab-case twin. */
export function routeSchema(style: 'kebab' | 'camel', requireName: boolean) {
  const k = (kebab: string, camel: string) => (style === 'kebab' ? kebab : camel);
  return {
    type: 'object',
    additionalProperties: false,
    required: [...(requireName ? ['name'] : []), 'source', 'destination', 'namespace'],
    properties: {
      name: { type: 'string', pattern: ROUTE_NAME_PATTERN },
      source: { type: 'string', pattern: REGION_NAME_PATTERN },
      destination: { type: 'string', pattern: REGION_NAME_PATTERN },
      namespace: { type: 'string', pattern: NAMESPACE_NAME_PATTERN },
      sets: filter,
      bins: filter,
      resolver: { enum: ROUTE_RESOLVER_NAMES },
      [k('custom-resolver-path', 'customResolverPath')]: { type: 'string', minLength: 1 },
      forward: { type: 'boolean' },
      [k('max-records-per-sec', 'maxRecordsPerSec')]: { type: 'integer', minimum: 0, maximum: 10_000_000 },
      [k('delay-ms', 'delayMs')]: { type: 'integer', minimum: 0, maximum: 3_600_000 },
      [k('hot-key-ms', 'hotKeyMs')]: { type: 'integer', minimum: 0, maximum: 60_000 },
      enabled: { type: 'boolean' },
      topic: { type: 'string', pattern: TOPIC_NAME_PATTERN },
      compression: { enum: ROUTE_COMPRESSIONS },
    },
  } as const;
}

export const configSchema = {
  $id: 'xdrgate-config',
  type: 'object',
  additionalProperties: false,
  required: ['region', 'namespaces', 'regions'],
  properties: {
    region: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'id'],
      properties: {
        name: { type: 'string', pattern: REGION_NAME_PATTERN },
        id: { type: 'integer', minimum: 1, maximum: 255 },
      },
    },
    listen: {
      oneOf: [
        { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['port'],
          properties: { host: { type: 'string', minLength: 1 }, port: { type: 'integer', minimum: 0, maximum: 65535 } },
        },
      ],
    },
    'data-dir': { type: 'string', minLength: 1 },
    // An aerospike.conf whose namespace stanzas are read into `namespaces` (path relative to this file).
    'namespaces-from': { type: 'string', minLength: 1 },
    'log-level': { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    'auth-token': { type: ['string', 'null'], minLength: 16 },
    'max-clock-offset': duration,
    'redis-url': { type: 'string', pattern: '^rediss?://' },
    'redis-key-prefix': { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,64}$' },
    'body-limit': size,
    // The Aerospike client protocol port (xdr/aerospike/); absent = not served.
    service: {
      oneOf: [
        { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['port'],
          properties: {
            host: { type: 'string', minLength: 1 },
            port: { type: 'integer', minimum: 0, maximum: 65535 },
            'access-address': { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' },
            'max-connections': { type: 'integer', minimum: 1, maximum: 100_000 },
            'max-message-size': size,
            'max-fields': { type: 'integer', minimum: 4, maximum: 1024 },
            'max-ops': { type: 'integer', minimum: 1, maximum: 65535 },
            'max-batch-keys': { type: 'integer', minimum: 1, maximum: 5000 },
            'max-in-flight': { type: 'integer', minimum: 1, maximum: 65536 },
            // Clients must log in (Aerospike's login: user + the password's bcrypt hash) when users are listed.
            users: {
              type: 'array',
              minItems: 1,
              maxItems: 256,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 63 },
                  password: { type: 'string', minLength: 1, maxLength: 255 },
                  credential: { type: 'string', pattern: '^\\$2a\\$10\\$7EqJtq98hPqEX7fNZaFWoO[./A-Za-z0-9]{31}$' },
                },
              },
            },
            'session-ttl': duration,
          },
        },
      ],
    },
    namespaces: {
      type: 'object',
      minProperties: 1,
      maxProperties: 32,
      propertyNames: { pattern: NAMESPACE_NAME_PATTERN },
      additionalProperties: namespaceSchema,
    },
    regions: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'id', 'kafka'],
        properties: {
          name: { type: 'string', pattern: REGION_NAME_PATTERN },
          id: { type: 'integer', minimum: 1, maximum: 255 },
          // The region's gateway HTTP URL: anti-entropy and a restarted gateway call their peers there.
          'gateway-url': { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' },
          kafka: {
            type: 'object',
            additionalProperties: false,
            required: ['brokers'],
            properties: {
              brokers: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' } },
              'client-id': { type: 'string', minLength: 1 },
              ssl: { type: 'boolean' },
              // SASL over the region's Kafka (with ssl: true for SASL_SSL); the password never reaches logs or /v1/stats.
              sasl: {
                type: 'object',
                additionalProperties: false,
                required: ['mechanism', 'username', 'password'],
                properties: {
                  mechanism: { enum: ['plain', 'scram-sha-256', 'scram-sha-512'] },
                  username: { type: 'string', minLength: 1 },
                  password: { type: 'string', minLength: 1 },
                },
              },
            },
          },
        },
      },
    },
    'anti-entropy': antiEntropySchema,
    replication: replicationSchema,
    alerts: alertsSchema,
    routes: { type: 'array', maxItems: 256, items: routeSchema('kebab', true) },
  },
} as const;
