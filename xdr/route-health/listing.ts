/**
 * Routes as listed with their health, turned into the other views' rows.
 *
 * GET /v1/xdr/lag: the pipeline's lag rows with each route's state as operators
 * read it everywhere. A ship row's `state` is the route's state (xdr/route-health
 * ROUTE_STATES), its shipping loop's own is `ship_state`; routes without figures
 * (disabled, or refused by this region as their destination) get a row too, so
 * nothing wrong with a route is missing from the lag view. Pure.
 */
import type { RouteHealth } from './derive.js';

/** A route as the route manager lists it (name and role are all this needs besides its health). */
export type HealthListing = RouteHealth & { spec: { name: string }; role: 'source' | 'destination' | 'none' };

type LagRow = Record<string, unknown> & { route: string; role: 'ship' | 'receive' };

function isLagRow(v: unknown): v is LagRow {
  const r = v as Partial<LagRow> | null;
  return r !== null && typeof r === 'object' && typeof r.route === 'string' && (r.role === 'ship' || r.role === 'receive');
}

function healthFields(h: RouteHealth): Record<string, unknown> {
  return { state: h.state, reason: h.reason, error: h.error, destination: h.destination };
}

export function lagWithHealth(rows: unknown, routes: readonly HealthListing[]): Array<Record<string, unknown>> {
  const list = Array.isArray(rows) ? rows.filter(isLagRow) : [];
  const byRole = (role: HealthListing['role']) => new Map(routes.filter((r) => r.role === role).map((r) => [r.spec.name, r]));
  const sources = byRole('source');
  const destinations = byRole('destination');
  const out: Array<Record<string, unknown>> = [];
  const seen = { ship: new Set<string>(), receive: new Set<string>() };
  for (const row of list) {
    seen[row.role].add(row.route);
    const h = (row.role === 'ship' ? sources : destinations).get(row.route);
    if (h === undefined) out.push(row);
    else if (row.role === 'ship') out.push({ ...row, ship_state: row.state, ...healthFields(h), scan: h.scan });
    else out.push({ ...row, ...healthFields(h) });
  }
  for (const [name, h] of sources) if (!seen.ship.has(name)) out.push({ route: name, role: 'ship', ...healthFields(h), scan: h.scan });
  for (const [name, h] of destinations) if (!seen.receive.has(name)) out.push({ route: name, role: 'receive', ...healthFields(h) });
  return out;
}

/** One row per route this region ships or receives, for /metrics and telemetry samples. */
export function healthRows(routes: readonly HealthListing[]): Array<{ route: string; role: 'source' | 'destination'; health: RouteHealth }> {
  return routes
    .filter((r): r is HealthListing & { role: 'source' | 'destination' } => r.role !== 'none')
    .map((r) => ({ route: r.spec.name, role: r.role, health: { state: r.state, reason: r.reason, error: r.error, scan: r.scan, destination: r.destination } }));
}
