/**
 * The telemetry bus: every gateway takes a sample of its route figures each
 * interval, appends it to its region's Redis stream (XADD MAXLEN ~, so retention
 * is bounded) and publishes it on one channel for live views. Readers get the
 * history of every region from the streams, so one dashboard shows all regions
 * and keeps history across gateway restarts.
 *
 * Redis is optional for replication: while it is away, samples still go to the
 * in-process history and local live listeners, publishing is skipped (commands
 * fail fast: no offline queue), and ioredis reconnects on its own.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { resolveTelemetryOptions, liveChannel, minuteStreamKey, streamKey, type ResolvedTelemetryOptions, type TelemetryOptions } from './options.js';
import { Ring } from './ring.js';
import { buildSample, parseSample, type TelemetrySample } from './sample.js';

export interface TelemetryStatus {
  /** The command connection to Redis is ready. */
  redis: boolean;
  published: number;
  /** Samples not published (Redis away or a command failed). */
  skipped: number;
  lastError?: string;
}

export interface HistoryResult {
  /** Samples per region, oldest first. */
  regions: Record<string, TelemetrySample[]>;
  /** Where the samples came from: the Redis streams, or this gateway's own memory while Redis is away. */
  from: 'redis' | 'local';
}

/** What the dashboard and the CLI need of the bus (faked in unit tests). */
export interface TelemetryView {
  readonly region: string;
  readonly regions: readonly string[];
  /**
   * Newest samples after `sinceMs` per region, at most `perRegionMax` each;
   * `resolution` 'minute' reads the downsampled stream (one sample a minute, for long windows).
   */
  history(sinceMs: number, perRegionMax: number, resolution?: 'second' | 'minute'): Promise<HistoryResult>;
  /** Live samples of every region (this one in process, others through pub/sub). Returns an unsubscribe; null when too many listen already. */
  subscribe(listener: (sample: TelemetrySample) => void): (() => void) | null;
  status(): TelemetryStatus;
}

const REDIS_OPTIONS = {
  lazyConnect: true,
  // Fail fast while Redis is away instead of queueing commands without bound.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(200 * attempt, 2000),
} as const;

export class Telemetry implements TelemetryView {
  private readonly o: ResolvedTelemetryOptions;
  private readonly log: Logger;
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly local: Ring<TelemetrySample>;
  /**
   * The first sample of each minute, kept in process beside `local` under its
   * own cap (the minute stream's length): while Redis is away, the 24 h window
   * still has minute samples older than the per-second ring reaches.
   */
  private readonly localMinutes: Ring<TelemetrySample>;
  private lastLocalMinute = -1;
  private readonly listeners = new Set<(sample: TelemetrySample) => void>();
  private timer: NodeJS.Timeout | undefined;
  private publishing = false;
  /** The minute (unix ms / 60000) of the last sample appended to the minute stream. */
  private lastMinute = -1;
  private stopped = false;
  private readonly counts = { published: 0, skipped: 0 };
  private lastError: string | undefined;
  private redisWasUp: boolean | undefined;
  /** When this gateway's counters began (they all start at 0 with the process). */
  private readonly startedMs: number;

  constructor(options: TelemetryOptions) {
    this.o = resolveTelemetryOptions(options);
    this.log = this.o.logger.child({ module: 'telemetry', region: this.o.source.region });
    this.local = new Ring(this.o.localHistoryMax);
    this.localMinutes = new Ring(this.o.minuteStreamLengthMax);
    this.startedMs = this.o.nowMs();
    this.client = new Redis(this.o.redisUrl, REDIS_OPTIONS);
    this.client.on('error', (err) => this.noteError(err));
    this.client.on('ready', () => this.noteRedis(true));
    this.client.on('close', () => this.noteRedis(false));
  }

  get region(): string {
    return this.o.source.region;
  }

  get regions(): readonly string[] {
    return this.o.regions;
  }

