/**
 * What each aerospike.conf setting of a namespace becomes in the YAML
 * namespace document (docs/config.md), or why it has no meaning in a region
 * gateway and what to write instead. One table per stanza; a setting missing
 * from its table is reported as unknown.
 */

/** How the value is carried into the YAML document: validation (units, ranges) is the YAML's own. */
export type ValueKind = 'size' | 'duration' | 'int' | 'bool' | 'path';

export interface MappedSetting {
  /** The YAML key (under the namespace, or under its `storage`). */
  key: string;
  value: ValueKind;
  /** Several lines add to one list (`file`). */
  list?: true;
}

/** A setting with a meaning here maps; one without says what to do instead. */
export type SettingRule = MappedSetting | { unsupported: string } | { accept: (values: string[]) => string | null };

const REMOVE = 'it has no meaning in a region gateway; remove it';

export const NAMESPACE_SETTINGS: Readonly<Record<string, SettingRule>> = {
  'memory-size': { key: 'memory-size', value: 'size' },
  'default-ttl': { key: 'default-ttl', value: 'duration' },
  'nsup-period': { key: 'nsup-period', value: 'duration' },
  'high-water-disk-pct': { key: 'high-water-disk-pct', value: 'int' },
  'high-water-memory-pct': { key: 'high-water-memory-pct', value: 'int' },
  'stop-writes-pct': { key: 'stop-writes-pct', value: 'int' },
  'max-record-size': { key: 'max-record-size', value: 'size' },
  // A region is one node: replication-factor 1 says exactly that.
  'replication-factor': {
    accept: (v) => (v.length === 1 && v[0] === '1' ? null : 'a region is one node, so there are no replicas to place (other regions get the data through routes); remove it'),
  },
  'conflict-resolution-policy': { unsupported: "conflicts between regions are resolved per route: set the route's resolver (lww, generation, bin-lww, custom) and remove it" },
  'strong-consistency': { unsupported: 'regions replicate asynchronously (active-active); there is no strong-consistency mode; remove it' },
  'enable-xdr': { unsupported: 'shipping is configured as routes (routes: in the YAML, or xdrgate route add); remove it' },
  'xdr-remote-datacenter': { unsupported: 'shipping is configured as routes (routes: in the YAML, or xdrgate route add); remove it' },
  'single-bin': { unsupported: 'records always have named bins here; remove it' },
  'data-in-index': { unsupported: 'records always have named bins here; remove it' },
  'index-type': { unsupported: "the primary index lives in the gateway's RAM (saved on clean shutdown); remove it" },
  'sindex-type': { unsupported: "secondary indexes live in the gateway's RAM; remove it" },
  'evict-tenths-pct': { unsupported: 'nsup evicts the records closest to expiry until use is back under the high-water mark; remove it' },
  'evict-hist-buckets': { unsupported: 'nsup evicts the records closest to expiry until use is back under the high-water mark; remove it' },
  'allow-ttl-without-nsup': { unsupported: 'ttls are always allowed (nsup-period 0 only stops expiry scans); remove it' },
  'partition-tree-sprigs': { unsupported: `the index is one hash table; ${REMOVE}` },
  'rack-id': { unsupported: `a region is one node; ${REMOVE}` },
  'prefer-uniform-balance': { unsupported: `a region is one node; ${REMOVE}` },
  'migrate-order': { unsupported: `a region is one node and never migrates partitions; ${REMOVE}` },
  'migrate-sleep': { unsupported: `a region is one node and never migrates partitions; ${REMOVE}` },
  'stop-writes-sys-memory-pct': { unsupported: 'the budget is memory-size with stop-writes-pct; remove it and set memory-size' },
  'default-read-touch-ttl-pct': { unsupported: "clients send read-touch-ttl-percent with each read; the namespace default is not read; remove it" },
};

