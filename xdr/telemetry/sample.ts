/**
 * A telemetry sample: one gateway's route figures at one moment, as published
 * on the telemetry bus and drawn by the dashboard. Pure: built from a
 * StatsSource, parsed back from JSON with a shape check (a stream may hold
 * samples of an older or newer gateway).
 */
import { describeStartReport, physicalMs } from '../../engine/index.js';
import type { RouteShipStats } from '../../shipper/index.js';
import type { HttpFigures, StatsSource } from '../metrics/index.js';

/** Sample format version; readers skip samples of versions they do not know. */
export const SAMPLE_VERSION = 1;

export interface RecvSample {
  route: string;
  resolver: string;
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

export interface TelemetrySample {
  v: typeof SAMPLE_VERSION;
  region: string;
  /** Unix ms the figures were read. */
  ts_ms: number;
  ship: RouteShipStats[];
  receive: RecvSample[];
  http: HttpFigures;
  /** Client write and read errors summed over the namespaces (engine counters). */
  engine_errors: number;
  /**
   * Namespaces whose last start followed a stop that lost acknowledged changes
   * here, with the sentence the gateway logged (engine/start-report.ts); absent
   * when none did. Stays until the next start, so the dashboard keeps showing it.
   */
  lost_at_start?: Array<{ ns: string; everything: boolean; since_ms: number; changes: number; message: string }>;
}

export function buildSample(source: StatsSource, nowMs: number): TelemetrySample {
  const replication = source.replication();
  let engineErrors = 0;
  const lostAtStart: NonNullable<TelemetrySample['lost_at_start']> = [];
  for (const n of source.namespaces()) {
    engineErrors += n.client_write_error + n.client_read_error + n.client_delete_error + n.xdr_apply_error;
    const lost = n.start?.lost;
    if (lost !== undefined) lostAtStart.push({ ns: n.ns, everything: lost.everything, since_ms: lost.sinceLut > 0 ? physicalMs(lost.sinceLut) : 0, changes: lost.entriesAtLeast, message: describeStartReport(n.start!) });
  }
  return {
    v: SAMPLE_VERSION,
    region: source.region,
    ts_ms: nowMs,
    ship: replication.ship.map((s) => ({ ...s })),
    receive: replication.receive.map((r) => ({
      route: r.route,
      resolver: r.resolver,
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
    http: { ...source.http() },
    engine_errors: engineErrors,
    ...(lostAtStart.length > 0 ? { lost_at_start: lostAtStart } : {}),
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
