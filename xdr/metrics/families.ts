/**
 * The metric families of /metrics, as a table: name, help, kind, labels and how
 * to read the rows from one snapshot of the live stats. Names follow Aerospike's
 * (xdr `lag`, `in_queue`, ...; namespace `client_read_success`, `device_used_pct`,
 * ...) under an `xdrgate_` prefix, so dashboards and alerts written for
 * Aerospike's exporter translate one to one. docs/observability.md lists them.
 */
import { type NamespaceStatsSnapshot } from '../../engine/index.js';
import { physicalMs } from '../../record/index.js';
import type { RouteRecvStats } from '../../receiver/index.js';
import type { RouteShipStats } from '../../shipper/index.js';
import type { AntiEntropyPairStats } from '../anti-entropy/index.js';
import { DESTINATION_STATUSES, ROUTE_STATES } from '../route-health/index.js';
import type { AlertsSnapshot } from '../alerts/evaluate.js';
import { LATENCY_OPS, memoryUsedBytes, memoryUsedPct, type NamespaceHealth } from './namespace-health.js';
import type { HttpFigures, HttpLatencyFigures, RouteHealthRow, ServiceFigures } from './source.js';

export interface Snapshot {
  ship: RouteShipStats[];
  receive: RouteRecvStats[];
  antiEntropy: AntiEntropyPairStats[];
  /** Each route's derived state (both roles). */
  routes: RouteHealthRow[];
  namespaces: NamespaceStatsSnapshot[];
  /** The seed's figures per namespace (rates and recent latency included). */
  health: NamespaceHealth[];
  http: HttpFigures;
  /** HTTP latency per method and route ([] when the gateway keeps none). */
  httpLatency: HttpLatencyFigures[];
  /** The Aerospike service port; null when the gateway does not serve one. */
  service: ServiceFigures | null;
  /** RAM of the host (os.totalmem()), the base of memory_used_pct. */
  hostMemoryBytes: number;
  /** The gateway's alert evaluation; null when it evaluates none. */
  alerts: AlertsSnapshot | null;
}

export type Labels = Record<string, string>;
export type Row = [Labels, number];

export interface Family {
  name: string;
  help: string;
  kind: 'gauge' | 'counter';
  labels: string[];
  rows(s: Snapshot): Row[];
}

type ShipField = Exclude<keyof RouteShipStats, 'route' | 'state' | 'last_error' | 'scan'>;
type RecvField = 'applied' | 'rejected_older' | 'rejected_identical' | 'merged' | 'conflicts_won' | 'conflicts_lost' | 'dead_lettered' | 'resolver_errors' | 'retries' | 'heartbeats' | 'source_backlog' | 'offset_lag';

function ship(name: string, field: ShipField, kind: Family['kind'], help: string, scale = 1): Family {
  return { name: `xdrgate_xdr_${name}`, help, kind, labels: ['route'], rows: (s) => s.ship.map((r) => [{ route: r.route }, r[field] * scale]) };
}

function recv(name: string, field: RecvField, kind: Family['kind'], help: string): Family {
  return { name: `xdrgate_xdr_recv_${name}`, help, kind, labels: ['route', 'resolver'], rows: (s) => s.receive.map((r) => [{ route: r.route, resolver: r.resolver }, r[field]]) };
}

/** Shipping side (source region), one series per route. */
export const SHIP_FAMILIES: Family[] = [
  ship('lag_seconds', 'lag_ms', 'gauge', 'Seconds since the last-update time of the oldest change not yet acknowledged by Kafka (0 when caught up; grows while the route is paused or stalled).', 1 / 1000),
  ship('in_queue', 'in_queue', 'gauge', 'Change-log entries not yet shipped (head seq - committed seq).'),
  ship('in_progress', 'in_progress', 'gauge', 'Records in the batch being sent now.'),
  ship('success', 'success', 'counter', 'Records acknowledged by Kafka.'),
  ship('abandoned', 'abandoned', 'counter', 'Records given up on (too large, unencodable).'),
  ship('not_found', 'not_found', 'counter', 'Changes whose record was gone when read.'),
  ship('filtered_out', 'filtered_out', 'counter', 'Changes not shipped by the set filter or the origin/forward rules.'),
  ship('retries', 'retries', 'counter', 'Failed send attempts (each retried).'),
  ship('recoveries', 'recoveries', 'counter', 'Change-log overflow recoveries and rewinds.'),
  ship('reshipped', 'reshipped', 'counter', 'Records re-shipped on request (anti-entropy, verify --repair).'),
  ship('hot_keys', 'hot_keys', 'counter', 'Changes coalesced into a later change of the same record.'),
  ship('throughput', 'throughput', 'gauge', 'Records shipped per second over the last 5 s.'),
  ship('latency_ms', 'latency_ms', 'gauge', 'Mean ms from a change to Kafka acknowledging it, over recent batches.'),
  ship('heartbeats', 'heartbeats', 'counter', 'Heartbeats sent on the route topic.'),
];

