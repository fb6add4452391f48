/**
 * `xdrgate stats`, `latencies` and `alerts` rendering, for people used to
 * asadm's `summary`, `show latencies` and asinfo: short tables of the seed's
 * figures per namespace and of what fires. Pure, so it is unit-tested without a gateway.
 */
import type { Alert, AlertsSnapshot } from '../alerts/index.js';
import { LATENCY_OPS, type NamespaceHealth } from '../metrics/index.js';
import { renderTable } from './lag-format.js';

/** The parts of GET /v1/stats these views read. */
export interface StatsBody {
  region: { name: string; id: number };
  uptimeSec: number;
  health?: NamespaceHealth[];
  routes?: Array<{ name: string; role: string; state: string; reason: string | null }>;
}

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function pick(health: readonly NamespaceHealth[], ns: string | undefined): NamespaceHealth[] {
  if (ns === undefined) return [...health];
  const found = health.filter((h) => h.ns === ns);
  if (found.length === 0) throw new Error(`namespace ${ns} is not in this region (it has: ${health.map((h) => h.ns).join(', ') || 'none'})`);
  return found;
}

/** `xdrgate stats`: one line per namespace, then the routes. */
export function renderStats(body: StatsBody, ns?: string): string {
  if (body.health === undefined) return `${body.region.name}: this gateway reports no namespace health (it runs without observability)`;
  const rows = pick(body.health, ns).map((h) => [
    h.ns, h.storage_engine, n(h.objects), `${n(h.client_read_success)}/${n(h.client_read_error)}`, `${n(h.client_write_success)}/${n(h.client_write_error)}/${n(h.client_write_refused)}`,
    n(h.device_read_tps, 1), n(h.device_write_tps, 1), n(h.memory_used_pct, 2), n(h.storage_used_pct, 2), h.stop_writes ? 'YES' : 'no',
  ]);
  const out = [
    `${body.region.name} (region ${body.region.id}) · up ${body.uptimeSec} s`,
    renderTable(['namespace', 'engine', 'objects', 'reads ok/err', 'writes ok/err/refused', 'read/s', 'write/s', 'memory %', 'storage %', 'stop-writes'], rows),
  ];
  if (ns === undefined && body.routes !== undefined && body.routes.length > 0) {
    out.push('', renderTable(['route', 'role', 'state', 'reason'], body.routes.map((r) => [r.name, r.role, r.state, r.reason ?? ''])));
  }
  out.push('', 'refused: writes the write policy refused (exists: create on an existing record, generation check); not engine errors.');
  return out.join('\n');
}

/** `xdrgate latencies`: asadm's `show latencies` over the recent window (10 to 20 s). */
export function renderLatencies(body: StatsBody, ns?: string): string {
  if (body.health === undefined) return `${body.region.name}: this gateway reports no latencies (it runs without observability)`;
  const rows: string[][] = [];
  for (const h of pick(body.health, ns)) {
    for (const op of LATENCY_OPS) {
      const l = h.latency[op];
      rows.push([h.ns, op, n(l.count), l.count > 0 ? n(l.p50_ms, 3) : '-', l.count > 0 ? n(l.p90_ms, 3) : '-', l.count > 0 ? n(l.p99_ms, 3) : '-']);
    }
  }
  return [`${body.region.name}: engine latency over the last 10-20 s`, renderTable(['namespace', 'op', 'ops', 'p50 ms', 'p90 ms', 'p99 ms'], rows)].join('\n');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function alertLine(a: Alert, nowMs: number): string[] {
  return [a.severity.toUpperCase(), a.rule, a.target, a.message, `${clock(a.since_ms)} (${n((nowMs - a.since_ms) / 1000)} s)`];
}

/** `xdrgate alerts`: what fires, then every rule and its threshold. */
export function renderAlerts(body: AlertsSnapshot & { region: string }, nowMs: number): string {
  const out = [body.firing.length === 0 ? `${body.region}: no alert firing` : `${body.region}: ${body.firing.length} alert(s) firing`];
  if (body.firing.length > 0) out.push(renderTable(['severity', 'rule', 'target', 'what', 'since (UTC)'], body.firing.map((a) => alertLine(a, nowMs))));
  out.push('', renderTable(['rule', 'severity', 'threshold', 'fired', 'watches'], body.rules.map((r) => [r.rule, r.severity, r.enabled ? `${r.threshold}${r.unit ? ` ${r.unit}` : ''}` : 'off', n(body.fired_total[r.rule] ?? 0), r.summary])));
  return out.join('\n');
}
