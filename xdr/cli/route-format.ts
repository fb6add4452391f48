/**
 * `xdrgate route list` rendering: one table line per route, then what needs
 * words (why a route is not plainly running, what its destination says, how
 * its last scan went). Pure, so it is unit-tested without a gateway.
 */
import type { RouteStatus } from '../routes/index.js';
import { destinationWords } from './lag-format.js';

function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '?' : new Date(ms).toISOString();
}

function scanLine(r: RouteStatus): string | null {
  const s = r.scan;
  if (s === null) return null;
  const of = s.total === null ? '' : ` of ${s.total}`;
  const unreadable = s.unreadable > 0 ? `, ${s.unreadable} unreadable (skipped: ${s.unreadable_digests.join(', ')}${s.unreadable > s.unreadable_digests.length ? ', …' : ''})` : '';
  const end = s.status === 'running' ? 'running' : `${s.status} at ${when(s.ended_at_ms)}`;
  const ack = s.acknowledged_at_ms !== null ? `, acknowledged at ${when(s.acknowledged_at_ms)}` : '';
  const error = s.error === null ? '' : `; ${s.error.code}: ${s.error.message}`;
  return `${s.why}${s.include_origin ? ' (include-origin)' : ''}: ${s.shipped}${of} shipped${unreadable}; ${end}${ack}${error}`;
}

/** The detail lines of one route (empty when it runs without remarks). */
export function routeRemarks(r: RouteStatus): string[] {
  const lines: string[] = [];
  if (r.state !== 'running' || r.reason !== null) lines.push(`state: ${r.state}${r.error ? ` (${r.error.code})` : ''}${r.reason ? ` — ${r.reason}` : ''}`);
  const d = r.destination;
  if (d !== null && r.role === 'source' && d.status !== 'receiving') lines.push(`destination: ${destinationWords(d)}${d.reason ? ` (${d.reason})` : ''}`);
  if (d?.errors && (d.errors.dead_lettered > 0 || d.errors.resolver_errors > 0 || d.errors.apply_retries > 0)) {
    const e = d.errors;
    lines.push(`applying errors${r.role === 'source' ? ` in ${d.region}` : ''}: ${e.dead_lettered} dead-lettered, ${e.resolver_errors} resolver errors, ${e.apply_retries} apply retries${e.last ? `; last ${e.last.code} at ${when(e.last.at_ms)}: ${e.last.message}` : ''}`);
  }
  const scan = scanLine(r);
  if (scan !== null && (r.scan!.status !== 'completed' || r.scan!.unreadable > 0)) lines.push(scan);
  return lines;
}

export function renderRouteList(routes: readonly RouteStatus[]): string {
  const rows = routes.map((r) => [
    r.spec.name,
    `${r.spec.source} → ${r.spec.destination}`,
    r.spec.namespace,
    r.spec.resolver,
    r.role,
    r.state,
    r.role === 'source' ? destinationWords(r.destination) : r.destination ? `${destinationWords(r.destination)} (here)` : '-',
  ]);
  const header = ['NAME', 'DIRECTION', 'NAMESPACE', 'RESOLVER', 'ROLE', 'STATE', 'DESTINATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const out = [header, ...rows].map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of routes) {
    const lines = routeRemarks(r);
    if (lines.length > 0) out.push('', r.spec.name, ...lines.map((l) => `  ${l}`));
  }
  return out.join('\n');
}