const SCAN_KINDS = ['total', 'scanned', 'shipped', 'filtered_out', 'abandoned', 'unreadable'] as const;

/** Each route's state as operators read it everywhere (xdr/route-health), and what it is made of. */
export const ROUTE_FAMILIES: Family[] = [
  {
    name: 'xdrgate_xdr_route_state',
    help: 'State of each route (docs/observability.md, "Route state"): 1 for the current state, 0 for the others. role: source (this region ships it) or destination (it receives it).',
    kind: 'gauge',
    labels: ['route', 'role', 'state'],
    rows: (s) => s.routes.flatMap((r) => ROUTE_STATES.map((st): Row => [{ route: r.route, role: r.role, state: st }, r.health.state === st ? 1 : 0])),
  },
  {
    name: 'xdrgate_xdr_route_error',
    help: 'The stable code of the error behind a route state (failed, erroring, error, incomplete, retrying): 1 while it stands; absent otherwise.',
    kind: 'gauge',
    labels: ['route', 'role', 'code'],
    rows: (s) => s.routes.filter((r) => r.health.error !== null).map((r): Row => [{ route: r.route, role: r.role, code: r.health.error!.code }, 1]),
  },
  {
    name: 'xdrgate_xdr_route_destination_status',
    help: "What a route's destination reports about it, as its source sees it: 1 for the current status (receiving, starting, not_receiving, not_reporting, unknown), 0 for the others.",
    kind: 'gauge',
    labels: ['route', 'destination', 'status'],
    rows: (s) =>
      s.routes.flatMap((r) => {
        const d = r.health.destination;
        return r.role !== 'source' || d === null ? [] : DESTINATION_STATUSES.map((st): Row => [{ route: r.route, destination: d.region, status: st }, d.status === st ? 1 : 0]);
      }),
  },
  {
    name: 'xdrgate_xdr_route_destination_errors',
    help: "Applying errors the destination reports for the route since its gateway started (dead_lettered, resolver_errors, apply_retries); absent before its first report.",
    kind: 'gauge',
    labels: ['route', 'destination', 'kind'],
    rows: (s) =>
      s.routes.flatMap((r) => {
        const d = r.health.destination;
        if (r.role !== 'source' || d === null || d.errors === null) return [];
        const e = d.errors;
        return [[{ route: r.route, destination: d.region, kind: 'dead_lettered' }, e.dead_lettered], [{ route: r.route, destination: d.region, kind: 'resolver_errors' }, e.resolver_errors], [{ route: r.route, destination: d.region, kind: 'apply_retries' }, e.apply_retries]] as Row[];
      }),
  },
  {
    name: 'xdrgate_xdr_route_destination_offset_lag',
    help: "Messages of the route's topic its destination has not consumed yet, as it last reported; absent before its first report.",
    kind: 'gauge',
    labels: ['route', 'destination'],
    rows: (s) => s.routes.filter((r) => r.role === 'source' && r.health.destination?.offset_lag != null).map((r): Row => [{ route: r.route, destination: r.health.destination!.region }, r.health.destination!.offset_lag!]),
  },
  {
    name: 'xdrgate_xdr_scan_records',
    help: "The route's newest overflow recovery or rewind: records in it (total), read, shipped, filtered out, abandoned, and unreadable (skipped: corrupted storage); absent before the first.",
    kind: 'gauge',
    labels: ['route', 'why', 'kind'],
    rows: (s) =>
      s.routes.flatMap((r) => {
        const scan = r.health.scan;
        if (r.role !== 'source' || scan === null) return [];
        return SCAN_KINDS.filter((k) => scan[k] !== null).map((k): Row => [{ route: r.route, why: scan.why, kind: k }, scan[k] ?? 0]);
      }),
  },
];

