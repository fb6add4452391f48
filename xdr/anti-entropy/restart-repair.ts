/**
 * A gateway that started after an unclean stop asks its peers for what it may
 * have lost. The engine reports per namespace what it could not recover
 * (`EngineApi.startReport`): changes after some lut, or everything (a memory
 * namespace restarted empty). For each such namespace, every peer with a
 * route peer→here on it is asked to rewind that route with includeOrigin from
 * that lut minus a margin (from the beginning when everything was lost): the
 * peer re-ships what it holds, this region's own writes included, and what
 * this region still has is dropped as identical.
 *
 * Requests are retried in the background until the peer accepts, so a peer
 * down at that moment never blocks the start; each attempt's outcome is
 * logged at warn (someone should know a region lost data) and shown in stats.
 * Anti-entropy remains the backstop: it also runs a pass soon after such a start.
 */
import type { Logger } from 'pino';
import { type StartReport } from '../../engine/index.js';
import { physicalMs } from '../../record/index.js';
import { errorSpec } from '../../errors/index.js';
import { GatewayClient } from '../cli/client.js';
import type { RegionConfig } from '../config/index.js';

export interface PeerRewindRequest {
  ns: string;
  peer: string;
  route: string;
  /** Unix ms the peer is asked to rewind from (0: everything). */
  sinceMs: number;
  state: 'pending' | 'accepted' | 'refused';
  attempts: number;
  last_error?: string;
  accepted_at_ms?: number;
}

export type KnownRoutes = ReadonlyArray<{ spec: { name: string; source: string; destination: string; namespace: string } }>;

export interface RestartRepairOptions {
  region: string;
  regions: readonly RegionConfig[];
  authToken?: string;
  reports: readonly StartReport[];
  /** Routes this gateway knows (its own and those coming to it). */
  routes: () => KnownRoutes;
  marginMs: number;
  peerTimeoutMs: number;
  logger: Logger;
  /** Retry delays. @default 1000 .. 30000 */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** @default Date.now */
  nowMs?: () => number;
}

/** Answers without one of our codes that will not change by asking again: the route is gone, not the peer's, or disabled. */
const FINAL_STATUSES = new Set([400, 401, 404, 409]);

/**
 * Whether asking the peer again can get another answer: the `retriable` flag of
 * the code it answered (or of XDR_ERR_UNREACHABLE when it did not answer); the
 * status only for an answer without one of our codes.
 */
export function peerMayAnswerLater(err: unknown): boolean {
  const { code, status } = err as { code?: unknown; status?: unknown };
  const spec = typeof code === 'string' ? errorSpec(code) : undefined;
  if (spec !== undefined) return spec.retriable;
  return !FINAL_STATUSES.has(typeof status === 'number' ? status : 0);
}

/** The requests to make, one per (lost namespace, peer route to here). Pure. */
export function planPeerRewinds(here: string, reports: readonly StartReport[], routes: KnownRoutes, marginMs: number): PeerRewindRequest[] {
  const out: PeerRewindRequest[] = [];
  for (const r of reports) {
    if (r.lost === undefined) continue;
    const sinceMs = r.lost.everything ? 0 : Math.max(0, physicalMs(r.lost.sinceLut) - marginMs);
    for (const route of routes) {
      const s = route.spec;
      if (s.destination === here && s.source !== here && s.namespace === r.ns) out.push({ ns: r.ns, peer: s.source, route: s.name, sinceMs, state: 'pending', attempts: 0 });
    }
  }
  return out;
}

export class RestartRepair {
  private readonly requests: PeerRewindRequest[];
  private readonly log: Logger;
  private readonly stopSignal = new AbortController();
  private readonly running: Array<Promise<void>> = [];

  constructor(private readonly o: RestartRepairOptions) {
    this.log = o.logger.child({ module: 'restart-repair', region: o.region });
    this.requests = planPeerRewinds(o.region, o.reports, o.routes(), o.marginMs);
  }

  /** Namespaces the engine could not fully recover. */
  uncleanNamespaces(): string[] {
    return this.o.reports.filter((r) => r.lost !== undefined).map((r) => r.ns);
  }

  start(): void {
    for (const r of this.o.reports) {
      if (r.lost === undefined) continue;
      const asks = this.requests.filter((q) => q.ns === r.ns);
      this.log.warn({ ns: r.ns, lost: r.lost, askPeers: asks.map((q) => ({ peer: q.peer, route: q.route, sinceMs: q.sinceMs })) },
        asks.length > 0 ? 'unclean start lost changes; asking peers to re-ship them' : 'unclean start lost changes and no peer routes here to ask; anti-entropy will compare');
    }
    for (const q of this.requests) this.running.push(this.ask(q));
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await Promise.all(this.running);
  }

  stats(): PeerRewindRequest[] {
    return this.requests.map((q) => ({ ...q }));
  }

  private url(region: string): string | undefined {
    return this.o.regions.find((r) => r.name === region)?.gatewayUrl;
  }

  private async ask(q: PeerRewindRequest): Promise<void> {
    const min = this.o.retryMinMs ?? 1000;
    const max = this.o.retryMaxMs ?? 30_000;
    const now = this.o.nowMs ?? Date.now;
    while (!this.stopSignal.signal.aborted) {
      const url = this.url(q.peer);
      q.attempts++;
      if (url === undefined) {
        q.state = 'refused';
        q.last_error = `no gateway-url for region ${q.peer}`;
        this.log.warn({ ...q }, 'cannot ask the peer to re-ship: its gateway URL is not configured (regions[].gateway-url)');
        return;
      }
      try {
        const client = new GatewayClient({ url, ...(this.o.authToken ? { token: this.o.authToken } : {}), timeoutMs: this.o.peerTimeoutMs });
        const body = { includeOrigin: true, ...(q.sinceMs > 0 ? { since: q.sinceMs } : {}) };
        const res = await client.request('POST', `/v1/xdr/routes/${encodeURIComponent(q.route)}/rewind`, body);
        q.state = 'accepted';
        q.accepted_at_ms = now();
        delete q.last_error;
        this.log.warn({ ns: q.ns, peer: q.peer, route: q.route, sinceMs: q.sinceMs, attempts: q.attempts, answer: res.body }, 'peer accepted to re-ship what this region may have lost');
        return;
      } catch (err) {
        q.last_error = `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`;
        if (!peerMayAnswerLater(err)) {
          q.state = 'refused';
          this.log.warn({ ns: q.ns, peer: q.peer, route: q.route, err }, 'peer refused to re-ship; anti-entropy will compare the regions');
          return;
        }
        const delay = Math.min(max, min * 2 ** Math.min(10, q.attempts - 1));
        // First failure and then every tenth: a long outage must not flood the log.
        if (q.attempts % 10 === 1) this.log.warn({ ns: q.ns, peer: q.peer, route: q.route, err, retryInMs: delay }, 'peer not reachable to re-ship what this region lost; retrying in the background');
        await this.sleep(delay);
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    const signal = this.stopSignal.signal;
    if (signal.aborted) return;
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
}

/** The engine's start reports, when it gives them (an engine without startReport reports nothing). */
export function startReports(engine: { namespaces(): string[]; startReport?(ns: string): StartReport }): StartReport[] {
  if (typeof engine.startReport !== 'function') return [];
  return engine.namespaces().map((ns) => engine.startReport!(ns));
}
