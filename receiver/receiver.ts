/**
 * The receiver of one destination region: one consumer (group `xdr-<region>`)
 * per source Kafka, over the topics of the routes addressed to this region.
 * Messages of one record (one Kafka key: the digest) are handled in order;
 * messages of different records in a batch are applied up to
 * applyConcurrencyMax at a time, so a destination whose writes wait for an
 * fdatasync (commit-to-device) shares one among many applies instead of paying
 * one per message. An offset is resolved only after its message and every one
 * before it in the partition was applied, dropped by the resolver or
 * dead-lettered, so a crash re-delivers (at-least-once) and re-applying the
 * same version changes nothing.
 */
import type { Logger } from 'pino';
import type { EngineApi } from '../engine/index.js';
import { physicalMs } from '../record/index.js';
import { errorNote, isRetriable } from '../errors/index.js';
import { ConflictRing, conflictEntry, type ConflictsSnapshot } from './conflicts.js';
import { processWindow } from './apply-window.js';
import { RecvError } from './errors.js';
import { handleMessage, type HandleContext, type Outcome } from './handle.js';
import { deadLetterTopic, type RouteResolver } from '../replication-protocol/index.js';
import { RouteRecvCounters, type RouteRecvStats } from './stats.js';
import type { BatchControl, InboundBatch, InboundMessage, ReceiveTransport } from './transport.js';

/** A route as the receiver needs it. */
export interface ReceiverRoute {
  name: string;
  namespace: string;
  /** Topic in the source region's Kafka. */
  topic: string;
  /** Source region name: which consumer reads the topic. */
  source: string;
  resolver: RouteResolver;
}

export interface ReceiverOptions {
  /** Versions stamped further than this ahead of the local clock are dead-lettered. @default 60000 */
  maxClockOffsetMs?: number;
  /** First delay before retrying a message whose apply failed for now. @default 100 */
  retryBackoffMinMs?: number;
  /** @default 5000 */
  retryBackoffMaxMs?: number;
  /** Recent conflicts kept for inspection (GET /v1/xdr/conflicts). @default 256 */
  conflictsMax?: number;
  /**
   * Messages of one partition's batch applied at once (different records; one
   * record's messages always one after another). 1 applies strictly in offset
   * order. @default 64
   */
  applyConcurrencyMax?: number;
}

export interface ReceiverDeps {
  regionId: number;
  engine: Pick<EngineApi, 'applyDecided'>;
  /** Creates the transport of a source region (a fresh consumer each call: kafkajs cannot change subscriptions of a running consumer). */
  transportFor: (source: string) => ReceiveTransport;
  logger: Logger;
  options?: ReceiverOptions;
  /** @default Date.now */
  nowMs?: () => number;
}

interface SourceState {
  transport: ReceiveTransport;
  topics: string[];
}

export class Receiver {
  private readonly deps: ReceiverDeps;
  private readonly log: Logger;
  private readonly ctx: HandleContext;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private readonly applyConcurrencyMax: number;
  private readonly byTopic = new Map<string, ReceiverRoute>();
  private readonly counters = new Map<string, RouteRecvCounters>();
  private readonly sources = new Map<string, SourceState>();
  private readonly conflictRing: ConflictRing;
  private stopping = false;
  /** Serialises setRoutes/stop so restarts of a source's consumer never interleave. */
  private chain: Promise<void> = Promise.resolve();

  constructor(deps: ReceiverDeps) {
    this.deps = deps;
    const o = deps.options ?? {};
    const maxClockOffsetMs = o.maxClockOffsetMs ?? 60_000;
    if (!Number.isSafeInteger(maxClockOffsetMs) || maxClockOffsetMs < 0) {
      throw new RecvError('RECV_ERR_INVALID_OPTIONS', `receiver option maxClockOffsetMs: must be an integer ≥ 0, got ${maxClockOffsetMs}`, { field: 'maxClockOffsetMs' });
    }
    this.backoffMinMs = o.retryBackoffMinMs ?? 100;
    this.backoffMaxMs = o.retryBackoffMaxMs ?? 5000;
    this.conflictRing = new ConflictRing(o.conflictsMax);
    const applyConcurrencyMax = o.applyConcurrencyMax ?? 64;
    if (!Number.isSafeInteger(applyConcurrencyMax) || applyConcurrencyMax < 1 || applyConcurrencyMax > 4096) {
      throw new RecvError('RECV_ERR_INVALID_OPTIONS', `receiver option applyConcurrencyMax: must be an integer in [1, 4096], got ${applyConcurrencyMax}`, { field: 'applyConcurrencyMax' });
    }
    this.applyConcurrencyMax = applyConcurrencyMax;
    this.log = deps.logger.child({ module: 'receiver', region: deps.regionId });
    const nowMs = deps.nowMs ?? Date.now;
    this.ctx = { regionId: deps.regionId, engine: deps.engine, maxClockOffsetMs, nowMs };
  }

