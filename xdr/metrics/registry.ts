/**
 * One prom-client Registry per gateway. Every family reads the live stats in a
 * collect callback at scrape time (no counters kept twice); one scrape reads
 * the stats once, however many families it renders.
 */
import os from 'node:os';
import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricValue } from 'prom-client';
import { ALL_FAMILIES, type Family, type Snapshot } from './families.js';
import { healthReader, type StatsSource } from './source.js';
import { HISTOGRAM_FAMILIES, histogramMetric } from './histograms.js';

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, heap, event-loop lag) as xdrgate_process_* and xdrgate_nodejs_*. @default true */
  processMetrics?: boolean;
  /** A snapshot younger than this is reused by the other families of the same scrape. @default 250 */
  snapshotMaxAgeMs?: number;
  /** @default Date.now */
  nowMs?: () => number;
  /** Base of memory_used_pct. @default os.totalmem() */
  hostMemoryBytes?: number;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The Prometheus text exposition of every family. */
  render(): Promise<string>;
}

const QUANTILES = [
  ['0.5', 'p50_ms'],
  ['0.9', 'p90_ms'],
  ['0.99', 'p99_ms'],
] as const;

/**
 * The receiver keeps its lag histogram at 1 ms resolution and reports quantiles,
 * which is what a Prometheus summary is: quantile series plus _sum and _count.
 */
function replicationLagSummary(snapshot: () => Snapshot): { name: string; get(): unknown } {
  const name = 'xdrgate_xdr_replication_lag_seconds';
  return {
    name,
    get() {
      const values: Array<MetricValue<string> & { metricName?: string }> = [];
      for (const r of snapshot().receive) {
        const labels = { route: r.route, resolver: r.resolver };
        for (const [q, field] of QUANTILES) values.push({ labels: { ...labels, quantile: q }, value: r.lag[field] / 1000 });
        values.push({ metricName: `${name}_sum`, labels, value: r.lag.sum_ms / 1000 });
        values.push({ metricName: `${name}_count`, labels, value: r.lag.count });
      }
      return { name, help: 'End-to-end replication lag: apply time in this region - write time in the source region (1 ms resolution).', type: 'summary', values, aggregator: 'sum' };
    },
  };
}

function register(registry: Registry, family: Family, snapshot: () => Snapshot): void {
  const common = { name: family.name, help: family.help, labelNames: family.labels, registers: [registry] };
  if (family.kind === 'gauge') {
    new Gauge({
      ...common,
      collect() {
        // Reset first: a removed route's series must disappear, not freeze.
        this.reset();
        for (const [labels, value] of family.rows(snapshot())) if (Number.isFinite(value)) this.set(labels, value);
      },
    });
  } else {
    new Counter({
      ...common,
      collect() {
        this.reset();
        for (const [labels, value] of family.rows(snapshot())) if (Number.isFinite(value) && value >= 0) this.inc(labels, value);
      },
    });
  }
}

export function createGatewayMetrics(source: StatsSource, options: MetricsOptions = {}): GatewayMetrics {
  const nowMs = options.nowMs ?? Date.now;
  const maxAgeMs = options.snapshotMaxAgeMs ?? 250;
  const hostMemoryBytes = options.hostMemoryBytes ?? os.totalmem();
  const health = source.health ? () => source.health!() : healthReader(() => source.namespaces(), hostMemoryBytes, nowMs);
  let cached: { atMs: number; value: Snapshot } | undefined;
  const snapshot = (): Snapshot => {
    const now = nowMs();
    if (cached === undefined || now - cached.atMs > maxAgeMs) {
      const replication = source.replication();
      cached = { atMs: now, value: { ship: replication.ship, receive: replication.receive, antiEntropy: replication.antiEntropy ?? [], routes: source.routes?.() ?? [], namespaces: source.namespaces(), health: health(), http: source.http(), httpLatency: source.httpLatency?.() ?? [], service: source.service?.() ?? null, hostMemoryBytes, alerts: source.alerts?.() ?? null } };
    }
    return cached.value;
  };
  const registry = new Registry();
  registry.setDefaultLabels({ region: source.region });
  for (const family of ALL_FAMILIES) register(registry, family, snapshot);
  registry.registerMetric(replicationLagSummary(snapshot) as never);
  for (const family of HISTOGRAM_FAMILIES) registry.registerMetric(histogramMetric(family, snapshot) as never);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'xdrgate_' });
  return {
    registry,
    contentType: registry.contentType,
    async render() {
      cached = undefined; // every scrape sees fresh figures
      return await registry.metrics();
    },
  };
}