/** Receiving side (destination region), one series per route, labelled with its resolver. */
export const RECV_FAMILIES: Family[] = [
  recv('applied', 'applied', 'counter', 'Incoming versions stored as they came.'),
  recv('merged', 'merged', 'counter', 'Merges of the local and the incoming version stored.'),
  recv('rejected_older', 'rejected_older', 'counter', 'Incoming versions older than the local one (dropped).'),
  recv('rejected_identical', 'rejected_identical', 'counter', 'Incoming versions identical to the local one (redelivered duplicates).'),
  recv('conflicts_won', 'conflicts_won', 'counter', 'Incoming versions that replaced or merged with a local version another region wrote.'),
  recv('conflicts_lost', 'conflicts_lost', 'counter', 'Incoming versions dropped because a newer local version another region wrote stood.'),
  recv('dead_lettered', 'dead_lettered', 'counter', 'Messages sent to the dead-letter topic.'),
  recv('resolver_errors', 'resolver_errors', 'counter', 'Custom resolver failures (the local record was kept).'),
  recv('retries', 'retries', 'counter', 'Retries of a message whose apply failed for now.'),
  recv('heartbeats', 'heartbeats', 'counter', 'Heartbeats received from the source.'),
  recv('source_backlog', 'source_backlog', 'gauge', "The source's change-log backlog, as its newest heartbeat reported it."),
  recv('offset_lag', 'offset_lag', 'gauge', 'Messages in the route topic not consumed yet (sum over partitions).'),
  {
    name: 'xdrgate_xdr_recv_last_seen_age_seconds',
    help: 'Seconds since the newest heartbeat or record of the route arrived (grows when the route is stalled; absent before the first).',
    kind: 'gauge',
    labels: ['route', 'resolver'],
    rows: (s) => s.receive.filter((r) => r.last_seen_age_ms >= 0).map((r): Row => [{ route: r.route, resolver: r.resolver }, r.last_seen_age_ms / 1000]),
  },
  {
    name: 'xdrgate_xdr_recv_clock_offset_seconds',
    help: "The source region's clock minus this one, from the newest heartbeat (reads low by the delivery time); absent before the first heartbeat.",
    kind: 'gauge',
    labels: ['route', 'resolver'],
    rows: (s) => s.receive.filter((r) => r.clock_offset_ms !== undefined).map((r): Row => [{ route: r.route, resolver: r.resolver }, r.clock_offset_ms! / 1000]),
  },
  {
    name: 'xdrgate_xdr_replication_lag_recent_seconds',
    help: 'End-to-end replication lag over the last 10 s (at most the last 2048 applies), by quantile; absent while nothing was applied in the window.',
    kind: 'gauge',
    labels: ['route', 'resolver', 'quantile'],
    rows: (s) =>
      s.receive
        .filter((r) => r.lag_recent.count > 0)
        .flatMap((r) => ([['0.5', r.lag_recent.p50_ms], ['0.9', r.lag_recent.p90_ms], ['0.99', r.lag_recent.p99_ms], ['1', r.lag_recent.max_ms]] as const).map(([q, ms]): Row => [{ route: r.route, resolver: r.resolver, quantile: q }, ms / 1000])),
  },
  {
    name: 'xdrgate_xdr_replication_lag_max_seconds',
    help: 'Largest end-to-end replication lag seen (apply time - source write time).',
    kind: 'gauge',
    labels: ['route', 'resolver'],
    rows: (s) => s.receive.map((r): Row => [{ route: r.route, resolver: r.resolver }, r.lag.max_ms / 1000]),
  },
];

type NsNumericField = { [K in keyof NamespaceStatsSnapshot]-?: NamespaceStatsSnapshot[K] extends number ? K : never }[keyof NamespaceStatsSnapshot];

/** Monotonic engine counters; every other numeric field is a gauge. */
const NS_COUNTERS = new Set<string>([
  'expired_objects', 'evicted_objects', 'tombstones_collected', 'defrag_reads', 'defrag_writes', 'defrag_blocks_freed',
  'client_write_success', 'client_write_error', 'client_write_refused', 'client_read_success', 'client_read_not_found', 'client_read_error',
  'client_delete_success', 'client_delete_not_found', 'client_delete_error', 'xdr_apply_success', 'xdr_apply_error',
  'nsup_cycles', 'write_blocks_written', 'write_blocks_written_inline', 'device_syncs', 'stop_writes_count',
]);

