/**
 * Route health at runtime, for one gateway. As a destination it publishes, every
 * interval and whenever the routes addressed to it change, one report per such
 * route (receiving or not and why, consumer, offset lag, applying errors) and
 * a note of its namespaces. As a source it reads the other regions' reports and
 * notes every interval and keeps them, so describing a route (route list, lag,
 * /metrics, dashboard) never waits for Redis.
 *
 * Redis is advisory here as everywhere: a failed publish or read is logged once
 * per outage and skipped; reports then age, and a stale one reads "destination
 * not reporting since T". At most one publish-and-read runs at a time.
 */
import type { Logger } from 'pino';
import type { ErrorNote } from '../../errors/index.js';
import type { RouteRecvStats } from '../../receiver/index.js';
import type { RouteShipStats } from '../../shipper/index.js';
import type { RouteStatusBoard } from './board.js';
import { HEALTH_RULES, destinationView, intentHealth, receivingHealth, sourceHealth, type HealthRules, type RouteHealth } from './derive.js';
import { REPORT_VERSION, buildReport, type DestinationReport, type RegionNote } from './report.js';
import type { RouteIntent } from './states.js';
import { type RouteSpec } from '../../replication-protocol/index.js';

/** A route as the health service sees it (the route manager's view of it). */
export interface HealthRoute {
  spec: RouteSpec;
  intent: RouteIntent;
  role: 'source' | 'destination';
  updatedAtMs: number;
  /** Destination role: why this region does not receive it; null when it does. */
  refused: ErrorNote | null;
}

export interface PipelineFigures {
  ship: RouteShipStats[];
  receive: RouteRecvStats[];
}

export interface RouteHealthOptions {
  region: string;
  /** This region's namespaces (published so sources can warn about routes to others). */
  namespaces: readonly string[];
  /** Null: no shared catalog; destinations' statuses are then unknown. */
  board: RouteStatusBoard | null;
  /** The replication pipeline's live figures; null when this gateway replicates nothing (standalone). */
  figures: () => PipelineFigures | null;
  logger: Logger;
  rules?: Partial<HealthRules>;
  /** @default Date.now */
  nowMs?: () => number;
}

const NO_FIGURES: PipelineFigures = { ship: [], receive: [] };

/**
 * The pipeline's figures out of `ReplicationPort.stats()` (typed unknown at the
 * port); null when they are not the pipeline's (NoReplication: standalone).
 */
export function pipelineFigures(stats: unknown): PipelineFigures | null {
  const s = stats as Partial<PipelineFigures> | null | undefined;
  if (s === null || s === undefined || !Array.isArray(s.ship) || !Array.isArray(s.receive)) return null;
  return { ship: s.ship, receive: s.receive };
}

export class RouteHealthService {
  private readonly rules: HealthRules;
  private readonly log: Logger;
  private readonly nowMs: () => number;
  private routes: () => HealthRoute[] = () => [];
  private readonly reports = new Map<string, DestinationReport>();
  private readonly regionNotes = new Map<string, RegionNote>();
  /** Routes this region reported on last time (their reports are withdrawn when they go). */
  private reported = new Set<string>();
  /** Since when reading the board fails (null: it works). */
  private unreadableSinceMs: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly o: RouteHealthOptions) {
    this.rules = { ...HEALTH_RULES, ...o.rules };
    this.log = o.logger.child({ module: 'route-health', region: o.region });
    this.nowMs = o.nowMs ?? Date.now;
  }

  /** The routes to describe and report on (the route manager's, late-bound: it is created after this). */
  attach(routes: () => HealthRoute[]): void {
    this.routes = routes;
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.nudge();
    this.timer = setInterval(() => this.nudge(), this.rules.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Publishes and reads now (or right after the run in progress): the routes addressed here changed. */
  nudge(): void {
    if (this.stopped || this.o.board === null) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.exchange().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    });
  }

  /** Resolves once the exchange in progress (and one asked for meanwhile) is done. For tests and shutdown. */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async exchange(): Promise<void> {
    const board = this.o.board!;
    const now = this.nowMs();
    const figures = this.figures() ?? NO_FIGURES;
    const mine = this.routes().filter((r) => r.role === 'destination');
    const reports = mine.map((r) => this.ownReport(r, figures, now));
    const current = new Set(mine.map((r) => r.spec.name));
    const withdrawn = [...this.reported].filter((name) => !current.has(name));
    try {
      await board.putRegion({ v: REPORT_VERSION, region: this.o.region, namespaces: [...this.o.namespaces], at_ms: now });
      await board.putReports(reports, withdrawn);
      this.reported = current;
      const [all, notes] = await Promise.all([board.reports(), board.regions()]);
      this.reports.clear();
      for (const r of all) this.reports.set(r.route, r);
      this.regionNotes.clear();
      for (const n of notes) this.regionNotes.set(n.region, n);
      if (this.unreadableSinceMs !== null) this.log.info('route reports readable again');
      this.unreadableSinceMs = null;
    } catch (err) {
      if (this.unreadableSinceMs === null) this.log.warn({ err }, 'route reports cannot be published or read (Redis); destination statuses go stale meanwhile, replication is not affected');
      this.unreadableSinceMs ??= now;
    }
  }

  private figures(): PipelineFigures | null {
    try {
      return this.o.figures();
    } catch (err) {
      // A part mid-restart: describe from nothing rather than fail a listing.
      this.log.debug({ err }, 'replication figures not available');
      return { ship: [], receive: [] };
    }
  }

  private ownReport(r: HealthRoute, figures: PipelineFigures, nowMs: number): DestinationReport {
    const recv = figures.receive.find((x) => x.route === r.spec.name);
    return buildReport({ route: r.spec.name, region: this.o.region, nowMs, intervalMs: this.rules.intervalMs, refused: r.refused, recv });
  }

  /** The health of each route, in order (one reading of the figures for all). */
  describe(routes: readonly HealthRoute[]): RouteHealth[] {
    const figures = this.figures();
    // Without a pipeline (standalone) a route does what the operator asked, as far as anyone can tell.
    if (figures === null) return routes.map((r) => intentHealth(r.intent, r.spec));
    const now = this.nowMs();
    const board = this.o.board === null ? { readable: false as const, sinceMs: null } : this.unreadableSinceMs === null ? { readable: true as const } : { readable: false as const, sinceMs: this.unreadableSinceMs };
    return routes.map((r) => {
      if (r.role === 'destination') return receivingHealth(r.intent, r.spec, this.ownReport(r, figures, now), this.rules);
      const ship = figures.ship.find((s) => s.route === r.spec.name);
      const destination = destinationView({ spec: r.spec, report: this.reports.get(r.spec.name), region: this.regionNotes.get(r.spec.destination), board, updatedAtMs: r.updatedAtMs, nowMs: now }, this.rules);
      return sourceHealth({ spec: r.spec, intent: r.intent, ship, destination });
    });
  }

  /** Why a route to `spec.destination` cannot be applied there, as far as that region said (null: no objection known). */
  destinationObjection(spec: RouteSpec): ErrorNote | null {
    const note = this.regionNotes.get(spec.destination);
    if (note === undefined || note.namespaces.includes(spec.namespace)) return null;
    return {
      code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING',
      message: `namespace ${spec.namespace} does not exist in ${spec.destination} (its namespaces: ${note.namespaces.join(', ') || 'none'}, as it reported at ${new Date(note.at_ms).toISOString()}); the route is saved but ${spec.destination} will not receive it until that namespace exists there`,
      at_ms: note.at_ms,
    };
  }
}
