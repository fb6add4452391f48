/**
 * A telemetry sample: one gateway's route figures at one moment, as published
 * on the telemetry bus and drawn by the dashboard. Pure: built from a
 * StatsSource, parsed back from JSON with a shape check (a stream may hold
 * samples of an older or newer gateway).
 */
import { describeStartReport } from '../../engine/index.js';
import { physicalMs } from '../../record/index.js';
import { type ErrorNote } from '../../errors/index.js';
import type { RouteShipStats, ShipState } from '../../shipper/index.js';
import type { Alert } from '../alerts/index.js';
import { namespaceHealth, type HttpFigures, type NamespaceHealth, type RouteHealthRow, type StatsSource } from '../metrics/index.js';
import type { DestinationStatus, DestinationView, RouteState } from '../route-health/index.js';

/** Sample format version; readers skip samples of versions they do not know. */
export const SAMPLE_VERSION = 1;

/**
 * A shipped route's figures with its state as operators read it: `state` is
 * the route's (xdr/route-health), `ship_state` its shipping loop's own.
 */
export type ShipSample = Omit<RouteShipStats, 'state'> & {
  state: RouteState;
  ship_state: ShipState;
  reason: string | null;
  error: ErrorNote | null;
  destination: DestinationView | null;
};

export interface RecvSample {
  route: string;
  resolver: string;
  /** The route's state as this region (its destination) derives it; absent in samples of gateways that did not derive one. */
  state?: RouteState;
  /** Whether this region receives the route (receiving, starting, not_receiving). */
  status?: DestinationStatus;
  reason?: string | null;
  error?: ErrorNote | null;
  applied: number;
  merged: number;
  rejected_older: number;
  rejected_identical: number;
  conflicts_won: number;
  conflicts_lost: number;
  dead_lettered: number;
  resolver_errors: number;
  retries: number;
  source_backlog: number;
  offset_lag: number;
  last_seen_age_ms: number;
  lag_count: number;
  lag_p50_ms: number;
  lag_p90_ms: number;
  lag_p99_ms: number;
  lag_max_ms: number;
  /** The same over the last 10 s (receiver's RecentLag): what the dashboard charts. */
  recent_count: number;
  recent_p50_ms: number;
  recent_p90_ms: number;
  recent_p99_ms: number;
  recent_max_ms: number;
}

/** One command of the Aerospike service port: cumulative counts and latency since start. */
export interface ServiceCommandSample {
  requests: number;
  failed: number;
  p50_us: number;
  p99_us: number;
}

/** The Aerospike service port's figures (xdr/aerospike/stats.ts), beside `http`. */
export interface ServiceSample {
  connections_open: number;
  connections_refused: number;
  framing_errors: number;
  /** Commands received at least once. */
  commands: Record<string, ServiceCommandSample>;
  /** Answers by result-code name, OK not counted. */
  results: Record<string, number>;
}

export interface TelemetrySample {
  v: typeof SAMPLE_VERSION;
  region: string;
  /** Unix ms the figures were read. */
  ts_ms: number;
  ship: ShipSample[];
  receive: RecvSample[];
  http: HttpFigures;
  /** Present when the gateway serves the Aerospike service port; absent in older samples. */
  service?: ServiceSample;
  /** Client write and read errors summed over the namespaces (engine counters; write-policy refusals are not errors). */
  engine_errors: number;
  /**
   * Unix ms this gateway started: counters of samples with a different start
   * began again at 0, so readers that chart cumulative series carry the total
   * over the restart instead of drawing a fall. Absent in older samples.
   */
  started_ms?: number;
  /** Alerts firing in the region (xdr/alerts); absent in samples of gateways that evaluate none. */
  alerts?: Alert[];
  /** The seed's figures per namespace (reads, writes, refusals, device rates, memory and storage use, recent latency); absent in older samples. */
  namespaces?: NamespaceHealth[];
  /**
   * Namespaces whose last start followed a stop that lost acknowledged changes
   * here, with the sentence the gateway logged (engine/start-report.ts); absent
   * when none did. Stays until the next start, so the dashboard keeps showing it.
   */
  lost_at_start?: Array<{ ns: string; everything: boolean; since_ms: number; changes: number; message: string }>;
}

function shipSample(s: RouteShipStats, row: RouteHealthRow | undefined): ShipSample {
  const h = row?.health;
  return { ...s, state: h?.state ?? s.state, ship_state: s.state, reason: h?.reason ?? null, error: h?.error ?? null, destination: h?.destination ?? null };
}