const NS_FIELDS: NsNumericField[] = [
  'objects', 'tombstones', 'expired_objects', 'evicted_objects', 'tombstones_collected', 'device_used_bytes', 'device_total_bytes',
  'device_used_pct', 'device_available_pct', 'defrag_q', 'defrag_reads', 'defrag_writes', 'defrag_blocks_freed',
  'client_write_success', 'client_write_error', 'client_write_refused', 'client_read_success', 'client_read_not_found', 'client_read_error',
  'client_delete_success', 'client_delete_not_found', 'client_delete_error', 'xdr_apply_success', 'xdr_apply_error',
  'nsup_cycles', 'nsup_cycle_duration_ms', 'index_bytes', 'write_blocks_written', 'write_blocks_written_inline', 'device_syncs',
  'changelog_head_seq', 'memory_size', 'stop_writes_count',
];

/** Engine statistics per namespace, under the names of the engine's snapshot (Aerospike's). */
export const NAMESPACE_FAMILIES: Family[] = [
  ...NS_FIELDS.map((field): Family => ({
    name: `xdrgate_namespace_${field}`,
    help: `Engine statistic ${field} of the namespace (docs/observability.md, docs/engine-ops.md).`,
    kind: NS_COUNTERS.has(field) ? 'counter' : 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n[field]]),
  })),
  {
    name: 'xdrgate_namespace_stop_writes',
    help: '1 while the namespace refuses client writes (stop-writes-pct reached).',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.stop_writes ? 1 : 0]),
  },
  {
    // The seed's storage_used_pct (alert > 75%): the fill of the storage the data lives on (device files, or data-size for memory namespaces).
    name: 'xdrgate_namespace_storage_used_pct',
    help: 'Share of the namespace storage in use, percent (device files; data-size for storage-engine memory). Same value as device_used_pct.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.device_used_pct]),
  },
  {
    name: 'xdrgate_namespace_memory_used_bytes',
    help: 'RAM the namespace holds: with memory-size, as Aerospike counts it (64 B of index a record, secondary indexes, data in RAM); without, its primary index plus its data for storage-engine memory.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, memoryUsedBytes(n)]),
  },
  {
    // The seed's memory_used_pct ("DRAM for indexes", alert > 80%): of the namespace's memory-size, or of the host's RAM without one.
    name: 'xdrgate_namespace_memory_used_pct',
    help: "memory_used_bytes as a percentage of the namespace's memory-size, or of the host's RAM without one.",
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, memoryUsedPct(n, s.hostMemoryBytes)]),
  },
  {
    name: 'xdrgate_namespace_device_read_tps',
    help: 'Records read from storage per second (successful client reads), over the last 10 s.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.health.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.device_read_tps]),
  },
  {
    name: 'xdrgate_namespace_device_write_tps',
    help: 'Records written to storage per second (client writes, deletes and replicated applies), over the last 10 s.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.health.map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.device_write_tps]),
  },
  {
    // asadm's `show latencies`, over a recent window so a P99 alert sees what happens now, not the average of the gateway's life.
    name: 'xdrgate_namespace_latency_recent_seconds',
    help: 'Engine latency of reads, writes, batches and queries over the last 10 to 20 s, by quantile; absent for an operation with none in the window.',
    kind: 'gauge',
    labels: ['ns', 'op', 'quantile'],
    rows: (s) =>
      s.health.flatMap((n) =>
        LATENCY_OPS.filter((op) => n.latency[op].count > 0).flatMap((op) => {
          const l = n.latency[op];
          return ([['0.5', l.p50_ms], ['0.9', l.p90_ms], ['0.99', l.p99_ms]] as const).map(([quantile, v]): Row => [{ ns: n.ns, op, quantile }, v / 1000]);
        }),
      ),
  },
  // What the last start could tell about the stop before it (engine/start-report.ts): a crash that
  // lost acknowledged changes here stays visible until the next start.
  {
    name: 'xdrgate_namespace_unclean_start',
    help: '1 when this start followed a stop that was not clean (a crash or kill -9), else 0.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.filter((n) => n.start).map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.start!.lastStop === 'unclean' || n.start!.lastStop === 'unknown' ? 1 : 0]),
  },
  {
    name: 'xdrgate_namespace_start_lost',
    help: '1 when acknowledged changes may be missing here since the last start (buffered or memory data lost in a crash; peers are asked to re-ship them), else 0.',
    kind: 'gauge',
    labels: ['ns', 'storage_engine', 'everything'],
    rows: (s) => s.namespaces.filter((n) => n.start).map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine, everything: String(n.start!.lost?.everything ?? false) }, n.start!.lost ? 1 : 0]),
  },
  {
    name: 'xdrgate_namespace_start_lost_changes',
    help: 'Acknowledged changes known to be missing here after the last start: change-log entries shippers had acknowledged that neither the log nor the devices kept (a lower bound).',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.filter((n) => n.start).map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.start!.lost?.entriesAtLeast ?? 0]),
  },
  {
    name: 'xdrgate_namespace_start_lost_since_seconds',
    help: 'Unix seconds from which local changes may be missing here after the last start (0 when nothing may be missing, or everything is).',
    kind: 'gauge',
    labels: ['ns', 'storage_engine'],
    rows: (s) => s.namespaces.filter((n) => n.start).map((n): Row => [{ ns: n.ns, storage_engine: n.storage_engine }, n.start!.lost && n.start!.lost.sinceLut > 0 ? Math.floor(physicalMs(n.start!.lost.sinceLut) / 1000) : 0]),
  },
];

