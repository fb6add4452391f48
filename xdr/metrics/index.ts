/** Prometheus metrics of a gateway (docs/observability.md): one Registry per gateway, read from the live stats. */
export { createGatewayMetrics, type GatewayMetrics, type MetricsOptions } from './registry.js';
export { ALL_FAMILIES, type Family, type Snapshot } from './families.js';
export { replicationFigures, namespaceFigures, type StatsSource, type ReplicationFigures, type HttpFigures, type RouteHealthRow, type ServiceFigures } from './source.js';
export { registerMetricsRoute } from './route.js';