  /** Makes the receiver consume exactly these routes; restarts only the consumers whose topic set changed. */
  setRoutes(routes: readonly ReceiverRoute[]): Promise<void> {
    const run = this.chain.then(() => this.applyRoutes(routes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyRoutes(routes: readonly ReceiverRoute[]): Promise<void> {
    if (this.stopping) return;
    this.byTopic.clear();
    const topicsBySource = new Map<string, string[]>();
    for (const r of routes) {
      this.byTopic.set(r.topic, r);
      const c = this.counters.get(r.name);
      if (c === undefined) this.counters.set(r.name, new RouteRecvCounters(r.name, r.resolver.name));
      else c.resolver = r.resolver.name;
      topicsBySource.set(r.source, [...(topicsBySource.get(r.source) ?? []), r.topic].sort());
    }
    for (const name of [...this.counters.keys()]) if (!routes.some((r) => r.name === name)) this.counters.delete(name);
    for (const [source, state] of [...this.sources]) {
      const wanted = topicsBySource.get(source);
      if (wanted === undefined || wanted.join('\n') !== state.topics.join('\n')) {
        this.sources.delete(source);
        await state.transport.stop();
        this.log.info({ source }, 'consumer stopped for a new topic set');
      }
    }
    for (const [source, topics] of topicsBySource) {
      if (this.sources.has(source)) continue;
      const transport = this.deps.transportFor(source);
      this.sources.set(source, { transport, topics });
      await transport.start(topics, (batch, control) => this.onBatch(batch, control));
      this.log.info({ source, topics }, 'consuming');
    }
  }

  async stop(): Promise<void> {
    const run = this.chain.then(async () => {
      this.stopping = true;
      for (const [source, state] of [...this.sources]) {
        this.sources.delete(source);
        await state.transport.stop();
      }
    });
    this.chain = run.catch(() => undefined);
    await run;
  }

  stats(): RouteRecvStats[] {
    const now = this.ctx.nowMs();
    const sourceOf = new Map([...this.byTopic.values()].map((r) => [r.name, r.source]));
    return [...this.counters.values()].map((c) => {
      const source = sourceOf.get(c.route);
      const transport = source === undefined ? undefined : this.sources.get(source)?.transport;
      return c.snapshot(now, transport?.status?.() ?? null);
    });
  }

  /** The newest conflicts this region resolved (of `route` when given), newest first, and how many since start. */
  conflicts(limit?: number, route?: string): ConflictsSnapshot {
    return this.conflictRing.snapshot(limit, route);
  }

  /** Resets the lag histograms (the benchmark measures a window). */
  resetLag(): void {
    for (const c of this.counters.values()) {
      c.lag.reset();
      c.recentLag.reset();
    }
  }

  private async onBatch(batch: InboundBatch, control: BatchControl): Promise<void> {
    const route = this.byTopic.get(batch.topic);
    if (route === undefined) {
      // A topic of a route removed a moment ago: leave its offsets alone.
      return;
    }
    const counters = this.counters.get(route.name)!;
    const transport = this.sources.get(route.source)?.transport;
    if (transport === undefined) return;
    const messages = batch.messages;
    for (let from = 0; from < messages.length; from += this.applyConcurrencyMax) {
      if (this.stopping || !control.isActive()) return;
      const window = messages.slice(from, from + this.applyConcurrencyMax);
      const { handled, error } = await processWindow(window, (message) => this.process(route, counters, transport, batch, message, control));
      // Offsets are resolved up to the first message not handled: a failure (a stop, a
      // lost partition) leaves it and everything after it to be delivered again.
      for (let i = 0; i < handled; i++) control.resolveOffset(window[i]!.offset);
      if (handled > 0) counters.offsetLagByPartition.set(batch.partition, Math.max(0, Number(batch.highWatermark) - Number(window[handled - 1]!.offset) - 1));
      if (handled < window.length) throw error;
    }
  }

  private async process(route: ReceiverRoute, counters: RouteRecvCounters, transport: ReceiveTransport, batch: InboundBatch, message: InboundMessage, control: BatchControl): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await handleMessage(this.ctx, route, message.value);
        if (outcome.kind === 'dead-letter') await this.deadLetter(route, transport, batch, message, outcome.error);
        this.count(counters, outcome);
        return;
      } catch (err) {
        // Only what may succeed later is retried here (handle.ts dead-letters engine refusals that are not retriable);
        // what is left is a closed engine: the receiver is stopping.
        if (this.stopping || !isRetriable(err)) throw err;
        counters.retries++;
        counters.lastError = applyErrorNote(err, this.ctx.nowMs());
        const delayMs = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** Math.min(attempt, 20));
        if (attempt % 10 === 0) this.log.warn({ err, route: route.name, partition: batch.partition, offset: message.offset, delayMs }, 'message not handled yet; retrying');
        await new Promise((r) => setTimeout(r, delayMs));
        await control.heartbeat().catch(() => undefined);
        if (!control.isActive()) throw err;
      }
    }
  }

  private async deadLetter(route: ReceiverRoute, transport: ReceiveTransport, batch: InboundBatch, message: InboundMessage, error: RecvError): Promise<void> {
    const reason = `${error.code}: ${error.message}`;
    try {
      await transport.deadLetter({
        topic: deadLetterTopic(batch.topic),
        key: message.key,
        value: message.value,
        reason,
        sourceTopic: batch.topic,
        sourcePartition: batch.partition,
        sourceOffset: message.offset,
      });
    } catch (err) {
      throw new RecvError('RECV_ERR_DEAD_LETTER_FAILED', `dead-letter topic of ${batch.topic} refused a message: ${(err as Error).message}`, { route: route.name }, { cause: err });
    }
    this.log.warn({ route: route.name, partition: batch.partition, offset: message.offset, reason }, 'message dead-lettered');
  }

  private count(c: RouteRecvCounters, outcome: Outcome): void {
    c.lastSeenMs = this.ctx.nowMs();
    switch (outcome.kind) {
      case 'heartbeat':
        c.heartbeats++;
        c.source_backlog = outcome.backlog;
        c.clockOffsetMs = physicalMs(outcome.hlc) - c.lastSeenMs;
        return;
      case 'dead-letter':
        c.dead_lettered++;
        c.lastError = errorNote(outcome.error, c.lastSeenMs, 'RECV_ERR_UNDECODABLE');
        return;
      case 'resolved':
        if (outcome.versions !== undefined) {
          const { local, incoming } = outcome.versions;
          const winner = outcome.reason === 'merged' ? 'merged' : outcome.reason === 'applied' ? 'incoming' : 'local';
          this.conflictRing.add(conflictEntry(c.lastSeenMs, c.route, c.resolver, local, incoming, winner, outcome.reason));
        }
        switch (outcome.reason) {
          case 'applied':
            c.applied++;
            c.lastAppliedMs = c.lastSeenMs;
            if (outcome.conflict) c.conflicts_won++;
            c.lag.add(outcome.lagMs);
            c.recentLag.add(outcome.lagMs, c.lastSeenMs);
            return;
          case 'merged':
            c.merged++;
            c.lastAppliedMs = c.lastSeenMs;
            if (outcome.conflict) c.conflicts_won++;
            c.lag.add(outcome.lagMs);
            c.recentLag.add(outcome.lagMs, c.lastSeenMs);
            return;
          case 'older':
            c.rejected_older++;
            if (outcome.conflict) c.conflicts_lost++;
            return;
          case 'identical':
            c.rejected_identical++;
            return;
          case 'error':
            c.resolver_errors++;
            c.lastError = errorNote(outcome.error ?? new Error('the resolver failed'), c.lastSeenMs, 'CONFLICT_ERR_CUSTOM_THREW');
            this.log.warn({ route: c.route, err: outcome.error }, 'custom resolver failed; local record kept');
            return;
        }
    }
  }
}

/**
 * A failed apply as the route's last error: under the engine's own code when
 * the engine refused (ENGINE_ERR_STOP_WRITES says more than "apply failed"),
 * with what the receiver does about it in the message.
 */
function applyErrorNote(err: unknown, atMs: number): ReturnType<typeof errorNote> {
  const engineCode = (err as { details?: { code?: unknown } }).details?.code;
  const note = errorNote(err, atMs, 'RECV_ERR_APPLY_FAILED');
  if (typeof engineCode === 'string' && /^ENGINE_ERR_/.test(engineCode)) return { code: engineCode, message: `${note.code}: ${note.message} (retried until it succeeds)`, at_ms: atMs };
  return note;
}
