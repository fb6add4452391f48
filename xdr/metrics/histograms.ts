/**
 * The latency histograms of /metrics: Prometheus histograms (cumulative
 * `_bucket{le}`, `_sum`, `_count`) whose buckets double from 2^16 ns
 * (≈65.5 µs) to 2^33 ns (≈8.6 s), as Aerospike's latency histograms do.
 * Nothing is observed twice: each reads, at scrape time, the log-linear
 * histogram its owner already keeps (the service port per command, the HTTP
 * server per route, the engine per operation), whose bucket bounds include
 * those powers of two, so the counts are exact. Heatmaps and
 * histogram_quantile() work on them; the quantile gauges beside them stay.
 */
import { EXPORT_EXPONENT_FIRST, EXPORT_EXPONENT_LAST, type LatencyBuckets, type OpTypeSnapshot } from '../../engine/index.js';
import type { Snapshot } from './families.js';

/** The `le` label of each bucket, in seconds ("6.5536e-05" ... "8.589934592"), computed once. */
export const BUCKET_LE: readonly string[] = Array.from({ length: EXPORT_EXPONENT_LAST - EXPORT_EXPONENT_FIRST + 1 }, (_, i) => String(2 ** (EXPORT_EXPONENT_FIRST + i) / 1e9));

type Labels = Record<string, string>;
type Value = { metricName: string; labels: Labels; value: number };

export interface HistogramFamily {
  name: string;
  help: string;
  rows(s: Snapshot): Array<[Labels, LatencyBuckets]>;
}

/** The sample lines of one histogram series. */
export function histogramValues(name: string, labels: Labels, b: LatencyBuckets): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < BUCKET_LE.length; i++) out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: BUCKET_LE[i]! }, value: b.below[i] ?? 0 });
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: b.count });
  out.push({ metricName: `${name}_sum`, labels, value: b.sumNs / 1e9 });
  out.push({ metricName: `${name}_count`, labels, value: b.count });
  return out;
}

export const HISTOGRAM_FAMILIES: HistogramFamily[] = [
  {
    name: 'xdrgate_service_request_duration_seconds',
    help: 'Aerospike service-port request latency (arrival to reply ready), by command; buckets double from 2^16 ns (65.5 µs) to 2^33 ns (8.6 s).',
    rows: (s) => (s.service === null ? [] : Object.entries(s.service.commands).filter(([, c]) => c.buckets.count > 0).map(([command, c]) => [{ command }, c.buckets])),
  },
  {
    name: 'xdrgate_http_request_duration_seconds',
    help: 'HTTP request latency (request received to response sent), by method and route pattern ("unmatched" for 404s); buckets double from 65.5 µs to 8.6 s.',
    rows: (s) => s.httpLatency.map((r) => [{ method: r.method, route: r.route }, r.buckets]),
  },
  {
    name: 'xdrgate_namespace_op_duration_seconds',
    help: 'Engine latency per operation type (read, write, delete, touch, operate, batch, scan, query, apply) since start; buckets double from 65.5 µs to 8.6 s.',
    rows: (s) =>
      s.namespaces.flatMap((n) =>
        // engine.stats(ns) merges the per-operation figures in; the snapshot type names only the namespace's own.
        Object.entries((n as { ops?: Partial<Record<string, OpTypeSnapshot>> }).ops ?? {})
          .filter(([, o]) => o?.buckets !== undefined && o.buckets.count > 0)
          .map(([op, o]): [Labels, LatencyBuckets] => [{ ns: n.ns, op }, o!.buckets!]),
      ),
  },
];

/** A prom-client custom metric (as the lag summary): read at scrape time from the shared snapshot. */
export function histogramMetric(family: HistogramFamily, snapshot: () => Snapshot): { name: string; get(): unknown } {
  return {
    name: family.name,
    get() {
      const values = family.rows(snapshot()).flatMap(([labels, b]) => histogramValues(family.name, labels, b));
      return { name: family.name, help: family.help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}
