/**
 * The background task that keeps route pairs identical: for each namespace
 * replicated both ways with a peer (pairs.ts), a pass now and then (schedule.ts)
 * compares the two regions partition by partition and has each side re-ship
 * its version of what differs (pass.ts). It repairs what replication cannot
 * see: writes a crash took back locally after shipping them, Kafka data lost
 * to retention or a deleted topic, a restored backup, a memory namespace
 * restarted empty. One pass runs at a time per gateway, paced by a record
 * budget, so foreground traffic barely notices (bench/anti-entropy.bench.ts).
 */
import type { Logger } from 'pino';
import { hlcFromMs } from '../../record/index.js';
import { GatewayClient } from '../cli/client.js';
import type { AntiEntropyConfig, RegionConfig } from '../config/index.js';
import type { PartitionSource } from '../verify/index.js';
import type { ReshipResult } from '../../shipper/index.js';
import { RecordBudget } from './budget.js';
import { planPairs, type KnownRoute, type PairPlan } from './pairs.js';
import { runPass } from './pass.js';
import { nextPassDelayMs } from './schedule.js';
import { httpSide, localSide } from './sides.js';
import { emptyPairStats, type AntiEntropyPairStats } from './stats.js';

export interface AntiEntropyRoutes {
  /** `intent`: what the operator asked (running, paused, disabled), not the route's derived state. */
  list(): Array<{ spec: KnownRoute['spec']; intent: string }>;
  reship(route: string, ns: string, digests: readonly string[]): Promise<ReshipResult>;
}

export interface AntiEntropyOptions {
  region: string;
  regions: readonly RegionConfig[];
  config: AntiEntropyConfig;
  /** This gateway's own token, sent to peers (the regions of a topology share it). */
  authToken?: string;
  source: PartitionSource;
  routes: AntiEntropyRoutes;
  /** Ship lag of this region's routes and receive lag of routes to it, ms, for the settle cutoff. */
  lagMs: (route: string) => number;
  logger: Logger;
  /** @default Date.now */
  nowMs?: () => number;
}

interface PairState {
  stats: AntiEntropyPairStats;
  /** Unix ms of the next pass; null: none scheduled. */
  dueAtMs: number | null;
  lastOutcome: 'none' | 'ok' | 'failed' | 'partial';
}

/** How often the task looks at the routes again when no pass is due sooner. */
const RESCAN_MS = 5000;

export class AntiEntropy {
  private readonly pairs = new Map<string, PairState>();
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly uncleanNamespaces = new Set<string>();
  private readonly clients = new Map<string, GatewayClient>();

  constructor(private readonly o: AntiEntropyOptions) {
    this.log = o.logger.child({ module: 'anti-entropy', region: o.region });
    this.now = o.nowMs ?? Date.now;
  }

  /** Namespaces the engine could not fully recover at start: their pairs get a pass soon, whichever region leads. */
  markUncleanStart(ns: string): void {
    this.uncleanNamespaces.add(ns);
    for (const p of this.pairs.values()) if (p.stats.ns === ns && p.lastOutcome === 'none') p.dueAtMs = this.now() + this.o.config.uncleanStartDelayMs;
  }

  start(): void {
    if (!this.o.config.enabled || this.loop !== null) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
  }

  stats(): AntiEntropyPairStats[] {
    const now = this.now();
    return [...this.pairs.values()].map((p) => ({ ...p.stats, next_pass_in_ms: p.dueAtMs === null ? -1 : Math.max(0, p.dueAtMs - now) }));
  }

  private peerUrl(region: string): string | undefined {
    return this.o.regions.find((r) => r.name === region)?.gatewayUrl;
  }

  private client(region: string): GatewayClient {
    const url = this.peerUrl(region)!;
    let c = this.clients.get(url);
    if (c === undefined) {
      c = new GatewayClient({ url, ...(this.o.authToken ? { token: this.o.authToken } : {}), timeoutMs: this.o.config.peerTimeoutMs });
      this.clients.set(url, c);
    }
    return c;
  }

  private schedule(p: PairState, plan: PairPlan): void {
    const delay = nextPassDelayMs({
      lead: plan.lead,
      uncleanStart: this.uncleanNamespaces.has(plan.ns),
      passes: p.stats.passes,
      lastOutcome: p.lastOutcome,
      intervalMs: this.o.config.intervalMs,
      firstPassDelayMs: this.o.config.firstPassDelayMs,
      uncleanStartDelayMs: this.o.config.uncleanStartDelayMs,
      settleMs: this.o.config.settleMs,
    });
    p.dueAtMs = delay === null ? null : this.now() + delay;
  }

