/**
 * A deterministic simulation of 2–3 regions replicating one record, each
 * region a real Engine (memory namespace, its own manual clock, its own change
 * log) with the real replication path between them: the shipper's coalescing
 * and preparation (shipper/filter.ts coalesce, shipper/prepare.ts
 * prepareChanges, which transcodes stored versions read through engine.readStoredVersions)
 * and the receiver's handleMessage (decode, resolve, engine.applyVersion).
 * Only Kafka is a plain queue per destination. So the local writes are the
 * engine's own write path (put, operate increments, durable delete), and the
 * resolvers see exactly the versions a gateway would give them.
 *
 * The generated history decides local changes, shipping (with crashes of the
 * in-flight batch: lost before Kafka took it, or sent and then re-sent because
 * the cursor commit did not happen) and delivery (any order, duplicates). A
 * final drain ships and delivers until nothing is left. Every run replays from
 * the fast-check seed printed on failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import type { Resolver } from '../../../conflict/index.js';
import { Engine, computeDigest, type ChangeCursor } from '../../../engine/index.js';
import { ManualClock, type RecordVersion } from '../../../record/index.js';
import { handleMessage } from '../../../receiver/index.js';
import type { Bins } from '../../../record/index.js';
import { coalesce } from '../../../shipper/index.js';
import { prepareChanges } from '../../../shipper/prepare.js';
import { type RouteSpec } from '../../../replication-protocol/index.js';
import { mulberry32 } from '../../helpers/seeded-random.js';

export type SimOp =
  | { t: 'write'; r: number; wall: number; bins: Bins; replace: boolean }
  | { t: 'delete'; r: number; wall: number }
  | { t: 'incr'; r: number; wall: number; delta: number }
  | { t: 'ship'; r: number; crash: 'none' | 'lost' | 'resent' }
  | { t: 'deliver'; r: number; pick: number; dup: boolean };

export interface History {
  regionIds: number[];
  ops: SimOp[];
  shuffleSeed: number;
}

/** A local change the engine acknowledged, with the version it stored. */
export interface Made {
  op: SimOp;
  version: RecordVersion;
}

export interface SimResult {
  states: Array<RecordVersion | null>;
  made: Made[];
}

const NS = 'test';
const SET = 's';
export const COUNTER_BIN = 'c';

const plainValue = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom('x', 'y'), fc.constant(null));
/** Without null: a write that removes bins can leave a record without bins, which makes it a tombstone (a reset). */
const presentValue = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom('x', 'y'));
const counterValue = fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom(null, 's'));

function opArb(regions: number, o: { counterWrites: boolean; deletes: boolean }): fc.Arbitrary<SimOp> {
  const r = fc.integer({ min: 0, max: regions - 1 });
  const wall = fc.integer({ min: 0, max: 6 });
  const bins = (o.counterWrites
    ? fc.record({ a: plainValue, b: plainValue, c: counterValue }, { requiredKeys: [] })
    : fc.record({ a: o.deletes ? plainValue : presentValue, b: o.deletes ? plainValue : presentValue }, { requiredKeys: [] }))
    .filter((b) => Object.keys(b).length > 0) as fc.Arbitrary<Bins>;
  const choices: Array<fc.Arbitrary<SimOp>> = [
    fc.record({ t: fc.constant('write' as const), r, wall, bins, replace: o.counterWrites ? fc.boolean() : fc.constant(false) }),
    fc.record({ t: fc.constant('incr' as const), r, wall, delta: fc.integer({ min: -5, max: 9 }) }),
    fc.record({ t: fc.constant('incr' as const), r, wall, delta: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ t: fc.constant('ship' as const), r, crash: fc.constantFrom('none' as const, 'none' as const, 'lost' as const, 'resent' as const) }),
    fc.record({ t: fc.constant('deliver' as const), r, pick: fc.nat(), dup: fc.boolean() }),
    fc.record({ t: fc.constant('deliver' as const), r, pick: fc.nat(), dup: fc.boolean() }),
  ];
  if (o.deletes) choices.push(fc.record({ t: fc.constant('delete' as const), r, wall }));
  return fc.oneof(...choices);
}

/**
 * Histories of concurrent writes, increments and deletes with random shipping
 * and delivery. `counterWrites: false` leaves bin c to increments alone (no
 * plain writes, no replacing puts), `deletes: false` has no record deletes and
 * no bin removals (removing the last bin makes a tombstone): together,
 * histories without resets, where every counter must be the exact sum.
 */
export function historyArb(opts: { counterWrites?: boolean; deletes?: boolean; maxOps?: number } = {}): fc.Arbitrary<History> {
  const o = { counterWrites: opts.counterWrites ?? true, deletes: opts.deletes ?? true };
  return fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.record({
      regionIds: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }),
      ops: fc.array(opArb(n, o), { minLength: 1, maxLength: opts.maxOps ?? 24 }),
      shuffleSeed: fc.integer(),
    }),
  );
}

interface Region {
  id: number;
  engine: Engine;
  clock: ManualClock;
  cursors: Map<number, ChangeCursor>;
}

const silent = pino({ level: 'silent' });

/**
 * One engine per region id (1..5), opened once and reused by every run of a
 * test file: each run writes its own key, so runs never see each other's
 * record, and each run starts its clocks and cursors past the previous one.
 */
