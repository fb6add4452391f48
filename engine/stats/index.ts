/** The door of engine/stats: latency histograms and per-operation / per-set statistics. */
export { LatencyHistogram, BUCKETS, SUB_BITS, EXPORT_EXPONENT_FIRST, EXPORT_EXPONENT_LAST, bucketBounds, bucketOf, type LatencyBuckets, type LatencySnapshot } from './latency-histogram.js';
export { OpsStats, OP_TYPES, RECENT_WINDOW_MS, type OpOutcome, type OpType, type OpTypeSnapshot, type OpsStatsSnapshot } from './ops-stats.js';
