/**
 * `xdrgate lag` rendering: the figures of /dashboard/api/now as plain text
 * tables, one block per region. Pure, so it is unit-tested without a gateway.
 */
import type { DestinationView } from '../route-health/index.js';
import type { TelemetrySample } from '../telemetry/index.js';

export interface LagSnapshot {
  region: string;
  regions: string[];
  now_ms: number;
  from: 'redis' | 'local';
  telemetry: { redis: boolean; published: number; skipped: number; lastError?: string };
  latest: Record<string, TelemetrySample | null>;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** A destination's status in a few words (`-` when a sample of an older gateway has none). */
export function destinationWords(d: DestinationView | null | undefined): string {
  return d ? d.status.replace('_', ' ') : '-';
}

/** Lines under a region's tables for each route whose state needs a word (anything but plain running). */
function remarks(sample: TelemetrySample): string[] {
  const out: string[] = [];
  for (const r of sample.ship) {
    const lines = [r.reason, r.destination && r.destination.status !== 'receiving' && r.destination.reason !== r.reason ? `destination: ${destinationWords(r.destination)} (${r.destination.reason ?? 'no reason given'})` : null].filter((x): x is string => !!x);
    if (r.state !== 'running' || lines.length > 0) out.push(`  ${r.route}: ${r.state}${r.error ? ` [${r.error.code}]` : ''}${lines.length > 0 ? ` — ${lines.join('; ')}` : ''}`);
  }
  for (const r of sample.receive) {
    if (r.state !== undefined && r.state !== 'running') out.push(`  ${r.route} (received): ${r.state}${r.error ? ` [${r.error.code}]` : ''}${r.reason ? ` — ${r.reason}` : ''}`);
  }
  return out;
}

export function renderLag(s: LagSnapshot): string {
  const out: string[] = [];
  const when = new Date(s.now_ms).toISOString().replace('T', ' ').slice(0, 19);
  out.push(`xdrgate lag — ${when} UTC — asked ${s.region}; telemetry ${s.telemetry.redis ? 'via Redis (all regions)' : 'Redis unreachable: this region only'}`);
  for (const region of s.regions) {
    const sample = s.latest[region];
    out.push('');
    if (!sample) {
      out.push(`[${region}] no recent sample (gateway down, or Redis unreachable)`);
      continue;
    }
    out.push(`[${region}] sample ${Math.max(0, Math.round((s.now_ms - sample.ts_ms) / 1000))} s old`);
    if (sample.ship.length > 0) {
      out.push(
        renderTable(
          ['ships route', 'state', 'lag_s', 'in_queue', 'in_progress', 'success', 'rec/s', 'latency_ms', 'retries', 'abandoned', 'recoveries', 'hot_keys', 'destination'],
          sample.ship.map((r) => [r.route, r.state, n(r.lag_ms / 1000, 1), n(r.in_queue), n(r.in_progress), n(r.success), n(r.throughput), n(r.latency_ms, 1), n(r.retries), n(r.abandoned), n(r.recoveries), n(r.hot_keys), destinationWords(r.destination)]),
        ),
      );
    }
    if (sample.receive.length > 0) {
      out.push(
        renderTable(
          ['receives route', 'resolver', 'applied', 'won', 'lost', 'dead_letter', 'offset_lag', 'p50_ms', 'p90_ms', 'p99_ms', 'max_ms', 'seen_s_ago', 'state'],
          sample.receive.map((r) => [r.route, r.resolver, n(r.applied), n(r.conflicts_won), n(r.conflicts_lost), n(r.dead_lettered), n(r.offset_lag), n(r.lag_p50_ms), n(r.lag_p90_ms), n(r.lag_p99_ms), n(r.lag_max_ms), r.last_seen_age_ms < 0 ? '-' : n(r.last_seen_age_ms / 1000, 1), r.state ?? '-']),
        ),
      );
    }
    out.push(...remarks(sample));
    if (sample.ship.length === 0 && sample.receive.length === 0) out.push('(no routes)');
  }
  return out.join('\n');
}
