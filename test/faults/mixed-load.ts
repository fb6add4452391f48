/**
 * Two-way client load of the kind a user runs against active-active regions:
 * unique writes, overwrites of keys both regions write, increments of counters
 * both regions increment, and durable deletes, in both shipped namespaces,
 * against both regions at once, at a steady rate. Every operation's outcome is
 * remembered: acknowledged (HTTP 2xx), refused (a 4xx/5xx that says nothing was
 * applied), or in doubt (no answer: the gateway died mid-request; or a 504
 * shipped-ack timeout: applied, not acknowledged). `checkKept` then reads both
 * regions and counts what an acknowledged operation promised and a region lacks.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayClient } from '../../xdr/cli/index.js';
import { NS, SESSIONS } from '../helpers/two-regions/index.js';

export const MIXED_SET = 'mixed';
const NAMESPACES = [NS, SESSIONS] as const;
const SHARED_KEYS = 10;
const COUNTERS = 5;

type Outcome = 'acked' | 'refused' | 'in-doubt';

/** The system error code under a failed fetch (ApiError → fetch's TypeError → the socket's error). */
function socketCode(err: unknown): string | undefined {
  for (let e: unknown = err; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E') && !code.includes('_ERR_')) return code;
  }
  return undefined;
}

/** What a failed request means for whether it was applied. */
function outcomeOf(err: unknown): Outcome {
  const status = (err as { status?: number }).status;
  // A gateway that is down refuses the connection: nothing was sent, nothing applied.
  if (socketCode(err) === 'ECONNREFUSED') return 'refused';
  // No answer (the connection died with the request on it), or applied-but-not-shipped (504).
  if (status === undefined || status === 0 || status === 504) return 'in-doubt';
  return 'refused';
}

interface Tally {
  acked: number;
  inDoubt: number;
}

export interface LoadModel {
  /** ns/key → the value of its one write (unique keys). */
  unique: Map<string, { region: string; v: number; outcome: Outcome }>;
  /** ns/key → values written to it and how each write ended. */
  shared: Map<string, Map<number, Outcome>>;
  /** ns/key → increments acknowledged and in doubt. */
  counters: Map<string, Tally>;
  /** ns/key → the delete's outcome (the write before it was acknowledged). */
  deleted: Map<string, Outcome>;
  operations: { acked: number; refused: number; inDoubt: number };
}

export function emptyModel(): LoadModel {
  return { unique: new Map(), shared: new Map(), counters: new Map(), deleted: new Map(), operations: { acked: 0, refused: 0, inDoubt: 0 } };
}

export class MixedLoad {
  private running = false;
  private workers: Promise<void>[] = [];
  private seq = 0;

  constructor(
    private readonly model: LoadModel,
    private readonly clients: ReadonlyMap<string, GatewayClient>,
    /** Operations per second over both regions. */
    private readonly ratePerSec = 150,
    /** Requests in flight over both regions. */
    private readonly inFlight = 12,
  ) {}

