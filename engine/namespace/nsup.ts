/**
 * nsup, Aerospike's namespace supervisor: removes expired records (counting
 * them, and appending 'expire' events when the namespace ships nsup deletes),
 * collects tombstones older than tombstone-grace-sec, and past
 * high-water-disk-pct (or high-water-memory-pct) evicts the records closest
 * to expiry. It walks the index
 * in slices and yields to the event loop between them, so client requests are
 * never held up for long.
 */
import { physicalMs } from '../../record/index.js';
import type { Namespace } from './namespace.js';

/** Slots examined per slice before yielding. */
const SLOTS_PER_SLICE = 16_384;

export interface NsupResult {
  expired: number;
  tombstonesCollected: number;
  evicted: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runNsup(ns: Namespace, isClosed: () => boolean): Promise<NsupResult> {
  const started = performance.now();
  const index = ns.index;
  const result: NsupResult = { expired: 0, tombstonesCollected: 0, evicted: 0 };
  const expireKind = ns.options.shipNsupDeletes ? 'expire' : null;
  for (let first = 0; first < index.slotHighWater; first += SLOTS_PER_SLICE) {
    if (isClosed()) return result;
    const nowSec = ns.nowSec();
    const tombstoneBeforeMs = ns.hlc.clock.nowMs() - ns.options.tombstoneGraceSec * 1000;
    const end = Math.min(first + SLOTS_PER_SLICE, index.slotHighWater);
    for (let slot = first; slot < end; slot++) {
      if (!index.isLive(slot)) continue;
      if (index.isTombstone(slot)) {
        if (physicalMs(index.lut(slot)) < tombstoneBeforeMs) {
          ns.drop(slot, null);
          result.tombstonesCollected++;
        }
      } else if (ns.isExpired(slot, nowSec)) {
        ns.drop(slot, expireKind);
        result.expired++;
      }
    }
    await yieldToLoop();
  }
  if (!isClosed()) result.evicted = evictPastHighWater(ns, expireKind);
  ns.stats.expired += result.expired;
  ns.stats.tombstonesCollected += result.tombstonesCollected;
  ns.stats.evicted += result.evicted;
  ns.stats.nsupCycles++;
  ns.stats.nsupLastMs = performance.now() - started;
  if (result.expired + result.tombstonesCollected + result.evicted > 0) {
    ns.logger.info({ ...result, elapsedMs: Math.round(ns.stats.nsupLastMs) }, 'nsup cycle');
  }
  return result;
}

/**
 * Past high-water-disk-pct, or past high-water-memory-pct of memory-size,
 * evicts records with a ttl, soonest to expire first, until use is back under
 * both marks (Aerospike's nsup eviction; records without a ttl are never evicted).
 */
function evictPastHighWater(ns: Namespace, kind: 'expire' | null): number {
  const hwm = ns.options.highWaterDiskPct;
  const blocks = ns.storage.blocks;
  const over = () => (hwm > 0 && blocks.usedPct() > hwm) || ns.memory.pastHighWater();
  if (!over()) return 0;
  const index = ns.index;
  const candidates: number[] = [];
  index.forEach((slot) => {
    if (!index.isTombstone(slot) && index.voidTime(slot) !== 0) candidates.push(slot);
  });
  candidates.sort((a, b) => index.voidTime(a) - index.voidTime(b));
  let evicted = 0;
  for (const slot of candidates) {
    if (!over()) break;
    ns.drop(slot, kind);
    evicted++;
  }
  if (evicted > 0) {
    ns.logger.warn({ evicted, usedPct: blocks.usedPct(), highWaterDiskPct: hwm, memoryUsedPct: ns.memory.usedPct(), highWaterMemoryPct: ns.options.highWaterMemoryPct },
      'evicted records past high-water-disk-pct or high-water-memory-pct');
  }
  return evicted;
}