export const DEVICE_SETTINGS: Readonly<Record<string, SettingRule>> = {
  file: { key: 'devices', value: 'path', list: true },
  device: {
    unsupported: 'the engine keeps a namespace on files, not raw block devices; write `file <path>` (e.g. file /var/lib/xdrgate/users-0.dat) and a `filesize`, or drop the line to use <data-dir>/<namespace>/data-0.dat',
  },
  filesize: { key: 'filesize', value: 'size' },
  'write-block-size': { key: 'write-block-size', value: 'size' },
  'commit-to-device': { key: 'commit-to-device', value: 'bool' },
  'flush-max-ms': { key: 'flush-max-ms', value: 'int' },
  'defrag-lwm-pct': { key: 'defrag-lwm-pct', value: 'int' },
  'direct-io': { key: 'direct-io', value: 'bool' },
  'post-write-queue': { key: 'post-write-queue', value: 'int' },
  'data-in-memory': {
    accept: (v) => (v.length === 1 && v[0] === 'false'
      ? null
      : 'the engine keeps no copy of every record of a device namespace in RAM: use `storage-engine memory` (all data in RAM) or rely on post-write-queue (recent write blocks stay in RAM); set false or remove it'),
  },
  'read-page-cache': { unsupported: 'reads go through the page cache unless direct-io is true; remove it and use direct-io' },
  'cold-start-empty': { unsupported: 'a start always loads the saved index or scans the devices; to start empty, delete the device files; remove it' },
  'max-write-cache': { unsupported: 'write blocks queue for the writer thread within a fixed bound; remove it' },
  'min-avail-pct': { unsupported: 'writes stop at stop-writes-pct of the devices; remove it and set stop-writes-pct' },
  'defrag-sleep': { unsupported: `defrag runs between client requests; ${REMOVE}` },
  'defrag-startup-minimum': { unsupported: `defrag runs between client requests; ${REMOVE}` },
  'scheduler-mode': { unsupported: `device files use the kernel's default scheduler; ${REMOVE}` },
  compression: { unsupported: 'records are stored uncompressed (routes compress what they ship: route compression); remove it' },
  'compression-level': { unsupported: 'records are stored uncompressed (routes compress what they ship: route compression); remove it' },
  'encryption-key-file': { unsupported: 'device files are not encrypted by the engine; use an encrypted file system and remove it' },
  encryption: { unsupported: 'device files are not encrypted by the engine; use an encrypted file system and remove it' },
  'tomb-raider-sleep': { unsupported: 'durable-delete tombstones are collected by nsup after tombstone-grace (YAML); remove it' },
  'serialize-tomb-raider': { unsupported: 'durable-delete tombstones are collected by nsup after tombstone-grace (YAML); remove it' },
};

export const MEMORY_SETTINGS: Readonly<Record<string, SettingRule>> = {
  'data-size': { key: 'data-size', value: 'size' },
  'stop-writes-avail-pct': { unsupported: 'writes stop at stop-writes-pct; remove it' },
  'stop-writes-used-pct': { unsupported: 'writes stop at stop-writes-pct; remove it and set stop-writes-pct on the namespace' },
  'evict-used-pct': { unsupported: 'eviction starts at high-water-disk-pct / high-water-memory-pct; remove it and set those on the namespace' },
  file: { unsupported: 'a memory namespace is saved to <data-dir>/<namespace>/ on clean shutdown (YAML storage.persist); remove it' },
  device: { unsupported: 'a memory namespace is saved to <data-dir>/<namespace>/ on clean shutdown (YAML storage.persist); remove it' },
};

/** Top-level stanzas other than namespace: not read here, with where their job lives. */
export const OTHER_STANZAS: Readonly<Record<string, string>> = {
  service: 'the gateway process (YAML service: for the client port)',
  network: 'YAML listen and service',
  logging: 'YAML log-level (pino JSON on stdout)',
  xdr: 'YAML routes (docs/from-aerospike.md maps dc and namespace settings)',
  security: 'YAML service.users and auth-token',
  'mod-lua': 'Lua UDFs are not run',
};