  start(): this {
    this.running = true;
    const regions = [...this.clients.keys()];
    for (let w = 0; w < this.inFlight; w++) this.workers.push(this.worker(regions[w % regions.length]!));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private count(outcome: Outcome): void {
    if (outcome === 'acked') this.model.operations.acked++;
    else if (outcome === 'refused') this.model.operations.refused++;
    else this.model.operations.inDoubt++;
  }

  private async run(fn: () => Promise<unknown>): Promise<Outcome> {
    let outcome: Outcome;
    try {
      await fn();
      outcome = 'acked';
    } catch (err) {
      outcome = outcomeOf(err);
    }
    this.count(outcome);
    return outcome;
  }

  private async worker(region: string): Promise<void> {
    const client = this.clients.get(region)!;
    const periodMs = (1000 * this.inFlight) / this.ratePerSec;
    while (this.running) {
      const started = Date.now();
      const n = this.seq++;
      const ns = NAMESPACES[n % NAMESPACES.length]!;
      const kind = n % 20;
      const path = (key: string) => `/v1/records/${ns}/${MIXED_SET}/${key}`;
      if (kind < 8) {
        const key = `u-${region}-${n}`;
        const outcome = await this.run(() => client.request('PUT', path(key), { bins: { v: n, by: region } }));
        this.model.unique.set(`${ns}/${key}`, { region, v: n, outcome });
      } else if (kind < 13) {
        const key = `s-${n % SHARED_KEYS}`;
        const outcome = await this.run(() => client.request('PUT', path(key), { bins: { v: n, by: region } }));
        const writes = this.model.shared.get(`${ns}/${key}`) ?? new Map<number, Outcome>();
        writes.set(n, outcome);
        this.model.shared.set(`${ns}/${key}`, writes);
      } else if (kind < 18) {
        const key = `c-${n % COUNTERS}`;
        const outcome = await this.run(() => client.request('POST', `${path(key)}/operate`, { ops: [{ op: 'incr', bin: 'n', value: 1 }] }));
        const t = this.model.counters.get(`${ns}/${key}`) ?? { acked: 0, inDoubt: 0 };
        if (outcome === 'acked') t.acked++;
        else if (outcome === 'in-doubt') t.inDoubt++;
        this.model.counters.set(`${ns}/${key}`, t);
      } else {
        const key = `d-${region}-${n}`;
        if ((await this.run(() => client.request('PUT', path(key), { bins: { v: n } }))) === 'acked') {
          this.model.deleted.set(`${ns}/${key}`, await this.run(() => client.request('DELETE', path(key))));
        }
      }
      const rest = periodMs - (Date.now() - started);
      if (rest > 0) await sleep(rest);
    }
  }
}

export interface KeptReport {
  acknowledged: number;
  /** Per region: acknowledged operations whose effect it lacks. */
  lost: Record<string, number>;
  /** Counters whose value in some region is outside [acknowledged, acknowledged + in doubt]. */
  countersOff: number;
  /** Counters checked, and how many had no increment in doubt (those must be exact). */
  counters: number;
  details: string[];
}

type Reader = (ns: string, key: string) => Promise<Record<string, unknown> | null>;

/** Reads `key` of `ns` in the set, null when absent. */
export function reader(client: GatewayClient): Reader {
  return async (ns, key) => {
    try {
      return (await client.request<{ bins: Record<string, unknown> }>('GET', `/v1/records/${ns}/${MIXED_SET}/${key}`)).body.bins;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  };
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Reads every key the load touched in every region and counts what an acknowledged operation promised and is not there. */
export async function checkKept(model: LoadModel, regions: ReadonlyMap<string, GatewayClient>): Promise<KeptReport> {
  const report: KeptReport = { acknowledged: model.operations.acked, lost: {}, countersOff: 0, counters: model.counters.size, details: [] };
  for (const [region, client] of regions) {
    const read = reader(client);
    let lost = 0;
    const miss = (what: string) => {
      lost++;
      if (report.details.length < 40) report.details.push(`${region}: ${what}`);
    };
    await eachLimited([...model.unique], 8, async ([nsKey, w]) => {
      if (w.outcome !== 'acked') return;
      const [ns, key] = nsKey.split('/') as [string, string];
      const bins = await read(ns, key);
      if (bins?.v !== w.v) miss(`${nsKey} acknowledged v=${w.v}, found ${JSON.stringify(bins)}`);
    });
    await eachLimited([...model.shared], 8, async ([nsKey, writes]) => {
      const [ns, key] = nsKey.split('/') as [string, string];
      const bins = await read(ns, key);
      const acked = [...writes.values()].some((o) => o === 'acked');
      if (bins === null) {
        if (acked) miss(`${nsKey} had acknowledged writes and is gone`);
        return;
      }
      const outcome = writes.get(bins.v as number);
      if (outcome === undefined || outcome === 'refused') miss(`${nsKey} holds v=${String(bins.v)}, which no acknowledged or in-doubt write wrote`);
    });
    await eachLimited([...model.deleted], 8, async ([nsKey, outcome]) => {
      if (outcome !== 'acked') return;
      const [ns, key] = nsKey.split('/') as [string, string];
      if ((await read(ns, key)) !== null) miss(`${nsKey} was deleted (acknowledged) and is back`);
    });
    await eachLimited([...model.counters], 4, async ([nsKey, t]) => {
      const [ns, key] = nsKey.split('/') as [string, string];
      const value = Number((await read(ns, key))?.n ?? 0);
      if (value < t.acked || value > t.acked + t.inDoubt) {
        report.countersOff++;
        if (report.details.length < 40) report.details.push(`${region}: counter ${nsKey} = ${value}, acknowledged ${t.acked} (+${t.inDoubt} in doubt)`);
      }
    });
    report.lost[region] = lost;
  }
  return report;
}
