/**
 * Evaluates the alert rules (rules.ts) against a gateway's figures, once per
 * observation. Pure apart from the short history it keeps for the rules that
 * look back (in_queue growing, dead letters in a window) and the time each
 * alert began: time comes in with each observation, so tests replay any
 * sequence.
 */
import type { NamespaceHealth } from '../metrics/namespace-health.js';
import { ALERT_RULES, RULE_INFO, type AlertRule, type AlertSeverity, type AlertThresholds } from './rules.js';

export interface AlertInput {
  nowMs: number;
  /** Routes this region ships. */
  ship: ReadonlyArray<{ route: string; lag_ms: number; in_queue: number; state?: string }>;
  /** Routes this region receives; `state` as this region derives it (a route paused at its source sends no heartbeats). */
  receive: ReadonlyArray<{ route: string; last_seen_age_ms: number; dead_lettered: number; clock_offset_ms?: number; state?: string }>;
  namespaces: readonly NamespaceHealth[];
}

export interface Alert {
  rule: AlertRule;
  severity: AlertSeverity;
  /** What it is about: a route name or a namespace name. */
  target: string;
  kind: 'route' | 'namespace';
  /** The figure the rule compared, in `unit`. */
  value: number;
  threshold: number;
  unit: string;
  /** Unix ms the alert began firing (kept while it fires). */
  since_ms: number;
  message: string;
}

export interface AlertsSnapshot {
  /** Firing alerts, critical first, then oldest first. */
  firing: Alert[];
  /** Every rule with its threshold, and whether this deployment turned it off. */
  rules: Array<{ rule: AlertRule; severity: AlertSeverity; summary: string; threshold: number; unit: string; enabled: boolean }>;
  /** Times each rule began firing since the gateway started (a counter). */
  fired_total: Record<AlertRule, number>;
  /** Unix ms of the last evaluation (0: none yet). */
  evaluated_ms: number;
}

/** Observations kept per route and rule: a bound whatever the window and the rate. */
const HISTORY_MAX = 2048;

type Point = [atMs: number, value: number];

