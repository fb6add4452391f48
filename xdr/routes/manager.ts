/**
 * Live route administration. Routes whose source is this region are owned here:
 * persisted in <data-dir>/routes.json, seeded from the config file on the first
 * start, edited through the admin API, and published to the shared catalog.
 * Routes whose destination is this region are learned from the catalog and
 * started or stopped as they appear and disappear, without a restart.
 * Every change runs through one queue, so concurrent edits apply in order.
 */
import type { Logger } from 'pino';
import { digestFromHex } from '../../engine/index.js';
import { errorNote, type ErrorNote } from '../../errors/index.js';
import type { ReshipResult, RewindOptions } from '../../shipper/index.js';
import { normalizeRoute } from '../config/index.js';
import { codecStatuses } from '../replication/index.js';
import { XdrError } from '../errors.js';
import { intentHealth, type HealthRoute, type RouteHealthService, type RouteIntent } from '../route-health/index.js';
import type { RouteAdmin, RouteStatus } from './admin.js';
import type { RouteCatalog } from './catalog.js';
import type { ReplicationPort } from './replication-port.js';
import { RouteStore, type StoredRoute } from './store.js';
import { routeTopic, type RouteSpec } from '../../replication-protocol/index.js';

export interface RouteManagerOptions {
  region: string;
  /** Every region name of the topology. */
  regions: string[];
  /** This region's namespaces. */
  namespaces: string[];
  /** Routes of the config file; those whose source is this region seed routes.json on the first start. */
  configRoutes: readonly RouteSpec[];
  dataDir: string;
  /** Null: no shared catalog (single-host tests); destinations then use the config file's routes. */
  catalog: RouteCatalog | null;
  replication: ReplicationPort;
  logger: Logger;
  /** How often the catalog is re-read even without announcements. @default 5000 */
  resyncMs?: number;
  /** @default Date.now */
  clockMs?: () => number;
  /** Derives each route's state and publishes this region's reports; without it routes show what the operator asked. */
  health?: RouteHealthService;
}

/** A route addressed to this region that it does not receive, and why. */
interface Refused {
  route: StoredRoute;
  reason: ErrorNote;
}

function stateOf(spec: RouteSpec, paused: boolean): RouteIntent {
  if (!spec.enabled) return 'disabled';
  return paused ? 'paused' : 'running';
}

export class RouteManager implements RouteAdmin {
  private readonly local = new Map<string, StoredRoute>();
  private readonly remote = new Map<string, StoredRoute>();
  /** Routes addressed to this region that it cannot receive (shown in list(), reported to their source). */
  private readonly refused = new Map<string, Refused>();
  private readonly store: RouteStore;
  private readonly cache: RouteStore;
  private readonly log: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private catalogDirty = false;
  private stopped = false;

  constructor(private readonly o: RouteManagerOptions) {
    this.store = new RouteStore(o.dataDir);
    this.cache = new RouteStore(o.dataDir, 'remote-routes.json');
    this.log = o.logger.child({ module: 'routes', region: o.region });
    o.health?.attach(() => this.healthRoutes());
  }

  private now(): number {
    return (this.o.clockMs ?? Date.now)();
  }

