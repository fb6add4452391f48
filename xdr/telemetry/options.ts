/** Options of the telemetry bus, declared once, each with its default. */
import type { Logger } from 'pino';
import type { StatsSource } from '../metrics/index.js';

export interface TelemetryOptions {
  /** Redis of the topology (the one that carries the route catalog). */
  redisUrl: string;
  /** Prefix of the telemetry keys and channel; regions of one topology share it. @default 'xdrgate:' */
  keyPrefix?: string;
  /** Every region of the topology: whose streams the dashboard reads. */
  regions: readonly string[];
  source: StatsSource;
  logger: Logger;
  /** How often a sample is taken and published. @default 1000 */
  intervalMs?: number;
  /** Samples kept per region stream (XADD MAXLEN ~): 7200 at 1/s is two hours. @default 7200 */
  streamLengthMax?: number;
  /** One sample a minute kept per region in a second stream, for long windows (24 h). @default 1440 */
  minuteStreamLengthMax?: number;
  /** Samples of this region kept in process, for the dashboard while Redis is away. @default 900 */
  localHistoryMax?: number;
  /** Live listeners (dashboard event streams) at once. @default 64 */
  listenersMax?: number;
  /** @default Date.now */
  nowMs?: () => number;
}

export type ResolvedTelemetryOptions = Required<Omit<TelemetryOptions, 'source' | 'logger' | 'regions'>> & Pick<TelemetryOptions, 'source' | 'logger' | 'regions'>;

export const TELEMETRY_DEFAULTS = Object.freeze({
  keyPrefix: 'xdrgate:',
  intervalMs: 1000,
  streamLengthMax: 7200,
  minuteStreamLengthMax: 1440,
  localHistoryMax: 900,
  listenersMax: 64,
});

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new RangeError(`telemetry option ${name}: must be an integer between ${min} and ${max}, got ${value}`);
  return value;
}

export function resolveTelemetryOptions(o: TelemetryOptions): ResolvedTelemetryOptions {
  const d = TELEMETRY_DEFAULTS;
  return Object.freeze({
    redisUrl: o.redisUrl,
    keyPrefix: o.keyPrefix ?? d.keyPrefix,
    regions: [...o.regions],
    source: o.source,
    logger: o.logger,
    intervalMs: bounded('intervalMs', o.intervalMs ?? d.intervalMs, 50, 60_000),
    streamLengthMax: bounded('streamLengthMax', o.streamLengthMax ?? d.streamLengthMax, 10, 1_000_000),
    minuteStreamLengthMax: bounded('minuteStreamLengthMax', o.minuteStreamLengthMax ?? d.minuteStreamLengthMax, 10, 100_000),
    localHistoryMax: bounded('localHistoryMax', o.localHistoryMax ?? d.localHistoryMax, 10, 100_000),
    listenersMax: bounded('listenersMax', o.listenersMax ?? d.listenersMax, 1, 10_000),
    nowMs: o.nowMs ?? Date.now,
  });
}

export function streamKey(prefix: string, region: string): string {
  return `${prefix}telemetry:${region}`;
}

/** The downsampled stream: the first sample of each minute. */
export function minuteStreamKey(prefix: string, region: string): string {
  return `${prefix}telemetry:${region}:1m`;
}

export function liveChannel(prefix: string): string {
  return `${prefix}telemetry:live`;
}
