/**
 * The alert rules, as a table: name, severity, what fires it and its default
 * threshold (from the seed and from XDR practice). The gateway evaluates them
 * (evaluate.ts), /metrics exports them, dashboards/alerts.yml ships the same
 * rules for Prometheus, and docs/observability.md lists them. Thresholds are
 * configured per deployment under `alerts:` (docs/config.md).
 */

export const ALERT_RULES = [
  'xdr_lag',
  'in_queue_growing',
  'heartbeats_missing',
  'dead_letters',
  'read_p99',
  'write_p99',
  'memory_used_pct',
  'storage_used_pct',
  'stop_writes',
  'clock_offset',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export type AlertSeverity = 'warning' | 'critical';

/** Thresholds of the rules, with their units in their names. */
export interface AlertThresholds {
  /** A route's shipping lag above this fires xdr_lag. @default 5000 */
  xdrLagMs: number;
  /** A route's in_queue rising without a fall for this long fires in_queue_growing. @default 60000 */
  inQueueGrowingMs: number;
  /** Heartbeat intervals without a heartbeat or record that fire heartbeats_missing. @default 3 */
  heartbeatsMissed: number;
  /** The interval sources send heartbeats at (the shipper's heartbeat interval). @default 1000 */
  heartbeatIntervalMs: number;
  /** Any dead letter within this window fires dead_letters. @default 300000 */
  deadLettersWindowMs: number;
  /** Engine read P99 over the recent window above this fires read_p99. @default 5 */
  readP99Ms: number;
  /** Engine write P99 over the recent window above this fires write_p99. @default 5 */
  writeP99Ms: number;
  /** @default 80 */
  memoryUsedPct: number;
  /** @default 75 */
  storageUsedPct: number;
  /** A clock offset to a source above this share of max-clock-offset fires clock_offset. @default 80 */
  clockOffsetPct: number;
  /** The deployment's max-clock-offset (versions further ahead are dead-lettered). */
  maxClockOffsetMs: number;
  /** Rules turned off in this deployment. @default [] */
  disabled: readonly AlertRule[];
}

export const ALERT_DEFAULTS: Omit<AlertThresholds, 'maxClockOffsetMs'> = Object.freeze({
  xdrLagMs: 5000,
  inQueueGrowingMs: 60_000,
  heartbeatsMissed: 3,
  heartbeatIntervalMs: 1000,
  deadLettersWindowMs: 300_000,
  readP99Ms: 5,
  writeP99Ms: 5,
  memoryUsedPct: 80,
  storageUsedPct: 75,
  clockOffsetPct: 80,
  disabled: [],
});

export interface RuleInfo {
  severity: AlertSeverity;
  /** What the rule watches, for people (docs, `xdrgate alerts`, the console). */
  summary: string;
  /** The threshold as a number in the unit of the figure it is compared with, and that unit. */
  threshold(t: AlertThresholds): { value: number; unit: string };
}

export const RULE_INFO: Record<AlertRule, RuleInfo> = {
  xdr_lag: { severity: 'warning', summary: 'a route ships its changes late (lag)', threshold: (t) => ({ value: t.xdrLagMs / 1000, unit: 's' }) },
  in_queue_growing: { severity: 'warning', summary: "a route's backlog (in_queue) keeps growing", threshold: (t) => ({ value: t.inQueueGrowingMs / 1000, unit: 's' }) },
  heartbeats_missing: { severity: 'critical', summary: 'no heartbeat or record arrived from a source for several heartbeat intervals', threshold: (t) => ({ value: (t.heartbeatsMissed * t.heartbeatIntervalMs) / 1000, unit: 's' }) },
  dead_letters: { severity: 'critical', summary: 'messages were dead-lettered recently', threshold: (t) => ({ value: t.deadLettersWindowMs / 1000, unit: 's' }) },
  read_p99: { severity: 'warning', summary: 'engine read P99 latency is high', threshold: (t) => ({ value: t.readP99Ms, unit: 'ms' }) },
  write_p99: { severity: 'warning', summary: 'engine write P99 latency is high', threshold: (t) => ({ value: t.writeP99Ms, unit: 'ms' }) },
  memory_used_pct: { severity: 'warning', summary: 'a namespace uses much memory', threshold: (t) => ({ value: t.memoryUsedPct, unit: '%' }) },
  storage_used_pct: { severity: 'warning', summary: 'a namespace storage fills up', threshold: (t) => ({ value: t.storageUsedPct, unit: '%' }) },
  stop_writes: { severity: 'critical', summary: 'a namespace refuses writes (stop-writes)', threshold: () => ({ value: 1, unit: '' }) },
  clock_offset: { severity: 'critical', summary: "a source region's clock is near max-clock-offset from this one", threshold: (t) => ({ value: (t.maxClockOffsetMs * t.clockOffsetPct) / 100 / 1000, unit: 's' }) },
};
