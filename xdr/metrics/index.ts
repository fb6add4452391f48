/** Prometheus metrics of a gateway (docs/observability.md): one Registry per gateway, read from the live stats. */
export { createGatewayMetrics, type GatewayMetrics, type MetricsOptions } from './registry.js';
export { ALL_FAMILIES, type Family, type Snapshot } from './families.js';
export { LATENCY_OPS, NamespaceRates, namespaceHealth, namespacesHealth, memoryUsedPct, type LatencyOp, type LatencyFigures, type NamespaceHealth } from './namespace-health.js';
export { healthReader, replicationFigures, namespaceFigures, type StatsSource, type ReplicationFigures, type HttpFigures, type HttpLatencyFigures, type RouteHealthRow, type ServiceFigures } from './source.js';
export { registerMetricsRoute } from './route.js';
export { BUCKET_LE, HISTOGRAM_FAMILIES, histogramValues, type HistogramFamily } from './histograms.js';