export class SimWorld {
  private readonly dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'xdrgate-sim-'));
  private readonly regions = new Map<number, Region>();
  private runs = 0;
  private baseMs = Date.UTC(2026, 0, 1);

  private async region(id: number): Promise<Region> {
    let r = this.regions.get(id);
    if (r === undefined) {
      const clock = new ManualClock(this.baseMs);
      const engine = await Engine.open({
        dataDir: path.join(this.dir, `r${id}`),
        regionId: id,
        clock,
        namespaces: [{ name: NS, storageEngine: 'memory', nsupPeriod: 0, changeLog: { readVisibility: 'appended' } }],
      });
      r = { id, engine, clock, cursors: new Map() };
      this.regions.set(id, r);
    }
    return r;
  }

  private async cursor(from: Region, to: number): Promise<ChangeCursor> {
    let c = from.cursors.get(to);
    if (c === undefined) {
      c = await from.engine.changeLog(NS).cursor(`to-${to}`);
      from.cursors.set(to, c);
    }
    return c;
  }

  async close(): Promise<void> {
    for (const r of this.regions.values()) await r.engine.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Plays one history under `resolver` (every route of the full mesh uses it). */
  async run(h: History, resolver: Resolver): Promise<SimResult> {
    this.runs++;
    // Each run at its own wall time, far past the last: HLCs of every region start level.
    this.baseMs += 60_000;
    const key = { ns: NS, set: SET, key: `run-${this.runs}` };
    const digest = computeDigest(SET, key.key);
    const regions = await Promise.all(h.regionIds.map((id) => this.region(id)));
    for (const r of regions) {
      r.clock.set(this.baseMs);
      // Skip whatever an earlier (failed) run left in the logs.
      for (const other of regions) if (other !== r) await (await this.cursor(r, other.id)).seek(r.engine.changeLog(NS).headSeq());
    }
    const inbox = new Map<number, Buffer[]>(regions.map((r) => [r.id, []]));
    const made: Made[] = [];
    const routeTo = (from: Region, to: Region): RouteSpec => ({
      name: `r${from.id}-r${to.id}`, source: `r${from.id}`, destination: `r${to.id}`, namespace: NS, resolver: resolver.name as RouteSpec['resolver'],
      forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true,
    });

    /** One shipper cycle from `from` to every other region; returns the messages sent. */
    const ship = async (from: Region, crash: 'none' | 'lost' | 'resent'): Promise<number> => {
      let sent = 0;
      for (const to of regions) {
        if (to === from) continue;
        const cursor = await this.cursor(from, to.id);
        const batch = await cursor.read(64);
        if (batch.overflow) throw new Error('sim: change-log overflow');
        if (batch.events.length === 0) continue;
        const route = routeTo(from, to);
        const routeRegions = { sourceId: from.id, destinationId: to.id };
        const { changes } = coalesce(route, routeRegions, batch.events);
        const ctx = { route, regions: routeRegions, partitions: 1, recordBytesMax: 1 << 20, logger: silent, nowMs: from.clock.nowMs() };
        const prepared = await prepareChanges(ctx, from.engine, changes, 8);
        if (crash !== 'lost') for (const m of prepared.messages) inbox.get(to.id)!.push(m.value);
        sent += prepared.messages.length;
        const lastEvent = batch.events.at(-1)!;
        if (crash === 'none') await cursor.commit(lastEvent.seq, lastEvent.lut);
        else cursor.rewindToCommitted();
      }
      return sent;
    };

    const deliver = async (to: Region, value: Buffer): Promise<void> => {
      const outcome = await handleMessage(
        { regionId: to.id, engine: to.engine, maxClockOffsetMs: Number.MAX_SAFE_INTEGER, nowMs: () => to.clock.nowMs() },
        { name: 'sim', namespace: NS, resolver },
        value,
      );
      if (outcome.kind !== 'resolved' || outcome.reason === 'error') throw new Error(`sim: a message was not resolved: ${JSON.stringify(outcome)}`);
    };

    for (const op of h.ops) {
      const region = regions[op.r]!;
      if (op.t === 'ship') {
        await ship(region, op.crash);
        continue;
      }
      if (op.t === 'deliver') {
        const queue = inbox.get(region.id)!;
        if (queue.length === 0) continue;
        const i = op.pick % queue.length;
        const value = queue[i]!;
        if (!op.dup) queue.splice(i, 1);
        await deliver(region, value);
        continue;
      }
      region.clock.set(this.baseMs + op.wall);
      try {
        if (op.t === 'write') await region.engine.put(key, op.bins, op.replace ? { exists: 'create-or-replace' } : {});
        else if (op.t === 'incr') await region.engine.operate(key, [{ op: 'incr', bin: COUNTER_BIN, value: op.delta }]);
        else if (!(await region.engine.remove(key))) continue;
      } catch {
        continue; // refused (e.g. incrementing a string): not acknowledged, nothing stored
      }
      made.push({ op, version: (await region.engine.readVersion(NS, digest))! });
    }

    // Drain: ship and deliver until no region has anything left to send.
    const random = mulberry32(h.shuffleSeed);
    for (let round = 0; ; round++) {
      if (round > 12) throw new Error('sim: replication did not go quiet after 12 rounds');
      let sent = 0;
      for (const r of regions) sent += await ship(r, 'none');
      for (const r of regions) {
        const queue = inbox.get(r.id)!.splice(0);
        for (let i = queue.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [queue[i], queue[j]] = [queue[j]!, queue[i]!];
        }
        for (const value of queue) {
          await deliver(r, value);
          if (random() < 0.2) await deliver(r, value);
        }
      }
      if (sent === 0) break;
    }
    const states = await Promise.all(regions.map((r) => r.engine.readVersion(NS, digest)));
    return { states, made };
  }
}