  /** Brings the pair table in line with the routes as they stand now. */
  private refresh(): PairPlan[] {
    // By what the operator asked: a pass is also what repairs a route whose destination erred or whose rewind skipped records.
    const plans = planPairs(this.o.region, this.o.routes.list().map((r) => ({ spec: r.spec, state: r.intent })), (r) => this.peerUrl(r));
    const seen = new Set<string>();
    for (const plan of plans) {
      seen.add(plan.route);
      let p = this.pairs.get(plan.route);
      if (p === undefined || p.stats.peer !== plan.peer || p.stats.ns !== plan.ns) {
        p = { stats: emptyPairStats(plan.route, plan.ns, plan.peer, plan.lead), dueAtMs: null, lastOutcome: 'none' };
        this.pairs.set(plan.route, p);
        this.schedule(p, plan);
      }
      if (plan.skip !== undefined) {
        p.stats.state = 'skipped';
        p.stats.skip_reason = plan.skip;
      } else {
        delete p.stats.skip_reason;
        if (p.stats.state !== 'running') p.stats.state = p.dueAtMs === null ? 'idle' : 'waiting';
      }
    }
    for (const name of [...this.pairs.keys()]) if (!seen.has(name)) this.pairs.delete(name);
    return plans;
  }

  private async sleep(ms: number): Promise<void> {
    const signal = this.stopSignal.signal;
    if (ms <= 0 || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async run(): Promise<void> {
    while (!this.stopSignal.signal.aborted) {
      let plans: PairPlan[] = [];
      try {
        plans = this.refresh();
      } catch (err) {
        this.log.warn({ err }, 'cannot read routes; anti-entropy tries again');
      }
      const now = this.now();
      const due = plans.filter((pl) => pl.skip === undefined && (this.pairs.get(pl.route)?.dueAtMs ?? Infinity) <= now).sort((x, y) => this.pairs.get(x.route)!.dueAtMs! - this.pairs.get(y.route)!.dueAtMs!);
      if (due.length > 0) {
        await this.passOf(due[0]!);
        continue;
      }
      let wait = RESCAN_MS;
      for (const pl of plans) {
        const at = this.pairs.get(pl.route)?.dueAtMs;
        if (pl.skip === undefined && at !== null && at !== undefined) wait = Math.min(wait, Math.max(0, at - now));
      }
      await this.sleep(Math.max(10, wait));
    }
  }

  private async passOf(plan: PairPlan): Promise<void> {
    const p = this.pairs.get(plan.route)!;
    const c = this.o.config;
    const started = this.now();
    p.stats.state = 'running';
    const settleMs = Math.max(c.settleMs, this.o.lagMs(plan.route), this.o.lagMs(plan.peerRoute!));
    const lutMax = hlcFromMs(Math.max(0, started - settleMs));
    try {
      const result = await runPass({
        ns: plan.ns,
        a: localSide(this.o.region, this.o.source, this.o.routes),
        b: httpSide(plan.peer, this.client(plan.peer)),
        aRoute: plan.route,
        bRoute: plan.peerRoute!,
        lutMax,
        startPid: p.stats.resume_pid,
        recordsPerPass: c.recordsPerPass,
        reshipPerPass: c.reshipPerPass,
        digestsPerRequest: c.digestsPerRequest,
        concurrentRequests: c.concurrentRequests,
        budget: new RecordBudget(c.recordsPerSec, started),
        // A quarter second of budget per hash request: short sleeps, short synchronous stretches.
        targetRecordsPerRequest: Math.max(64, Math.floor(c.recordsPerSec / 4)),
        nowMs: this.now,
        sleep: (ms) => this.sleep(ms),
        isStopping: () => this.stopSignal.signal.aborted,
      });
      const s = p.stats;
      s.passes++;
      s.last_pass_at_ms = this.now();
      s.last_pass_duration_ms = s.last_pass_at_ms - started;
      s.partitions_compared = result.partitionsCompared;
      s.partitions_differing = result.partitionsDiffering;
      s.records_hashed = result.recordsHashed;
      s.records_listed = result.recordsListed;
      s.settling = result.settling;
      s.reshipped_to_peer = result.reshippedAtoB;
      s.reshipped_from_peer = result.reshippedBtoA;
      s.reship_deferred = result.reshipDeferred;
      s.reshipped_total += result.reshippedAtoB + result.reshippedBtoA;
      s.resume_pid = result.complete ? 0 : result.nextPid;
      p.lastOutcome = result.complete ? 'ok' : 'partial';
      const fields = { route: plan.route, peer: plan.peer, ns: plan.ns, durationMs: s.last_pass_duration_ms, partitionsCompared: result.partitionsCompared, partitionsDiffering: result.partitionsDiffering, recordsHashed: result.recordsHashed, settling: result.settling, reshippedToPeer: result.reshippedAtoB, reshippedFromPeer: result.reshippedBtoA, reshipDeferred: result.reshipDeferred, complete: result.complete };
      if (result.partitionsDiffering > 0) this.log.info(fields, 'anti-entropy pass found differences and re-shipped them');
      else this.log.debug(fields, 'anti-entropy pass: identical');
    } catch (err) {
      p.stats.errors++;
      p.stats.last_error = `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`;
      p.lastOutcome = 'failed';
      this.log.warn({ err, route: plan.route, peer: plan.peer, ns: plan.ns }, 'anti-entropy pass failed; trying again later');
    } finally {
      p.stats.state = 'waiting';
      this.schedule(p, plan);
      if (p.dueAtMs === null) p.stats.state = 'idle';
    }
  }
}
