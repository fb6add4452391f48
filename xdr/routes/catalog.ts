/**
 * The route catalog shared by the regions of a topology through Redis: each
 * source region publishes its routes (hash <prefix>routes, one field per route)
 * and announces changes on channel <prefix>routes:changed. Destinations read the
 * hash on start, on every announcement and every `resyncMs` (pub/sub drops
 * messages while a subscriber is disconnected; the periodic read makes that
 * harmless). This is how a destination starts receiving a new route without a
 * restart.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parseRegionNote, parseReport, type DestinationReport, type RegionNote, type RouteStatusBoard } from '../route-health/index.js';
import type { StoredRoute } from './store.js';

/**
 * The catalog is also the board where destinations leave their reports on the
 * routes addressed to them (hash <prefix>routes:status, one field per route)
 * and regions a note of their namespaces (hash <prefix>regions).
 */
export interface RouteCatalog extends RouteStatusBoard {
  publish(route: StoredRoute): Promise<void>;
  withdraw(name: string): Promise<void>;
  snapshot(): Promise<StoredRoute[]>;
  /** Calls `onChange` after every announced change (and on reconnect). */
  watch(onChange: () => void): Promise<void>;
  connected(): boolean;
  close(): Promise<void>;
}

export class RedisRouteCatalog implements RouteCatalog {
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly hashKey: string;
  private readonly channel: string;
  private readonly statusKey: string;
  private readonly regionsKey: string;
  private readonly log: Logger;

  constructor(url: string, prefix: string, logger: Logger) {
    this.hashKey = `${prefix}routes`;
    this.channel = `${prefix}routes:changed`;
    this.statusKey = `${prefix}routes:status`;
    this.regionsKey = `${prefix}regions`;
    this.log = logger.child({ module: 'route-catalog' });
    // Commands fail fast while Redis is away instead of queueing without bound; callers retry.
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 });
    this.client.on('error', (err) => this.log.debug({ err }, 'redis error'));
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  connected(): boolean {
    return this.client.status === 'ready';
  }

  async publish(route: StoredRoute): Promise<void> {
    await this.client.hset(this.hashKey, route.spec.name, JSON.stringify(route));
    await this.client.publish(this.channel, route.spec.name);
  }

  async withdraw(name: string): Promise<void> {
    await this.client.hdel(this.hashKey, name);
    // Its destination's report goes too (a destination that was down when the route went never withdraws it).
    await this.client.hdel(this.statusKey, name);
    await this.client.publish(this.channel, name);
  }

  async snapshot(): Promise<StoredRoute[]> {
    const all = await this.client.hgetall(this.hashKey);
    const out: StoredRoute[] = [];
    for (const [name, text] of Object.entries(all)) {
      try {
        out.push(JSON.parse(text) as StoredRoute);
      } catch (err) {
        this.log.warn({ err, route: name }, 'unreadable catalog entry ignored');
      }
    }
    return out;
  }

  async putReports(reports: readonly DestinationReport[], withdrawn: readonly string[]): Promise<void> {
    if (reports.length === 0 && withdrawn.length === 0) return;
    const m = this.client.multi();
    for (const r of reports) m.hset(this.statusKey, r.route, JSON.stringify(r));
    if (withdrawn.length > 0) m.hdel(this.statusKey, ...withdrawn);
    const replies = (await m.exec()) ?? [];
    for (const [err] of replies) if (err) throw err;
  }

  async reports(): Promise<DestinationReport[]> {
    return Object.values(await this.client.hgetall(this.statusKey))
      .map(parseReport)
      .filter((r): r is DestinationReport => r !== null);
  }

  async putRegion(note: RegionNote): Promise<void> {
    await this.client.hset(this.regionsKey, note.region, JSON.stringify(note));
  }

  async regions(): Promise<RegionNote[]> {
    return Object.values(await this.client.hgetall(this.regionsKey))
      .map(parseRegionNote)
      .filter((n): n is RegionNote => n !== null);
  }

  async watch(onChange: () => void): Promise<void> {
    const sub = this.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber = sub;
    sub.on('error', (err) => this.log.debug({ err }, 'redis subscriber error'));
    sub.on('message', () => onChange());
    // On every (re)connection: (re)subscribe — the first subscribe may have
    // failed while Redis was down — and resynchronize, because changes announced
    // meanwhile were lost. SUBSCRIBE twice to one channel is harmless.
    sub.on('ready', () => {
      sub.subscribe(this.channel).catch((err: unknown) => this.log.debug({ err }, 'subscribe failed; retried on the next connection'));
      onChange();
    });
    // A failed first connection is retried by ioredis on its own; callers need not wait.
    sub.connect().catch((err: unknown) => this.log.warn({ err }, 'route catalog subscriber not connected yet; retrying'));
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.client.disconnect();
  }
}

/** In-process catalog for tests and for a gateway started without Redis. */
export class MemoryRouteCatalog implements RouteCatalog {
  private readonly routes = new Map<string, StoredRoute>();
  private readonly watchers = new Set<() => void>();
  private readonly statuses = new Map<string, string>();
  private readonly notes = new Map<string, string>();
  /** Tests set it to make every call fail, as Redis being away does. */
  down = false;

  private reach(): void {
    if (this.down) throw new Error('route catalog unreachable (test)');
  }

  async putReports(reports: readonly DestinationReport[], withdrawn: readonly string[]): Promise<void> {
    this.reach();
    for (const r of reports) this.statuses.set(r.route, JSON.stringify(r));
    for (const name of withdrawn) this.statuses.delete(name);
  }
  async reports(): Promise<DestinationReport[]> {
    this.reach();
    return [...this.statuses.values()].map(parseReport).filter((r): r is DestinationReport => r !== null);
  }
  async putRegion(note: RegionNote): Promise<void> {
    this.reach();
    this.notes.set(note.region, JSON.stringify(note));
  }
  async regions(): Promise<RegionNote[]> {
    this.reach();
    return [...this.notes.values()].map(parseRegionNote).filter((n): n is RegionNote => n !== null);
  }

  async publish(route: StoredRoute): Promise<void> {
    this.routes.set(route.spec.name, structuredClone(route));
    this.notify();
  }
  async withdraw(name: string): Promise<void> {
    this.routes.delete(name);
    this.statuses.delete(name);
    this.notify();
  }
  async snapshot(): Promise<StoredRoute[]> {
    return [...this.routes.values()].map((r) => structuredClone(r));
  }
  async watch(onChange: () => void): Promise<void> {
    this.watchers.add(onChange);
  }
  connected(): boolean {
    return !this.down;
  }
  async close(): Promise<void> {
    this.watchers.clear();
  }
  private notify(): void {
    for (const w of this.watchers) queueMicrotask(w);
  }
}
