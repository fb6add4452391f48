/**
 * A route's state as operators read it, derived from what the gateway knows:
 * the route's definition and what the operator asked, the shipper's figures
 * (source) or the receiver's (destination), the destination's report, and the
 * clock. Pure: every input is an argument, so the rules are unit-tested as a
 * table (test/unit/xdr/route-health.test.ts) and every view of a route (route
 * list, lag, /metrics, dashboard) shows the same state for the same inputs.
 */
import type { ErrorNote } from '../../errors/index.js';
import type { RouteShipStats, ScanReport } from '../../shipper/index.js';
import type { DestinationReport, RegionNote } from './report.js';
import type { DestinationStatus, RouteIntent, RouteState } from './states.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

export interface HealthRules {
  /** A report older than this many of its destination's intervals is stale ("not reporting"). @default 5 */
  staleIntervals: number;
  /** An applying error reported less than this long before the report makes the route erroring. @default 60000 */
  errorWindowMs: number;
  /** Reporting interval assumed before a destination's first report. @default 2000 */
  intervalMs: number;
}

export const HEALTH_RULES: Readonly<HealthRules> = Object.freeze({ staleIntervals: 5, errorWindowMs: 60_000, intervalMs: 2000 });

/** A route's destination as its source shows it. */
export interface DestinationView {
  region: string;
  status: DestinationStatus;
  /** One line for people: why it does not receive, since when it is silent, what fails. */
  reason: string | null;
  /** The stable code behind `reason`. */
  error: ErrorNote | null;
  /** When the destination last reported (its clock), null when it never did. */
  reported_at_ms: number | null;
  offset_lag: number | null;
  last_applied_age_ms: number | null;
  /** The destination's applying errors (counts since its gateway started, and the newest). */
  errors: DestinationReport['errors'] | null;
  /** True when the newest applying error is recent enough to make the route erroring. */
  errors_recent: boolean;
}