  /** Runs `fn` after every change queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async start(): Promise<void> {
    await this.serial(async () => {
      const stored = await this.store.load();
      if (stored === null) {
        for (const spec of this.o.configRoutes.filter((r) => r.source === this.o.region)) {
          this.local.set(spec.name, { spec: structuredClone(spec) as RouteSpec, state: stateOf(spec, false), updatedAtMs: this.now() });
        }
        await this.store.save([...this.local.values()]);
        this.log.info({ routes: [...this.local.keys()] }, 'routes seeded from the config file');
      } else {
        for (const r of stored) this.local.set(r.spec.name, r);
      }
      for (const r of this.local.values()) await this.applyLocal(r);
      await this.publishAll();
    });
    if (this.o.catalog) {
      try {
        await this.o.catalog.watch(() => void this.syncRemote());
      } catch (err) {
        // The periodic resync below still picks routes up once Redis answers.
        this.log.warn({ err }, 'cannot subscribe to route catalog changes');
      }
      await this.syncRemote();
      this.timer = setInterval(() => void this.syncRemote(), this.o.resyncMs ?? 5000);
      this.timer.unref();
    } else {
      await this.serial(async () => {
        for (const spec of this.o.configRoutes.filter((r) => r.destination === this.o.region)) await this.addRemote({ spec: spec as RouteSpec, state: stateOf(spec, false), updatedAtMs: 0 });
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  private async applyLocal(r: StoredRoute): Promise<void> {
    if (r.state === 'disabled') await this.o.replication.removeRoute(r.spec.name, { forget: false });
    else await this.o.replication.upsertRoute(r.spec, { paused: r.state === 'paused' });
  }

  private async publishAll(): Promise<void> {
    const catalog = this.o.catalog;
    if (!catalog) return;
    try {
      for (const r of this.local.values()) await catalog.publish(r);
      for (const r of await catalog.snapshot()) {
        if (r.spec.source === this.o.region && !this.local.has(r.spec.name)) await catalog.withdraw(r.spec.name);
      }
      this.catalogDirty = false;
    } catch (err) {
      this.catalogDirty = true;
      this.log.warn({ err }, 'route catalog unreachable; will publish when Redis answers');
    }
  }

  private async publish(r: StoredRoute | { withdraw: string }): Promise<void> {
    const catalog = this.o.catalog;
    if (!catalog) return;
    try {
      if ('withdraw' in r) await catalog.withdraw(r.withdraw);
      else await catalog.publish(r);
    } catch (err) {
      this.catalogDirty = true;
      this.log.warn({ err }, 'route catalog unreachable; will publish when Redis answers');
    }
  }

  /** Starts receiving a route addressed here, or records why not (logged once per definition and reason). */
  private async addRemote(r: StoredRoute): Promise<void> {
    const name = r.spec.name;
    const before = this.refused.get(name);
    const sameSpec = before !== undefined && JSON.stringify(before.route.spec) === JSON.stringify(r.spec);
    if (!this.o.namespaces.includes(r.spec.namespace)) {
      const reason: ErrorNote = { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: `namespace ${r.spec.namespace} does not exist in ${this.o.region}`, at_ms: sameSpec ? before.reason.at_ms : this.now() };
      if (!sameSpec) this.log.warn({ route: name, ns: r.spec.namespace, code: reason.code }, 'route targets a namespace this region does not have; not receiving it');
      await this.refuse(r, reason);
      return;
    }
    try {
      await this.o.replication.upsertRoute(r.spec, { paused: false });
    } catch (err) {
      const reason = errorNote(err, this.now(), 'XDR_ERR_INTERNAL');
      if (!sameSpec || before.reason.message !== reason.message) this.log.error({ err, route: name }, 'cannot start receiving route');
      await this.refuse(r, sameSpec && before.reason.message === reason.message ? before.reason : reason);
      return;
    }
    this.refused.delete(name);
    this.remote.set(name, r);
    this.log.info({ route: name, source: r.spec.source }, 'receiving route');
  }

  /** Records why a route addressed here is not received; an earlier definition of it that was being received stops. */
  private async refuse(r: StoredRoute, reason: ErrorNote): Promise<void> {
    const name = r.spec.name;
    this.refused.set(name, { route: r, reason });
    if (!this.remote.has(name)) return;
    await this.o.replication.removeRoute(name, { forget: true });
    this.remote.delete(name);
    this.log.info({ route: name }, 'no longer receiving the earlier definition of the route');
  }

  /** Reads the catalog and starts/stops receiving routes addressed to this region. */
  syncRemote(): Promise<void> {
    const catalog = this.o.catalog;
    if (!catalog || this.stopped) return Promise.resolve();
    return this.serial(async () => {
      if (this.catalogDirty) await this.publishAll();
      let snapshot: StoredRoute[];
      try {
        snapshot = await catalog.snapshot();
        await this.cache.save(snapshot.filter((r) => r.spec.destination === this.o.region));
      } catch (err) {
        this.log.debug({ err }, 'route catalog unreachable; keeping the routes already running');
        if (this.remote.size === 0) await this.startFromCache();
        return;
      }
      // Self-heal: a Redis restarted empty (or flushed) loses our entries; put them back.
      const published = new Map(snapshot.filter((r) => r.spec.source === this.o.region).map((r) => [r.spec.name, JSON.stringify(r)]));
      if ([...this.local.values()].some((r) => published.get(r.spec.name) !== JSON.stringify(r))) await this.publishAll();
      await this.reconcileRemote(snapshot.filter((r) => r.spec.destination === this.o.region && r.spec.source !== this.o.region));
    });
  }

