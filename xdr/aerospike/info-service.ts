/**
 * The info commands of the service port: cluster discovery for clients
 * (node, peers, partition map, generations), what the server is (build,
 * edition, features), namespaces and their statistics and configuration, and
 * the admin commands (secondary indexes, UDF modules, jobs; info-admin.ts).
 * Unknown commands answer an empty value: clients count the pairs of a reply.
 */
import { buildInfoReply, infoFail, infoKeyValues, parseInfoCommand, type InfoCommand } from '../../aerospike-protocol/index.js';
import type { NamespaceStatsSnapshot, OpsStatsSnapshot } from '../../engine/index.js';
import type { ClusterView } from './cluster.js';
import type { ServiceEngine } from './context.js';
import { InfoAdmin } from './info-admin.js';
import { resultCodeFor } from '../../errors/index.js';
import type { ServiceStats } from './stats.js';

/**
 * The server version clients see. 7.2 selects the client paths this server
 * implements: batch-any and partition queries (≥ 6.0), read-touch (≥ 7.1), the
 * pre-8.1 secondary-index info syntax and no user-agent-set.
 */
export const SERVER_BUILD = '7.2.0.0';
export const SERVER_EDITION = 'Aerospike Community Edition';
/** What clients may use: the CE 8.1 list trimmed to what is implemented (no geo, no blob bits, no cdt-index). */
export const SERVER_FEATURES = [
  'batch-any', 'batch-index', 'cdt-list', 'cdt-map', 'cluster-stable', 'float', 'geo', 'peers', 'pipelining', 'pquery', 'pscans', 'query-show', 'replicas',
  'replicas-all', 'replicas-master', 'replicas-max', 'sindex-exists', 'udf',
];

export interface NamespaceSettings {
  defaultTtlSec: number;
  nsupPeriodSec: number;
  storageEngine: 'device' | 'memory';
  maxRecordSizeBytes: number;
}

export interface InfoServiceOptions {
  cluster: ClusterView;
  engine: ServiceEngine;
  stats: ServiceStats;
  admin: InfoAdmin;
  /** Where clients reach this node (`host:port`), for `service`; empty when bound to every address. */
  serviceAddress: string;
  namespaceSettings(ns: string): NamespaceSettings | undefined;
  startedMs: number;
}

type Handler = (cmd: InfoCommand, name: string) => string | Promise<string>;

