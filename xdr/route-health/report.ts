/**
 * What a destination publishes about each route addressed to it (its receiving
 * status), and what each region publishes about itself (its namespaces), as
 * stored in Redis. Pure: built from the receiver's figures, parsed back with a
 * shape check (Redis may hold reports of an older or newer gateway).
 *
 * Reports are hints with a timestamp: Redis is advisory, so a source that
 * cannot read them shows the destination's status as unknown or stale, and
 * replication never waits for them.
 */
import type { ErrorNote } from '../../errors/index.js';
import type { ConsumerState, RouteRecvStats } from '../../receiver/index.js';

/** Format version of reports and region notes; readers skip versions they do not know. */
export const REPORT_VERSION = 1;

export interface DestinationReport {
  v: typeof REPORT_VERSION;
  route: string;
  /** The reporting (destination) region. */
  region: string;
  /** When the destination wrote the report (its clock, unix ms). */
  at_ms: number;
  /** How often the destination reports: a report older than a few of these is stale. */
  interval_ms: number;
  status: 'receiving' | 'starting' | 'not_receiving';
  /** Why it does not receive the route (refused, unknown namespace, consumer failing); null while receiving. */
  reason: ErrorNote | null;
  consumer: ConsumerState | null;
  /** Messages of the route's topic not consumed yet. */
  offset_lag: number;
  applied: number;
  /** Ms since a version of the route was last applied or merged (−1: none since the destination started). */
  last_applied_age_ms: number;
  /** Ms since a record or heartbeat of the route last arrived (−1: none yet). */
  last_seen_age_ms: number;
  /** Applying errors since the destination's gateway started, and the newest one. */
  errors: { dead_lettered: number; resolver_errors: number; apply_retries: number; last: ErrorNote | null };
}

/** What a region says about itself, so sources can warn about routes it cannot apply. */
export interface RegionNote {
  v: typeof REPORT_VERSION;
  region: string;
  namespaces: string[];
  at_ms: number;
}

export interface ReportInput {
  route: string;
  region: string;
  nowMs: number;
  intervalMs: number;
  /** Why this region does not receive the route; null when it accepted it. */
  refused: ErrorNote | null;
  /** The receiver's figures for the route (undefined while it is being set up). */
  recv: RouteRecvStats | undefined;
}

function receivingStatus(refused: ErrorNote | null, recv: RouteRecvStats | undefined): Pick<DestinationReport, 'status' | 'reason'> {
  if (refused !== null) return { status: 'not_receiving', reason: refused };
  if (recv === undefined) return { status: 'starting', reason: null };
  // A transport that cannot tell (in-memory ones) is taken at its word: it receives.
  switch (recv.consumer?.state ?? 'joined') {
    case 'joined':
      return { status: 'receiving', reason: null };
    case 'connecting':
      return { status: 'starting', reason: null };
    case 'failing':
      return { status: 'not_receiving', reason: recv.consumer?.last_error ?? null };
  }
}

export function buildReport(i: ReportInput): DestinationReport {
  const r = i.recv;
  return {
    v: REPORT_VERSION,
    route: i.route,
    region: i.region,
    at_ms: i.nowMs,
    interval_ms: i.intervalMs,
    ...receivingStatus(i.refused, r),
    consumer: r?.consumer?.state ?? null,
    offset_lag: r?.offset_lag ?? 0,
    applied: (r?.applied ?? 0) + (r?.merged ?? 0),
    last_applied_age_ms: r?.last_applied_age_ms ?? -1,
    last_seen_age_ms: r?.last_seen_age_ms ?? -1,
    errors: { dead_lettered: r?.dead_lettered ?? 0, resolver_errors: r?.resolver_errors ?? 0, apply_retries: r?.retries ?? 0, last: r?.last_error ?? null },
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The report in `text`, or null when it is not one this version understands. */
export function parseReport(text: string): DestinationReport | null {
  const o = parseJson(text);
  if (o === null || o.v !== REPORT_VERSION) return null;
  if (typeof o.route !== 'string' || typeof o.region !== 'string' || typeof o.at_ms !== 'number' || typeof o.interval_ms !== 'number') return null;
  if (o.status !== 'receiving' && o.status !== 'starting' && o.status !== 'not_receiving') return null;
  const errors = o.errors as Record<string, unknown> | undefined;
  if (errors === undefined || errors === null || typeof errors !== 'object' || typeof errors.dead_lettered !== 'number') return null;
  return o as unknown as DestinationReport;
}

export function parseRegionNote(text: string): RegionNote | null {
  const o = parseJson(text);
  if (o === null || o.v !== REPORT_VERSION || typeof o.region !== 'string' || typeof o.at_ms !== 'number') return null;
  if (!Array.isArray(o.namespaces) || !o.namespaces.every((n) => typeof n === 'string')) return null;
  return o as unknown as RegionNote;
}