type AeField = 'passes' | 'errors' | 'reshipped_total' | 'partitions_compared' | 'partitions_differing' | 'records_hashed' | 'settling' | 'reship_deferred';

function ae(name: string, field: AeField, kind: Family['kind'], help: string): Family {
  return { name: `xdrgate_xdr_anti_entropy_${name}`, help, kind, labels: ['route', 'peer', 'ns'], rows: (s) => s.antiEntropy.map((p): Row => [{ route: p.route, peer: p.peer, ns: p.ns }, p[field]]) };
}

/** Anti-entropy per route pair (labelled with the route this region ships to the peer). */
export const ANTI_ENTROPY_FAMILIES: Family[] = [
  ae('passes', 'passes', 'counter', 'Anti-entropy passes this gateway ran for the pair.'),
  ae('errors', 'errors', 'counter', 'Anti-entropy passes that failed (peer unreachable, a re-ship refused).'),
  ae('reshipped', 'reshipped_total', 'counter', 'Records anti-entropy had re-shipped, both directions.'),
  ae('partitions_compared', 'partitions_compared', 'gauge', 'Partitions compared by the last pass.'),
  ae('partitions_differing', 'partitions_differing', 'gauge', 'Partitions in which the last pass found records to re-ship.'),
  ae('records_hashed', 'records_hashed', 'gauge', 'Records hashed (both regions) by the last pass.'),
  ae('settling', 'settling', 'gauge', 'Differing records the last pass left alone because they changed within the settle window.'),
  ae('reship_deferred', 'reship_deferred', 'gauge', 'Differing records the last pass left for the next one (reship-per-pass reached).'),
  {
    name: 'xdrgate_xdr_anti_entropy_last_pass_timestamp_seconds',
    help: 'Unix time the last anti-entropy pass of the pair ended (0: none yet).',
    kind: 'gauge',
    labels: ['route', 'peer', 'ns'],
    rows: (s) => s.antiEntropy.map((p): Row => [{ route: p.route, peer: p.peer, ns: p.ns }, p.last_pass_at_ms / 1000]),
  },
  {
    name: 'xdrgate_xdr_anti_entropy_last_pass_duration_seconds',
    help: 'How long the last anti-entropy pass of the pair took.',
    kind: 'gauge',
    labels: ['route', 'peer', 'ns'],
    rows: (s) => s.antiEntropy.map((p): Row => [{ route: p.route, peer: p.peer, ns: p.ns }, p.last_pass_duration_ms / 1000]),
  },
];

export const HTTP_FAMILIES: Family[] = [
  { name: 'xdrgate_http_requests', help: 'HTTP requests received.', kind: 'counter', labels: [], rows: (s) => [[{}, s.http.requests]] },
  { name: 'xdrgate_http_errors_4xx', help: 'HTTP requests answered with a 4xx status.', kind: 'counter', labels: [], rows: (s) => [[{}, s.http.errors4xx]] },
  { name: 'xdrgate_http_errors_5xx', help: 'HTTP requests answered with a 5xx status.', kind: 'counter', labels: [], rows: (s) => [[{}, s.http.errors5xx]] },
];

function serviceCommands(s: Snapshot): Array<[string, ServiceFigures['commands'][keyof ServiceFigures['commands']]]> {
  return s.service === null ? [] : Object.entries(s.service.commands);
}

