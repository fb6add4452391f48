/** The telemetry bus over Redis (docs/observability.md): route samples per region, streamed and published. */
export { Telemetry, type TelemetryView, type TelemetryStatus, type HistoryResult } from './bus.js';
export { TELEMETRY_DEFAULTS, resolveTelemetryOptions, streamKey, liveChannel, type TelemetryOptions } from './options.js';
export { buildSample, parseSample, SAMPLE_VERSION, type TelemetrySample, type RecvSample, type ShipSample } from './sample.js';