/** What every view of a route shows besides its definition. */
export interface RouteHealth {
  state: RouteState;
  /** Why the state is what it is, in one line (null when running without remarks). */
  reason: string | null;
  /** The stable code behind the state, when an error is behind it. */
  error: ErrorNote | null;
  /** The route's newest overflow recovery or rewind (source role). */
  scan: ScanReport | null;
  /** Source role: what the destination says. Destination role: this region's own receiving status. */
  destination: DestinationView | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function note(code: string, message: string, atMs: number): ErrorNote {
  return { code, message, at_ms: atMs };
}

function errorsRecent(r: DestinationReport, rules: HealthRules): boolean {
  const last = r.errors.last;
  // Both times are the destination's clock: no cross-region clock offset enters.
  return last !== null && r.at_ms - last.at_ms <= rules.errorWindowMs;
}

/** A report taken at its word (fresh, or the region's own). */
export function viewOfReport(r: DestinationReport, rules: HealthRules = HEALTH_RULES): DestinationView {
  return {
    region: r.region,
    status: r.status,
    reason: r.reason === null ? null : r.reason.message,
    error: r.reason,
    reported_at_ms: r.at_ms,
    offset_lag: r.offset_lag,
    last_applied_age_ms: r.last_applied_age_ms,
    errors: r.errors,
    errors_recent: errorsRecent(r, rules),
  };
}

function emptyView(region: string, status: DestinationStatus, error: ErrorNote | null, reason = error?.message ?? null): DestinationView {
  return { region, status, reason, error, reported_at_ms: null, offset_lag: null, last_applied_age_ms: null, errors: null, errors_recent: false };
}

export interface DestinationInput {
  spec: RouteSpec;
  /** The destination's newest report on this route, if any was read. */
  report: DestinationReport | undefined;
  /** What the destination region says about itself (its namespaces), if known. */
  region: RegionNote | undefined;
  /** Whether reports can be read at all (false: no catalog, or Redis unreachable), and since when not. */
  board: { readable: true } | { readable: false; sinceMs: number | null };
  /** When the route was last saved (a destination has had since then to report). */
  updatedAtMs: number;
  nowMs: number;
}

/** The destination as the source shows it. */
export function destinationView(i: DestinationInput, rules: HealthRules = HEALTH_RULES): DestinationView {
  const dest = i.spec.destination;
  const report = i.report !== undefined && i.report.region === dest ? i.report : undefined;
  const staleMs = (interval: number) => rules.staleIntervals * interval;
  if (report !== undefined && i.nowMs - report.at_ms <= staleMs(report.interval_ms)) return viewOfReport(report, rules);
  if (i.region !== undefined && !i.region.namespaces.includes(i.spec.namespace)) {
    return emptyView(dest, 'not_receiving', note('XDR_ERR_ROUTE_NAMESPACE_MISSING', `namespace ${i.spec.namespace} does not exist in ${dest}`, i.region.at_ms));
  }
  if (!i.board.readable) {
    const since = i.board.sinceMs === null ? '' : ` since ${iso(i.board.sinceMs)}`;
    return emptyView(dest, 'unknown', null, i.board.sinceMs === null ? 'no route catalog (Redis) configured: destination reports cannot be read' : `route catalog (Redis) unreachable${since}: destination reports cannot be read`);
  }
  if (report !== undefined) {
    const view = viewOfReport(report, rules);
    const silent = note('XDR_ERR_DESTINATION_SILENT', `${dest} not reporting since ${iso(report.at_ms)} (its last report said ${report.status.replace('_', ' ')})`, report.at_ms);
    return { ...view, status: 'not_reporting', reason: silent.message, error: silent, errors_recent: false };
  }
  if (i.nowMs - i.updatedAtMs > staleMs(rules.intervalMs)) {
    const silent = note('XDR_ERR_DESTINATION_SILENT', `${dest} has not reported on this route since it was saved at ${iso(i.updatedAtMs)}`, i.updatedAtMs);
    return emptyView(dest, 'not_reporting', silent);
  }
  return emptyView(dest, 'unknown', null, `waiting for ${dest}'s first report`);
}

function scanWords(s: ScanReport): string {
  const of = s.total === null ? '' : ` of ${s.total}`;
  return `${s.shipped}${of} records shipped`;
}

function applyingErrors(d: DestinationView): string {
  const e = d.errors!;
  const counts = [
    e.dead_lettered > 0 ? `${e.dead_lettered} dead-lettered` : '',
    e.resolver_errors > 0 ? `${e.resolver_errors} resolver errors` : '',
    e.apply_retries > 0 ? `${e.apply_retries} apply retries` : '',
  ].filter(Boolean);
  const last = e.last === null ? '' : `; last ${e.last.code}: ${e.last.message}`;
  return `${d.region} fails to apply it (${counts.join(', ') || 'errors'}${last})`;
}

function health(state: RouteState, reason: string | null, error: ErrorNote | null, scan: ScanReport | null, destination: DestinationView | null): RouteHealth {
  return { state, reason, error, scan, destination };
}

export interface SourceInput {
  spec: RouteSpec;
  intent: RouteIntent;
  /** The shipper's figures (undefined before it exists). */
  ship: RouteShipStats | undefined;
  destination: DestinationView;
}

/**
 * The state of a route this region ships, most pressing first: the operator's
 * choices, then failures that need the operator (a stopped scan), then what
 * clears by itself (Kafka retries, a running scan), then what the destination
 * says, then a scan that skipped records.
 */
export function sourceHealth(i: SourceInput): RouteHealth {
  const { ship, destination: dest } = i;
  if (!i.spec.enabled || i.intent === 'disabled') return health('disabled', 'disabled by its definition (enabled: false)', null, ship?.scan ?? null, dest);
  if (ship === undefined) return health('starting', 'the shipper has not started yet', null, null, dest);
  const scan = ship.scan;
  const pending = scan !== null && scan.acknowledged_at_ms === null ? scan : null;
  if (ship.state === 'stopped') return health('stopped', 'the shipper stopped (the gateway is shutting down)', null, scan, dest);
  if (pending?.status === 'failed') {
    const e = pending.error;
    return health('error', `${pending.why} stopped after ${scanWords(pending)}${e === null ? '' : `: ${e.code}: ${e.message}`}; rewind again, or resume to acknowledge`, e, scan, dest);
  }
  if (i.intent === 'paused' || ship.state === 'paused') return health('paused', 'paused by the operator; changes wait in the change log', null, scan, dest);
  if (ship.state === 'failed') {
    const e = ship.last_error;
    return health('failed', `shipping stopped on an error a retry does not fix${e === null ? '' : `: ${e.code}: ${e.message}`}; fix it, then resume the route`, e, scan, dest);
  }
  if (ship.state === 'retrying') {
    const e = ship.last_error;
    return health('retrying', `sends to Kafka fail and are retried${e === null ? '' : `: ${e.code}: ${e.message}`}`, e, scan, dest);
  }
  if (ship.state === 'recovering' && scan !== null) return health('recovering', `${scan.why} in progress: ${scanWords(scan)}`, null, scan, dest);
  if (dest.status === 'not_receiving') return health('erroring', `${dest.region} does not receive it: ${dest.reason ?? 'no reason given'}`, dest.error, scan, dest);
  if (dest.errors_recent) return health('erroring', applyingErrors(dest), dest.errors?.last ?? null, scan, dest);
  if (pending !== null && pending.unreadable > 0) {
    const e = note('SHIP_ERR_SCAN_UNREADABLE', `${pending.why} completed with ${pending.unreadable} unreadable records (skipped, not shipped; digests in the log): ${scanWords(pending)}`, pending.ended_at_ms ?? pending.started_at_ms);
    return health('incomplete', `${e.message}; restore them from a peer region, then resume to acknowledge`, e, scan, dest);
  }
  if (ship.state === 'starting') return health('starting', 'the shipper is opening its cursor and topic', null, scan, dest);
  return health(ship.state, dest.status === 'not_reporting' || dest.status === 'unknown' ? `destination: ${dest.reason ?? dest.status}` : null, null, scan, dest);
}

/**
 * The state of a route this region receives, from its own report: what the
 * source's operator asked (paused, disabled), then whether it receives and applies.
 */
export function receivingHealth(intent: RouteIntent, spec: RouteSpec, own: DestinationReport, rules: HealthRules = HEALTH_RULES): RouteHealth {
  const view = viewOfReport(own, rules);
  if (view.status === 'not_receiving') return health('erroring', `not receiving: ${view.reason ?? 'no reason given'}`, view.error, null, view);
  if (view.errors_recent) return health('erroring', applyingErrors(view).replace(`${view.region} fails`, 'failing'), view.errors?.last ?? null, null, view);
  if (!spec.enabled || intent === 'disabled') return health('disabled', 'disabled at its source', null, null, view);
  if (intent === 'paused') return health('paused', 'paused at its source', null, null, view);
  if (view.status === 'starting') return health('starting', 'the consumer is joining its group', null, null, view);
  return health('running', null, null, null, view);
}

/** Without figures (a gateway without replication, or a route not started): what the operator asked. */
export function intentHealth(intent: RouteIntent, spec: RouteSpec): RouteHealth {
  if (!spec.enabled || intent === 'disabled') return health('disabled', null, null, null, null);
  return health(intent, null, null, null, null);
}