  /** Starts sampling at once; connects in the background (never throws for an absent Redis). */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.client.connect().catch((err: unknown) => this.noteError(err as Error));
    this.startSubscriber();
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.client.disconnect();
  }

  status(): TelemetryStatus {
    return { redis: this.client.status === 'ready', ...this.counts, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /** The newest sample of this region (for tests and the CLI). */
  latest(): TelemetrySample | undefined {
    return this.local.last();
  }

  subscribe(listener: (sample: TelemetrySample) => void): (() => void) | null {
    if (this.listeners.size >= this.o.listenersMax) return null;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async history(sinceMs: number, perRegionMax: number, resolution: 'second' | 'minute' = 'second'): Promise<HistoryResult> {
    const minute = resolution === 'minute';
    const count = Math.max(1, Math.min(perRegionMax, minute ? this.o.minuteStreamLengthMax : this.o.streamLengthMax));
    if (this.client.status === 'ready') {
      try {
        return { regions: await this.readStreams(sinceMs, count, minute ? minuteStreamKey : streamKey), from: 'redis' };
      } catch (err) {
        this.noteError(err as Error);
      }
    }
    const mine = (minute ? this.localMinutes : this.local).filter((s) => s.ts_ms > sinceMs);
    return { regions: { [this.region]: mine.slice(-count) }, from: 'local' };
  }

  /** Newest `count` entries of each region's stream after `sinceMs` (stream ids are Redis ms), oldest first. */
  private async readStreams(sinceMs: number, count: number, keyOf: (prefix: string, region: string) => string): Promise<Record<string, TelemetrySample[]>> {
    const pipeline = this.client.pipeline();
    for (const region of this.o.regions) pipeline.xrevrange(keyOf(this.o.keyPrefix, region), '+', `(${Math.max(0, Math.floor(sinceMs))}`, 'COUNT', count);
    const replies = (await pipeline.exec()) ?? [];
    const out: Record<string, TelemetrySample[]> = {};
    this.o.regions.forEach((region, i) => {
      const [err, entries] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const samples: TelemetrySample[] = [];
      for (const [, fields] of (entries as Array<[string, string[]]>) ?? []) {
        const s = parseSample(fields[1] ?? '');
        if (s !== null && s.ts_ms > sinceMs) samples.push(s);
      }
      out[region] = samples.reverse();
    });
    return out;
  }

  private tick(): void {
    let sample: TelemetrySample;
    try {
      sample = buildSample(this.o.source, this.o.nowMs(), this.startedMs);
    } catch (err) {
      // A part mid-restart; the next tick tries again.
      this.log.debug({ err }, 'telemetry sample not taken');
      return;
    }
    this.local.push(sample);
    const minute = Math.floor(sample.ts_ms / 60_000);
    if (minute !== this.lastLocalMinute) {
      this.localMinutes.push(sample);
      this.lastLocalMinute = minute;
    }
    this.emit(sample);
    void this.publish(sample);
  }

  private emit(sample: TelemetrySample): void {
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (err) {
        this.log.warn({ err }, 'telemetry listener failed');
      }
    }
  }

  private async publish(sample: TelemetrySample): Promise<void> {
    // One publish in flight at most: a slow Redis drops samples, it never queues them.
    if (this.publishing || this.client.status !== 'ready') {
      this.counts.skipped++;
      return;
    }
    this.publishing = true;
    try {
      const json = JSON.stringify(sample);
      const tx = this.client.multi().xadd(streamKey(this.o.keyPrefix, sample.region), 'MAXLEN', '~', this.o.streamLengthMax, '*', 's', json);
      // The first sample of each minute also goes to the minute stream: 24 h of history in 1440 entries.
      const minute = Math.floor(sample.ts_ms / 60_000);
      if (minute !== this.lastMinute) tx.xadd(minuteStreamKey(this.o.keyPrefix, sample.region), 'MAXLEN', '~', this.o.minuteStreamLengthMax, '*', 's', json);
      await tx.publish(liveChannel(this.o.keyPrefix), json).exec();
      this.lastMinute = minute;
      this.counts.published++;
    } catch (err) {
      this.counts.skipped++;
      this.noteError(err as Error);
    } finally {
      this.publishing = false;
    }
  }

  /** Live samples of the other regions. Subscribes again on every reconnection (a subscription does not survive one). */
  private startSubscriber(): void {
    const sub = this.client.duplicate({ ...REDIS_OPTIONS, enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber = sub;
    sub.on('error', (err) => this.log.debug({ err }, 'telemetry subscriber error'));
    sub.on('ready', () => {
      sub.subscribe(liveChannel(this.o.keyPrefix)).catch((err: unknown) => this.log.debug({ err }, 'telemetry subscribe failed; retried on the next connection'));
    });
    sub.on('message', (_channel: string, text: string) => {
      if (this.listeners.size === 0) return;
      const sample = parseSample(text);
      // This region's own samples reach listeners in process, without the round trip.
      if (sample !== null && sample.region !== this.region) this.emit(sample);
    });
    sub.connect().catch((err: unknown) => this.log.debug({ err }, 'telemetry subscriber not connected yet; ioredis retries'));
  }

  private noteError(err: Error): void {
    this.lastError = err.message;
    this.log.debug({ err }, 'telemetry redis error');
  }

  /** Logs each change between reachable and unreachable once, not every failed command. */
  private noteRedis(up: boolean): void {
    if (this.redisWasUp === up) return;
    const before = this.redisWasUp;
    this.redisWasUp = up;
    if (up) this.log.info({ redis: this.o.redisUrl }, before === false ? 'telemetry resumes: Redis is back' : 'telemetry publishing to Redis');
    else if (before === true && !this.stopped) this.log.warn({ redis: this.o.redisUrl }, 'Redis unreachable: telemetry paused (replication goes on); reconnecting');
  }
}
