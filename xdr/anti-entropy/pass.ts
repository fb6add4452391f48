/**
 * One repair pass over a namespace between two regions: partition hashes
 * (with the settle cutoff, in ranges sized to the record budget), then the
 * listings of the partitions that differ, then each side re-ships its version
 * of what differs (decide.ts). The budget paces hashing and listing; re-ship
 * requests are bounded in size and in number in flight. Used by the
 * background anti-entropy task and by `xdrgate verify --repair`.
 */
import { PARTITION_COUNT } from '../../engine/index.js';
import { differingPartitions } from '../verify/index.js';
import type { RecordBudget } from './budget.js';
import { nextRangeSize } from './budget.js';
import { decideRepair } from './decide.js';
import type { PairSide } from './sides.js';

export interface PassOptions {
  ns: string;
  a: PairSide;
  b: PairSide;
  /** The route `a` ships to `b` on, and the one back; a missing one (a one-way pair) leaves that side's versions unshipped (counted in `unshippable`). */
  aRoute: string | undefined;
  bRoute: string | undefined;
  /** Settle cutoff (HLC): records changed after it are in flight. undefined: none. */
  lutMax: number | undefined;
  /** First partition of this pass (a pass cut short by recordsPerPass goes on from there). @default 0 */
  startPid?: number;
  /** Records hashed (both sides) after which the pass stops at the end of its range. */
  recordsPerPass: number;
  /** Records re-shipped (both directions) after which nothing more is queued this pass. */
  reshipPerPass: number;
  digestsPerRequest: number;
  /** Re-ship requests in flight at once. */
  concurrentRequests: number;
  budget: RecordBudget;
  /** Partitions per hash request at most. @default 256 */
  partitionsPerRequestMax?: number;
  /** Records (both sides) one hash request aims at. */
  targetRecordsPerRequest: number;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
  /** True when the pass must end now (the gateway stops). */
  isStopping: () => boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PassResult {
  partitionsCompared: number;
  partitionsDiffering: number;
  /** Records hashed in both regions. */
  recordsHashed: number;
  /** Records listed in both regions (differing partitions only). */
  recordsListed: number;
  /** Differing records left for the next pass because they changed within the settle window. */
  settling: number;
  /** Records re-shipped a→b and b→a (acknowledged by the source region's Kafka). */
  reshippedAtoB: number;
  reshippedBtoA: number;
  /** Differing records not queued because reshipPerPass was reached. */
  reshipDeferred: number;
  /** Differing records whose holder has no route to the other side. */
  unshippable: number;
  /** False when the pass stopped early (recordsPerPass, or the gateway stopping); `nextPid` is where the next goes on. */
  complete: boolean;
  nextPid: number;
}

/** Re-ship requests queued per direction, sent in chunks with a bound on requests in flight. */
class ReshipQueue {
  private readonly pending: Array<{ side: PairSide; route: string; digests: string[]; count: (n: number) => void }> = [];
  private readonly inflight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly o: PassOptions) {}

  add(side: PairSide, route: string, digests: string[], count: (n: number) => void): Promise<void> {
    for (let i = 0; i < digests.length; i += this.o.digestsPerRequest) this.pending.push({ side, route, digests: digests.slice(i, i + this.o.digestsPerRequest), count });
    return this.pump();
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      if (this.failure !== undefined) throw this.failure;
      while (this.inflight.size >= this.o.concurrentRequests) await Promise.race(this.inflight);
      const job = this.pending.shift()!;
      const p = this.send(job.side, job.route, job.digests).then(
        (n) => job.count(n),
        (err: unknown) => {
          this.failure ??= err;
        },
      );
      const tracked = p.finally(() => this.inflight.delete(tracked));
      this.inflight.add(tracked);
    }
  }

  /** One request; a full re-ship queue at the source (429, SHIP_ERR_BUSY) is waited out a few times. */
  private async send(side: PairSide, route: string, digests: string[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await side.reship(route, this.o.ns, digests)).shipped;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SHIP_ERR_BUSY' || attempt >= 5) throw err;
        await this.o.sleep(200 * 2 ** attempt);
      }
    }
  }

  async drain(): Promise<void> {
    await this.pump();
    await Promise.all(this.inflight);
    if (this.failure !== undefined) throw this.failure;
  }
}

export async function runPass(o: PassOptions): Promise<PassResult> {
  const r: PassResult = { partitionsCompared: 0, partitionsDiffering: 0, recordsHashed: 0, recordsListed: 0, settling: 0, reshippedAtoB: 0, reshippedBtoA: 0, reshipDeferred: 0, unshippable: 0, complete: true, nextPid: 0 };
  const queue = new ReshipQueue(o);
  const maxRange = Math.max(1, Math.min(PARTITION_COUNT, o.partitionsPerRequestMax ?? 256));
  let queued = 0;
  let density: number | undefined;
  const start = o.startPid ?? 0;
  let pid = start;
  while (pid < PARTITION_COUNT) {
    if (o.isStopping() || r.recordsHashed >= o.recordsPerPass) {
      r.complete = false;
      r.nextPid = pid;
      break;
    }
    const last = Math.min(PARTITION_COUNT - 1, pid + nextRangeSize(density, o.targetRecordsPerRequest, maxRange) - 1);
    const [da, db] = await Promise.all([o.a.digests(o.ns, pid, last, o.lutMax), o.b.digests(o.ns, pid, last, o.lutMax)]);
    let hashed = 0;
    for (const p of da) hashed += p.records;
    for (const p of db) hashed += p.records;
    r.recordsHashed += hashed;
    r.partitionsCompared += last - pid + 1;
    density = hashed / (last - pid + 1);
    await o.sleep(o.budget.charge(hashed, o.nowMs()));
    for (const dpid of differingPartitions(da, db)) {
      if (o.isStopping()) break;
      const [la, lb] = await Promise.all([o.a.records(o.ns, dpid), o.b.records(o.ns, dpid)]);
      r.recordsListed += la.length + lb.length;
      const d = decideRepair(la, lb, o.lutMax);
      r.settling += d.settling;
      if (d.aShips.length + d.bShips.length > 0) r.partitionsDiffering++;
      if (o.aRoute === undefined) r.unshippable += d.aShips.splice(0).length;
      if (o.bRoute === undefined) r.unshippable += d.bShips.splice(0).length;
      const room = Math.max(0, o.reshipPerPass - queued);
      const aShips = d.aShips.slice(0, room);
      const bShips = d.bShips.slice(0, Math.max(0, room - aShips.length));
      r.reshipDeferred += d.aShips.length + d.bShips.length - aShips.length - bShips.length;
      queued += aShips.length + bShips.length;
      if (aShips.length > 0) await queue.add(o.a, o.aRoute!, aShips, (n) => (r.reshippedAtoB += n));
      if (bShips.length > 0) await queue.add(o.b, o.bRoute!, bShips, (n) => (r.reshippedBtoA += n));
      await o.sleep(o.budget.charge(la.length + lb.length, o.nowMs()));
    }
    pid = last + 1;
    o.onProgress?.(pid - start, PARTITION_COUNT - start);
  }
  await queue.drain();
  if (o.isStopping() && r.complete && pid < PARTITION_COUNT) {
    r.complete = false;
    r.nextPid = pid;
  }
  return r;
}