/** The Aerospike client-protocol port (xdr/aerospike/), absent when the gateway serves none. */
export const SERVICE_FAMILIES: Family[] = [
  {
    name: 'xdrgate_service_requests',
    help: 'Requests received on the Aerospike service port, by command.',
    kind: 'counter',
    labels: ['command'],
    rows: (s) => serviceCommands(s).map(([command, c]): Row => [{ command }, c.requests]),
  },
  {
    name: 'xdrgate_service_failed',
    help: 'Service-port requests answered with a result code other than 0 (2 NOT_FOUND included), by command.',
    kind: 'counter',
    labels: ['command'],
    rows: (s) => serviceCommands(s).map(([command, c]): Row => [{ command }, c.failed]),
  },
  {
    name: 'xdrgate_service_results',
    help: 'Service-port answers by Aerospike result code (NOT_FOUND, GENERATION, KEY_EXISTS, ...); 0 (OK) is not counted; batch rows count one each.',
    kind: 'counter',
    labels: ['result'],
    rows: (s) => (s.service === null ? [] : Object.entries(s.service.resultCodes).map(([result, n]): Row => [{ result }, n])),
  },
  {
    name: 'xdrgate_service_latency_seconds',
    help: 'Service-port request latency (arrival to reply ready), by command and quantile; absent for commands never received.',
    kind: 'gauge',
    labels: ['command', 'quantile'],
    rows: (s) =>
      serviceCommands(s)
        .filter(([, c]) => c.latency.count > 0)
        .flatMap(([command, c]) => ([['0.5', c.latency.p50Us], ['0.9', c.latency.p90Us], ['0.99', c.latency.p99Us], ['1', c.latency.maxUs]] as const).map(([quantile, us]): Row => [{ command, quantile }, us / 1e6])),
  },
  {
    name: 'xdrgate_service_connections',
    help: 'Client connections open on the service port.',
    kind: 'gauge',
    labels: [],
    rows: (s) => (s.service === null ? [] : [[{}, s.service.connectionsOpen]]),
  },
  {
    name: 'xdrgate_service_connections_opened',
    help: 'Client connections accepted on the service port.',
    kind: 'counter',
    labels: [],
    rows: (s) => (s.service === null ? [] : [[{}, s.service.connectionsOpened]]),
  },
  {
    name: 'xdrgate_service_connections_refused',
    help: 'Client connections closed at accept because service.max-connections were open.',
    kind: 'counter',
    labels: [],
    rows: (s) => (s.service === null ? [] : [[{}, s.service.connectionsRefused]]),
  },
  {
    name: 'xdrgate_service_framing_errors',
    help: 'Service-port connections closed because a message could not be framed (wrong version, over max-message-size).',
    kind: 'counter',
    labels: [],
    rows: (s) => (s.service === null ? [] : [[{}, s.service.framingErrors]]),
  },
];

/** The gateway's own alert evaluation (xdr/alerts): what fires, per rule and target. */
export const ALERT_FAMILIES: Family[] = [
  {
    name: 'xdrgate_alert_firing',
    help: 'Alerts firing in this region now (docs/observability.md, "Alerts"): 1 per rule and target (route or namespace); absent when none fires.',
    kind: 'gauge',
    labels: ['rule', 'severity', 'target'],
    rows: (s) => (s.alerts?.firing ?? []).map((a): Row => [{ rule: a.rule, severity: a.severity, target: a.target }, 1]),
  },
  {
    name: 'xdrgate_alert_rule_firing',
    help: 'Targets each enabled alert rule fires for now (0 when none).',
    kind: 'gauge',
    labels: ['rule'],
    rows: (s) => (s.alerts?.rules ?? []).filter((r) => r.enabled).map((r): Row => [{ rule: r.rule }, s.alerts!.firing.filter((a) => a.rule === r.rule).length]),
  },
  {
    name: 'xdrgate_alert_fired',
    help: 'Times each alert rule began firing (for any target) since the gateway started.',
    kind: 'counter',
    labels: ['rule'],
    rows: (s) => (s.alerts === null ? [] : Object.entries(s.alerts.fired_total).map(([rule, n]): Row => [{ rule }, n])),
  },
  {
    name: 'xdrgate_alert_threshold',
    help: "Each enabled rule's threshold as this deployment configured it, in the unit of the figure it watches (unit label: s, ms, %).",
    kind: 'gauge',
    labels: ['rule', 'unit'],
    rows: (s) => (s.alerts?.rules ?? []).filter((r) => r.enabled).map((r): Row => [{ rule: r.rule, unit: r.unit }, r.threshold]),
  },
];

export const ALL_FAMILIES: Family[] = [...SHIP_FAMILIES, ...ROUTE_FAMILIES, ...RECV_FAMILIES, ...ANTI_ENTROPY_FAMILIES, ...NAMESPACE_FAMILIES, ...HTTP_FAMILIES, ...SERVICE_FAMILIES, ...ALERT_FAMILIES];
