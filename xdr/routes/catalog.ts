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
import type { StoredRoute } from './store.js';

export interface RouteCatalog {
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
  private readonly log: Logger;

  constructor(url: string, prefix: string, logger: Logger) {
    this.hashKey = `${prefix}routes`;
    this.channel = `${prefix}routes:changed`;
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

  async publish(route: StoredRoute): Promise<void> {
    this.routes.set(route.spec.name, structuredClone(route));
    this.notify();
  }
  async withdraw(name: string): Promise<void> {
    this.routes.delete(name);
    this.notify();
  }
  async snapshot(): Promise<StoredRoute[]> {
    return [...this.routes.values()].map((r) => structuredClone(r));
  }
  async watch(onChange: () => void): Promise<void> {
    this.watchers.add(onChange);
  }
  connected(): boolean {
    return true;
  }
  async close(): Promise<void> {
    this.watchers.clear();
  }
  private notify(): void {
    for (const w of this.watchers) queueMicrotask(w);
  }
}