export function buildSample(source: StatsSource, nowMs: number, startedMs?: number): TelemetrySample {
  const replication = source.replication();
  const rows = source.routes?.() ?? [];
  const health = (role: RouteHealthRow['role'], route: string) => rows.find((r) => r.role === role && r.route === route);
  let engineErrors = 0;
  const lostAtStart: NonNullable<TelemetrySample['lost_at_start']> = [];
  const namespaces = source.namespaces();
  for (const n of namespaces) {
    engineErrors += n.client_write_error + n.client_read_error + n.client_delete_error + n.xdr_apply_error;
    const lost = n.start?.lost;
    if (lost !== undefined) lostAtStart.push({ ns: n.ns, everything: lost.everything, since_ms: lost.sinceLut > 0 ? physicalMs(lost.sinceLut) : 0, changes: lost.entriesAtLeast, message: describeStartReport(n.start!) });
  }
  return {
    v: SAMPLE_VERSION,
    region: source.region,
    ts_ms: nowMs,
    ship: [
      ...replication.ship.map((s) => shipSample(s, health('source', s.route))),
      // Routes without a shipper (disabled): their state still belongs on the dashboard.
      ...rows.filter((r) => r.role === 'source' && !replication.ship.some((s) => s.route === r.route)).map((r) => shipSample(idleShipStats(r.route), r)),
    ],
    receive: [
      ...replication.receive.map((r) => ({
      route: r.route,
      resolver: r.resolver,
      ...recvHealth(health('destination', r.route)),
      applied: r.applied,
      merged: r.merged,
      rejected_older: r.rejected_older,
      rejected_identical: r.rejected_identical,
      conflicts_won: r.conflicts_won,
      conflicts_lost: r.conflicts_lost,
      dead_lettered: r.dead_lettered,
      resolver_errors: r.resolver_errors,
      retries: r.retries,
      source_backlog: r.source_backlog,
      offset_lag: r.offset_lag,
      last_seen_age_ms: r.last_seen_age_ms,
      lag_count: r.lag.count,
      lag_p50_ms: r.lag.p50_ms,
      lag_p90_ms: r.lag.p90_ms,
      lag_p99_ms: r.lag.p99_ms,
      lag_max_ms: r.lag.max_ms,
      recent_count: r.lag_recent.count,
      recent_p50_ms: r.lag_recent.p50_ms,
      recent_p90_ms: r.lag_recent.p90_ms,
      recent_p99_ms: r.lag_recent.p99_ms,
      recent_max_ms: r.lag_recent.max_ms,
      })),
      // Routes addressed here that this region does not receive (no receiver figures): their state belongs on the dashboard too.
      ...rows.filter((r) => r.role === 'destination' && !replication.receive.some((x) => x.route === r.route)).map((r) => idleRecvSample(r)),
    ],
    http: { ...source.http() },
    ...serviceField(source),
    engine_errors: engineErrors,
    ...(startedMs !== undefined ? { started_ms: startedMs } : {}),
    namespaces: source.health ? source.health() : namespaces.map((n) => namespaceHealth(n, { read_tps: 0, write_tps: 0 }, 0)),
    ...(source.alerts ? { alerts: source.alerts().firing } : {}),
    ...(lostAtStart.length > 0 ? { lost_at_start: lostAtStart } : {}),
  };
}

function serviceField(source: StatsSource): { service?: ServiceSample } {
  const s = source.service?.();
  if (s === undefined) return {};
  const commands: Record<string, ServiceCommandSample> = {};
  for (const [name, c] of Object.entries(s.commands)) {
    if (c.requests > 0) commands[name] = { requests: c.requests, failed: c.failed, p50_us: c.latency.p50Us, p99_us: c.latency.p99Us };
  }
  return {
    service: { connections_open: s.connectionsOpen, connections_refused: s.connectionsRefused, framing_errors: s.framingErrors, commands, results: { ...s.resultCodes } },
  };
}

function recvHealth(row: RouteHealthRow | undefined): Pick<RecvSample, 'state' | 'status' | 'reason' | 'error'> {
  if (row === undefined) return {};
  const h = row.health;
  return { state: h.state, ...(h.destination ? { status: h.destination.status } : {}), reason: h.reason, error: h.error };
}

/** The figures of a route that has no shipper now (disabled): nothing shipped, nothing waiting that the loop knows of. */
function idleShipStats(route: string): RouteShipStats {
  return {
    route, state: 'stopped', lag: 0, lag_ms: 0, in_queue: 0, in_progress: 0, success: 0, abandoned: 0, not_found: 0, filtered_out: 0,
    retries: 0, recoveries: 0, reshipped: 0, hot_keys: 0, throughput: 0, latency_ms: 0, heartbeats: 0, committed_seq: 0, last_error: null, scan: null,
  };
}

function idleRecvSample(row: RouteHealthRow): RecvSample {
  return {
    route: row.route, resolver: '-', ...recvHealth(row),
    applied: 0, merged: 0, rejected_older: 0, rejected_identical: 0, conflicts_won: 0, conflicts_lost: 0, dead_lettered: 0, resolver_errors: 0, retries: 0,
    source_backlog: 0, offset_lag: 0, last_seen_age_ms: -1, lag_count: 0, lag_p50_ms: 0, lag_p90_ms: 0, lag_p99_ms: 0, lag_max_ms: 0,
    recent_count: 0, recent_p50_ms: 0, recent_p90_ms: 0, recent_p99_ms: 0, recent_max_ms: 0,
  };
}

/** The sample in `text`, or null when it is not one this version understands. */
export function parseSample(text: string): TelemetrySample | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const s = value as Partial<TelemetrySample> | null;
  if (s === null || typeof s !== 'object' || s.v !== SAMPLE_VERSION) return null;
  if (typeof s.region !== 'string' || typeof s.ts_ms !== 'number' || !Array.isArray(s.ship) || !Array.isArray(s.receive)) return null;
  return s as TelemetrySample;
}