  private async startFromCache(): Promise<void> {
    const cached = (await this.cache.load()) ?? this.o.configRoutes.filter((r) => r.destination === this.o.region).map((spec) => ({ spec: spec as RouteSpec, state: stateOf(spec, false), updatedAtMs: 0 }));
    await this.reconcileRemote(cached);
  }

  private async reconcileRemote(wanted: StoredRoute[]): Promise<void> {
    const byName = new Map(wanted.map((r) => [r.spec.name, r]));
    const before = this.receivingKey();
    for (const [name, r] of byName) {
      const current = this.remote.get(name);
      if (current && JSON.stringify(current.spec) === JSON.stringify(r.spec)) {
        this.remote.set(name, r); // state shown to operators follows the source
        continue;
      }
      await this.addRemote(r);
    }
    for (const name of [...this.refused.keys()]) if (!byName.has(name)) this.refused.delete(name);
    for (const name of [...this.remote.keys()]) {
      if (byName.has(name)) continue;
      await this.o.replication.removeRoute(name, { forget: true });
      this.remote.delete(name);
      this.log.info({ route: name }, 'route removed at its source; no longer receiving');
    }
    // The sources learn at once, not at the next reporting interval, that this region takes (or refuses) a route.
    if (this.receivingKey() !== before) this.o.health?.nudge();
  }

  /** What this region receives and refuses, as one comparable string. */
  private receivingKey(): string {
    const parts = [...this.remote.values()].map((r) => `+${JSON.stringify(r.spec)}`);
    for (const x of this.refused.values()) parts.push(`-${JSON.stringify(x.route.spec)}|${x.reason.message}`);
    return parts.sort().join('\n');
  }

  /** Every route this region ships, receives or refuses, for the health service. */
  private healthRoutes(): HealthRoute[] {
    const out: HealthRoute[] = [];
    for (const r of this.local.values()) out.push({ spec: r.spec, intent: r.state, role: 'source', updatedAtMs: r.updatedAtMs, refused: null });
    for (const r of this.remote.values()) out.push({ spec: r.spec, intent: r.state, role: 'destination', updatedAtMs: r.updatedAtMs, refused: null });
    for (const x of this.refused.values()) out.push({ spec: x.route.spec, intent: x.route.state, role: 'destination', updatedAtMs: x.route.updatedAtMs, refused: x.reason });
    return out;
  }

  /** Routes with their health, in the order given. */
  private describe(routes: HealthRoute[]): RouteStatus[] {
    const health = this.o.health?.describe(routes) ?? routes.map((r) => intentHealth(r.intent, r.spec));
    return routes.map((r, i) => ({ spec: r.spec, intent: r.intent, role: r.role, updatedAtMs: r.updatedAtMs, ...health[i]! }));
  }

  private status(r: StoredRoute, role: 'source' | 'destination'): RouteStatus {
    return this.describe([{ spec: r.spec, intent: r.state, role, updatedAtMs: r.updatedAtMs, refused: null }])[0]!;
  }

  /** Every route this region ships, receives, or refuses as its destination, by name. */
  list(): RouteStatus[] {
    return this.describe(this.healthRoutes().sort((a, b) => a.spec.name.localeCompare(b.spec.name)));
  }

  get(name: string): RouteStatus | undefined {
    return this.describe(this.healthRoutes().filter((r) => r.spec.name === name))[0];
  }

  private owned(name: string): StoredRoute {
    const r = this.local.get(name);
    if (r) return r;
    const remote = this.remote.get(name) ?? this.refused.get(name)?.route;
    if (remote) throw new XdrError('XDR_ERR_ROUTE_NOT_LOCAL', `route '${name}' is owned by its source region ${remote.spec.source}; send this request to that region's gateway`, { route: name, source: remote.spec.source });
    throw new XdrError('XDR_ERR_ROUTE_NOT_FOUND', `no route named '${name}'`, { route: name });
  }