export class InfoService {
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly o: InfoServiceOptions) {
    const c = o.cluster;
    const peers = () => c.peers();
    const entries: Array<[string, Handler]> = [
      ['node', () => c.self.nodeId],
      ['partition-generation', () => String(c.partitionGeneration)],
      ['peers-generation', () => String(c.peersGeneration)],
      ['rebalance-generation', () => String(c.partitionGeneration)],
      ['peers-clear-std', peers],
      ['peers-clear-alt', peers],
      ['peers-tls-std', peers],
      ['peers-tls-alt', peers],
      ['alumni-clear-std', peers],
      ['alumni-tls-std', peers],
      ['service', () => o.serviceAddress],
      ['service-clear-std', () => o.serviceAddress],
      ['service-clear-alt', () => o.serviceAddress],
      ['services', () => ''],
      ['services-alumni', () => ''],
      ['replicas', () => c.replicas()],
      ['replicas-master', () => c.replicasMaster()],
      ['replicas-all', () => c.replicasMaster()],
      ['partitions', () => '4096'],
      ['rack-ids', () => c.namespaces().map((ns) => `${ns}:0`).join(';')],
      ['cluster-name', () => 'null'],
      ['cluster-stable', () => c.self.nodeId],
      ['build', () => SERVER_BUILD],
      ['version', () => `${SERVER_EDITION} build ${SERVER_BUILD}`],
      ['edition', () => SERVER_EDITION],
      ['features', () => SERVER_FEATURES.join(';')],
      ['status', () => 'ok'],
      ['namespaces', () => c.namespaces().join(';')],
      ['namespace', (cmd, name) => this.namespaceInfo(name.slice('namespace/'.length))],
      ['sets', (_cmd, name) => this.setsInfo(name)],
      ['get-config', (cmd) => this.getConfig(cmd)],
      ['statistics', () => this.statistics()],
      ['user-agent-set', () => 'ok'],
      ['truncate', () => infoFail(16, 'truncate is not supported; delete the records (or let them expire)')],
      ['truncate-namespace', () => infoFail(16, 'truncate is not supported; delete the records (or let them expire)')],
    ];
    for (const [name, handler] of entries) this.handlers.set(name, handler);
    for (const [name, handler] of o.admin.handlers()) this.handlers.set(name, handler);
  }

  /** Answers an info request body (command names, one per line). */
  async reply(names: readonly string[]): Promise<Buffer> {
    if (names.length === 0) return buildInfoReply(await this.answer(['node', 'build', 'edition', 'version', 'features', 'partition-generation', 'status']));
    return buildInfoReply(await this.answer(names));
  }

  private async answer(names: readonly string[]): Promise<Array<[string, string]>> {
    const pairs: Array<[string, string]> = [];
    for (const name of names) pairs.push([name, await this.one(name)]);
    return pairs;
  }

  private async one(name: string): Promise<string> {
    const cmd = parseInfoCommand(name);
    // Paths (namespace/test, sindex/test/idx, sets/test/demo) dispatch on their first segment.
    const key = this.handlers.has(cmd.command) ? cmd.command : cmd.command.split('/')[0]!;
    const handler = this.handlers.get(key);
    if (handler === undefined) return '';
    try {
      return await handler(cmd, name);
    } catch (err) {
      const { resultCode } = resultCodeFor(err);
      return infoFail(resultCode, err instanceof Error ? err.message : String(err));
    }
  }

  private nsStats(ns: string): (NamespaceStatsSnapshot & Partial<OpsStatsSnapshot>) | undefined {
    if (!this.o.cluster.namespaces().includes(ns)) return undefined;
    return this.o.engine.stats?.(ns) as (NamespaceStatsSnapshot & Partial<OpsStatsSnapshot>) | undefined;
  }

  private namespaceConfigPairs(ns: string): Array<[string, string | number | boolean]> {
    const s = this.o.namespaceSettings(ns);
    if (s === undefined) return [];
    return [
      ['replication-factor', 1],
      ['default-ttl', s.defaultTtlSec],
      ['nsup-period', s.nsupPeriodSec],
      ['allow-ttl-without-nsup', false],
      ['storage-engine', s.storageEngine],
      ['max-record-size', s.maxRecordSizeBytes],
      ['strong-consistency', false],
      ['conflict-resolution-policy', 'last-update-time'],
    ];
  }

  private namespaceInfo(ns: string): string {
    const stats = this.nsStats(ns);
    if (stats === undefined) return infoFail(20, `namespace ${ns} does not exist`);
    const pairs: Array<[string, string | number | boolean]> = [['ns_cluster_size', this.o.cluster.nodeCount()]];
    for (const [k, v] of Object.entries(stats)) {
      if (typeof v === 'number' || typeof v === 'boolean') pairs.push([k, v]);
      else if (typeof v === 'string' && k !== 'ns') pairs.push([k, v]);
    }
    pairs.push(...this.namespaceConfigPairs(ns));
    return infoKeyValues(pairs);
  }

  /** `sets`, `sets/<ns>`, `sets/<ns>/<set>`: `ns=..:set=..:objects=..:tombstones=0;` per set. */
  private setsInfo(name: string): string {
    const parts = name.split('/');
    const wantNs = parts[1];
    const wantSet = parts[2];
    const out: string[] = [];
    for (const ns of this.o.cluster.namespaces()) {
      if (wantNs !== undefined && ns !== wantNs) continue;
      const counts = this.nsStats(ns)?.setObjects ?? {};
      for (const [set, objects] of Object.entries(counts)) {
        if (wantSet !== undefined && set !== wantSet) continue;
        out.push(`ns=${ns}:set=${set}:objects=${objects}:tombstones=0:truncate_lut=0:sindexes=0:index_populating=false;`);
      }
    }
    return out.join('');
  }

  private getConfig(cmd: InfoCommand): string {
    const context = cmd.params.get('context');
    if (context === 'namespace') {
      const ns = cmd.params.get('id') ?? cmd.params.get('namespace') ?? '';
      if (!this.o.cluster.namespaces().includes(ns)) return infoFail(20, `namespace ${ns} does not exist`);
      return infoKeyValues(this.namespaceConfigPairs(ns));
    }
    if (context === undefined || context === 'service') {
      return infoKeyValues([
        ['cluster-name', 'null'],
        ['proto-fd-max', this.o.admin.limits.connectionsMax],
        ['batch-max-requests', this.o.admin.limits.batchKeysMax],
      ]);
    }
    return '';
  }

  private statistics(): string {
    const s = this.o.stats.snapshot();
    let objects = 0;
    for (const ns of this.o.cluster.namespaces()) objects += this.nsStats(ns)?.objects ?? 0;
    const pairs: Array<[string, string | number]> = [
      ['cluster_size', this.o.cluster.nodeCount()],
      ['cluster_key', this.o.cluster.self.nodeId],
      ['cluster_integrity', 'true'],
      ['objects', objects],
      ['uptime', Math.floor((Date.now() - this.o.startedMs) / 1000)],
      ['client_connections', s.connectionsOpen],
      ['client_connections_opened', s.connectionsOpened],
      ['client_connections_refused', s.connectionsRefused],
    ];
    for (const [name, c] of Object.entries(s.commands)) {
      pairs.push([`${name}_requests`, c.requests], [`${name}_failed`, c.failed]);
    }
    return infoKeyValues(pairs);
  }
}