class Series {
  readonly points: Point[] = [];
  /** Adds a point; drops points older than `windowMs` except the newest one before it (the window's start). A fall of a counter (a restart) starts over. */
  add(atMs: number, value: number, windowMs: number, counter: boolean): void {
    const last = this.points.at(-1);
    if (last !== undefined && (atMs < last[0] || (counter && value < last[1]))) this.points.length = 0;
    this.points.push([atMs, value]);
    while (this.points.length > 2 && (atMs - this.points[1]![0] >= windowMs || this.points.length > HISTORY_MAX)) this.points.shift();
  }
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export class AlertEvaluator {
  private readonly inQueue = new Map<string, Series>();
  private readonly deadLetters = new Map<string, Series>();
  private readonly since = new Map<string, number>();
  private readonly fired = Object.fromEntries(ALERT_RULES.map((r) => [r, 0])) as Record<AlertRule, number>;
  private firing: Alert[] = [];
  private evaluatedMs = 0;

  constructor(readonly thresholds: AlertThresholds) {}

  /** Evaluates every enabled rule against `input`; returns what fires now. */
  observe(input: AlertInput): Alert[] {
    const t = this.thresholds;
    const now = input.nowMs;
    const found: Array<Omit<Alert, 'since_ms' | 'severity' | 'threshold' | 'unit'>> = [];
    const on = (rule: AlertRule) => !t.disabled.includes(rule);
    for (const r of input.ship) {
      if (on('xdr_lag') && r.lag_ms > t.xdrLagMs) {
        found.push({ rule: 'xdr_lag', target: r.route, kind: 'route', value: round(r.lag_ms / 1000), message: `route ${r.route} lags ${round(r.lag_ms / 1000)} s${r.state && r.state !== 'running' ? ` (${r.state})` : ''}` });
      }
      const q = series(this.inQueue, r.route);
      q.add(now, r.in_queue, t.inQueueGrowingMs, false);
      const growingMs = growingForMs(q.points);
      if (on('in_queue_growing') && growingMs >= t.inQueueGrowingMs) {
        found.push({ rule: 'in_queue_growing', target: r.route, kind: 'route', value: round(growingMs / 1000), message: `route ${r.route}: in_queue grew from ${q.points[0]![1]} to ${r.in_queue} over ${round(growingMs / 1000, 0)} s` });
      }
    }
    for (const r of input.receive) {
      const missingMs = t.heartbeatsMissed * t.heartbeatIntervalMs;
      const heldBack = r.state === 'paused' || r.state === 'disabled' || r.state === 'stopped';
      if (on('heartbeats_missing') && !heldBack && r.last_seen_age_ms > missingMs) {
        found.push({ rule: 'heartbeats_missing', target: r.route, kind: 'route', value: round(r.last_seen_age_ms / 1000), message: `route ${r.route}: nothing arrived from its source for ${round(r.last_seen_age_ms / 1000)} s` });
      }
      const d = series(this.deadLetters, r.route);
      d.add(now, r.dead_lettered, t.deadLettersWindowMs, true);
      const recent = r.dead_lettered - d.points[0]![1];
      if (on('dead_letters') && recent > 0) {
        found.push({ rule: 'dead_letters', target: r.route, kind: 'route', value: recent, message: `route ${r.route}: ${recent} message(s) dead-lettered in the last ${round((now - d.points[0]![0]) / 1000, 0)} s` });
      }
      const limitMs = (t.maxClockOffsetMs * t.clockOffsetPct) / 100;
      if (on('clock_offset') && r.clock_offset_ms !== undefined && Math.abs(r.clock_offset_ms) > limitMs) {
        found.push({ rule: 'clock_offset', target: r.route, kind: 'route', value: round(r.clock_offset_ms / 1000, 2), message: `route ${r.route}: the source's clock is ${round(r.clock_offset_ms / 1000, 2)} s off this one (max-clock-offset ${t.maxClockOffsetMs / 1000} s)` });
      }
    }
    prune(this.inQueue, input.ship.map((r) => r.route));
    prune(this.deadLetters, input.receive.map((r) => r.route));
    for (const n of input.namespaces) found.push(...namespaceAlerts(n, t).filter((a) => on(a.rule)));
    this.firing = this.stamp(found, now);
    this.evaluatedMs = now;
    return this.firing;
  }

  snapshot(): AlertsSnapshot {
    const t = this.thresholds;
    return {
      firing: this.firing,
      rules: ALERT_RULES.map((rule) => {
        const { value: threshold, unit } = RULE_INFO[rule].threshold(t);
        return { rule, severity: RULE_INFO[rule].severity, summary: RULE_INFO[rule].summary, threshold, unit, enabled: !t.disabled.includes(rule) };
      }),
      fired_total: { ...this.fired },
      evaluated_ms: this.evaluatedMs,
    };
  }

  /** Adds severity, threshold and the time each alert began; counts the ones that begin now. */
  private stamp(found: Array<Omit<Alert, 'since_ms' | 'severity' | 'threshold' | 'unit'>>, now: number): Alert[] {
    const keys = new Set<string>();
    const out = found.map((a): Alert => {
      const key = `${a.rule}\u0000${a.target}`;
      keys.add(key);
      let since = this.since.get(key);
      if (since === undefined) {
        since = now;
        this.since.set(key, since);
        this.fired[a.rule]++;
      }
      const { value: threshold, unit } = RULE_INFO[a.rule].threshold(this.thresholds);
      return { ...a, severity: RULE_INFO[a.rule].severity, threshold, unit, since_ms: since };
    });
    for (const key of [...this.since.keys()]) if (!keys.has(key)) this.since.delete(key);
    return out.sort((a, b) => (a.severity === b.severity ? a.since_ms - b.since_ms : a.severity === 'critical' ? -1 : 1));
  }
}

function series(map: Map<string, Series>, key: string): Series {
  let s = map.get(key);
  if (s === undefined) map.set(key, (s = new Series()));
  return s;
}

function prune(map: Map<string, Series>, keep: readonly string[]): void {
  for (const key of [...map.keys()]) if (!keep.includes(key)) map.delete(key);
}

/** How long the values have risen without a fall, ending above where they started (0 when they did not). */
export function growingForMs(points: readonly Point[]): number {
  if (points.length < 2) return 0;
  for (let i = 1; i < points.length; i++) if (points[i]![1] < points[i - 1]![1]) return 0;
  const first = points[0]!;
  const last = points.at(-1)!;
  return last[1] > first[1] ? last[0] - first[0] : 0;
}

function namespaceAlerts(n: NamespaceHealth, t: AlertThresholds): Array<Omit<Alert, 'since_ms' | 'severity' | 'threshold' | 'unit'>> {
  const out: Array<Omit<Alert, 'since_ms' | 'severity' | 'threshold' | 'unit'>> = [];
  const ns = (rule: AlertRule, value: number, message: string) => out.push({ rule, target: n.ns, kind: 'namespace', value, message });
  if (n.latency.read.count > 0 && n.latency.read.p99_ms > t.readP99Ms) ns('read_p99', n.latency.read.p99_ms, `namespace ${n.ns}: read P99 ${n.latency.read.p99_ms} ms over the last 10-20 s`);
  if (n.latency.write.count > 0 && n.latency.write.p99_ms > t.writeP99Ms) ns('write_p99', n.latency.write.p99_ms, `namespace ${n.ns}: write P99 ${n.latency.write.p99_ms} ms over the last 10-20 s`);
  if (n.memory_used_pct > t.memoryUsedPct) ns('memory_used_pct', n.memory_used_pct, `namespace ${n.ns}: memory_used_pct ${n.memory_used_pct} %`);
  if (n.storage_used_pct > t.storageUsedPct) ns('storage_used_pct', n.storage_used_pct, `namespace ${n.ns}: storage_used_pct ${n.storage_used_pct} %`);
  if (n.stop_writes) ns('stop_writes', 1, `namespace ${n.ns} refuses writes: stop-writes reached (storage ${n.storage_used_pct} % used)`);
  return out;
}