  put(name: string, input: Record<string, unknown>): Promise<{ route: RouteStatus; created: boolean; warnings: ErrorNote[] }> {
    return this.serial(async () => {
      if (input.name !== undefined && input.name !== name) throw new XdrError('XDR_ERR_ROUTE_INVALID', `name in the body ('${String(input.name)}') differs from the path ('${name}')`);
      const { route: spec, problems } = normalizeRoute({ ...input, name }, 'route', { regions: this.o.regions, localRegion: this.o.region, localNamespaces: this.o.namespaces, codecs: codecStatuses() });
      if (problems.length > 0) throw new XdrError('XDR_ERR_ROUTE_INVALID', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
      if (spec.source !== this.o.region) {
        throw new XdrError('XDR_ERR_ROUTE_NOT_LOCAL', `route source is ${spec.source}; create it at ${spec.source}'s gateway (routes are owned by their source region)`, { source: spec.source });
      }
      const incoming = this.remote.get(name) ?? this.refused.get(name)?.route;
      if (incoming) throw new XdrError('XDR_ERR_ROUTE_INVALID', `a route named '${name}' already comes from region ${incoming.spec.source}; pick another name`);
      // Two routes on one topic would interleave their records and share consumer offsets.
      const clash = [...this.local.values()].find((r) => r.spec.name !== name && routeTopic(r.spec) === routeTopic(spec));
      if (clash) throw new XdrError('XDR_ERR_ROUTE_INVALID', `topic ${routeTopic(spec)} is already used by route '${clash.spec.name}'; give this route its own topic (topic: ...)`);
      const previous = this.local.get(name);
      const paused = previous?.state === 'paused';
      const r: StoredRoute = { spec, state: stateOf(spec, paused), updatedAtMs: this.now() };
      if (previous && previous.spec.namespace !== spec.namespace) await this.o.replication.removeRoute(name, { forget: true });
      await this.applyLocal(r);
      this.local.set(name, r);
      await this.store.save([...this.local.values()]);
      await this.publish(r);
      // Saved anyway: the namespace may be on its way to the destination; the route's state shows it meanwhile.
      const objection = this.o.health?.destinationObjection(spec) ?? null;
      if (objection !== null) this.log.warn({ route: name, code: objection.code }, objection.message);
      this.log.info({ route: name, created: !previous }, 'route saved');
      return { route: this.status(r, 'source'), created: !previous, warnings: objection === null ? [] : [objection] };
    });
  }

  remove(name: string): Promise<void> {
    return this.serial(async () => {
      this.owned(name);
      await this.o.replication.removeRoute(name, { forget: true });
      this.local.delete(name);
      await this.store.save([...this.local.values()]);
      await this.publish({ withdraw: name });
      this.log.info({ route: name }, 'route removed');
    });
  }

  private setPaused(name: string, paused: boolean): Promise<RouteStatus> {
    return this.serial(async () => {
      const r = this.owned(name);
      if (r.state === 'disabled') throw new XdrError('XDR_ERR_ROUTE_INVALID', `route '${name}' is disabled; enable it with PUT (enabled: true) first`);
      if (paused) await this.o.replication.pauseRoute(name);
      else await this.o.replication.resumeRoute(name);
      const next: StoredRoute = { ...r, state: paused ? 'paused' : 'running', updatedAtMs: this.now() };
      this.local.set(name, next);
      await this.store.save([...this.local.values()]);
      await this.publish(next);
      this.log.info({ route: name }, paused ? 'route paused' : 'route resumed');
      return this.status(next, 'source');
    });
  }

  pause(name: string): Promise<RouteStatus> {
    return this.setPaused(name, true);
  }

  resume(name: string): Promise<RouteStatus> {
    return this.setPaused(name, false);
  }

  /**
   * Re-ships records of a route this region owns. Not through the queue: it
   * waits for Kafka, and route edits must not wait behind it (the shipper
   * orders it with its own batches).
   */
  async reship(name: string, ns: string, digests: readonly string[]): Promise<ReshipResult> {
    const r = this.owned(name);
    if (r.spec.namespace !== ns) throw new XdrError('XDR_ERR_BAD_REQUEST', `route '${name}' ships namespace ${r.spec.namespace}, not ${ns}`, { route: name, ns });
    if (r.state !== 'running') throw new XdrError('XDR_ERR_ROUTE_INVALID', `route '${name}' is ${r.state}; resume or enable it before re-shipping`, { route: name });
    return this.o.replication.reshipRoute(name, digests.map((d) => digestFromHex(d)));
  }

  rewind(name: string, sinceMs: number, options: RewindOptions = {}): Promise<void> {
    return this.serial(async () => {
      const r = this.owned(name);
      if (r.state === 'disabled') throw new XdrError('XDR_ERR_ROUTE_INVALID', `route '${name}' is disabled; enable it before rewinding`);
      await this.o.replication.rewindRoute(name, sinceMs, options);
      this.log.info({ route: name, sinceMs, includeOrigin: options.includeOrigin ?? false }, 'route rewound');
    });
  }
}
