/**
 * Pure decisions of what a route ships. Kept free of I/O so every rule is a
 * unit test, and so the shipper loop only sequences reads and sends.
 */
import type { ChangeEvent } from '../engine/index.js';
import type { RecordVersion } from '../record/index.js';
import { admits, type RouteSpec } from '../replication-protocol/index.js';

/** Region ids a route is about (the spec names regions; ids are what versions carry). */
export interface RouteRegions {
  sourceId: number;
  destinationId: number;
}

export type ShipVerdict = 'ship' | 'filtered-set' | 'back-to-origin' | 'not-forwarded';

/**
 * Whether the destination's resolver may store a merge of two versions for a
 * record holding (`holdsCounters`) or not holding counter state: bin-lww and
 * custom always may; lww and generation merge counter states (docs/conflict.md,
 * "Counters under lww and generation"), so they may whenever counters are involved.
 */
export function mayMerge(route: Pick<RouteSpec, 'resolver'>, holdsCounters = false): boolean {
  return holdsCounters || route.resolver === 'bin-lww' || route.resolver === 'custom';
}

/** What shipVerdict needs of a version: its origin, and whether it holds counter state (record/'s holdsCounterState). */
export interface ShipHead {
  region: number;
  /** @default false */
  holdsCounters?: boolean;
}

/**
 * Whether the current `version` of a record goes out on `route`, given whether
 * any change of this record in the batch was made locally (`localChange`).
 *
 * - A version whose origin is another region is shipped only when the route
 *   forwards (no replication loops in active-active), and never back to the
 *   destination it came from.
 * - `includeOrigin` (only a rewind asked for it: restoring a region that lost
 *   its data) ships versions that originated at the destination too. The
 *   destination drops those it still has as identical, so nothing loops.
 * - Under a merging resolver the current version may be a merge whose max-lut
 *   part came from elsewhere but which also holds bins written here; a local
 *   change therefore always ships the current version, so the destination
 *   learns the local bins. At worst the destination finds it identical: loops
 *   end, because identical versions are not applied (no new change event).
 *   Under lww and generation the same holds for a record with counter state: a
 *   local increment merged into a version that came from the destination would
 *   otherwise be dropped by hot-key coalescing (the batch ships the current
 *   version only, and that one is back-to-origin). Records without counters
 *   keep the plain rule there.
 */
export function shipVerdict(route: Pick<RouteSpec, 'forward' | 'resolver'>, regions: RouteRegions, version: ShipHead, localChange: boolean, includeOrigin = false): ShipVerdict {
  if (localChange && mayMerge(route, version.holdsCounters === true)) return 'ship';
  if (version.region === regions.destinationId) return includeOrigin ? 'ship' : 'back-to-origin';
  if (version.region !== regions.sourceId && !route.forward) return 'not-forwarded';
  return 'ship';
}

/** Whether a change of a record in `set` concerns this route at all (set filter). */
export function admitsSet(route: Pick<RouteSpec, 'sets'>, set: string): boolean {
  return admits(route.sets, set);
}

/** Whether the route drops any bins (ship-bin / ignore-bin set). */
export function projects(route: Pick<RouteSpec, 'bins'>): boolean {
  const filter = route.bins;
  return filter !== undefined && ((filter.ship !== undefined && filter.ship.length > 0) || (filter.ignore !== undefined && filter.ignore.length > 0));
}

/**
 * The version with only the bins the route ships (ship-bin / ignore-bin). Bin
 * luts and counter states (visible and dormant) of dropped bins go too, so the
 * destination has no opinion about them rather than a wrong one. Returns the
 * input when nothing is dropped.
 */
export function projectBins(route: Pick<RouteSpec, 'bins'>, version: RecordVersion): RecordVersion {
  const filter = route.bins;
  if (filter === undefined || !projects(route)) return version;
  const keep = (name: string): boolean => name.startsWith('!') || admits(filter, name);
  const bins: RecordVersion['bins'] = {};
  for (const [name, value] of Object.entries(version.bins)) if (keep(name)) bins[name] = value;
  const binLuts: RecordVersion['binLuts'] = {};
  for (const [name, lut] of Object.entries(version.binLuts)) if (keep(name)) binLuts[name] = lut;
  const out: RecordVersion = { ...version, bins, binLuts };
  if (version.counters !== undefined) {
    const counters: NonNullable<RecordVersion['counters']> = {};
    for (const [name, c] of Object.entries(version.counters)) if (keep(name)) counters[name] = c;
    out.counters = counters;
  }
  if (version.dormantCounters !== undefined) {
    const dormant: NonNullable<RecordVersion['dormantCounters']> = {};
    for (const [name, c] of Object.entries(version.dormantCounters)) if (keep(name)) dormant[name] = c;
    out.dormantCounters = dormant;
  }
  return out;
}

/** A batch's events collapsed to one entry per record (hot-key coalescing). */
export interface CoalescedChange {
  ns: string;
  set: string;
  digest: ChangeEvent['digest'];
  /** Any change of this record in the batch was made in the source region. */
  localChange: boolean;
  /** Some change of this record in the batch could make it worth shipping (see coalesce). */
  candidate: boolean;
  /** Newest lut among the record's changes in the batch. */
  lut: number;
}

export interface Coalesced {
  /** One entry per record worth looking up, in order of first appearance. */
  changes: CoalescedChange[];
  /** Changes folded into an earlier change of the same record (Aerospike's hot_keys). */
  duplicates: number;
  /** Changes of sets the route does not ship, and records changed only by other regions that the route does not forward. */
  filteredOut: number;
}

/**
 * Folds a batch of change events: one entry per digest (the shipper ships the
 * record's CURRENT version, so later changes of the same record add nothing but
 * work), set filter applied. Order: first appearance, so each record keeps its
 * place relative to the others.
 *
 * Records whose every change in the batch came from another region (versions
 * the receiver applied) are dropped here, before any read, unless the route
 * forwards: they cannot ship (shipVerdict says back-to-origin or not-forwarded
 * for any version they leave), and a later local change of the same record has
 * its own event. In active-active this skips the lookup of every applied version.
 */
export function coalesce(route: Pick<RouteSpec, 'sets' | 'forward'>, regions: RouteRegions, events: readonly ChangeEvent[]): Coalesced {
  const byDigest = new DigestMap<CoalescedChange>();
  let duplicates = 0;
  let filteredOut = 0;
  const filtered = route.sets !== undefined;
  for (const e of events) {
    if (filtered && !admitsSet(route, e.set)) {
      filteredOut++;
      continue;
    }
    const local = e.region === regions.sourceId;
    const candidate = local || (route.forward && e.region !== regions.destinationId);
    const seen = byDigest.get(e.digest);
    if (seen === undefined) {
      byDigest.set(e.digest, { ns: e.ns, set: e.set, digest: e.digest, localChange: local, candidate, lut: e.lut });
    } else {
      duplicates++;
      seen.localChange ||= local;
      seen.candidate ||= candidate;
      if (e.lut > seen.lut) seen.lut = e.lut;
    }
  }
  const changes: CoalescedChange[] = [];
  for (const c of byDigest.values()) {
    if (c.candidate) changes.push(c);
    else filteredOut++;
  }
  return { changes, duplicates, filteredOut };
}

function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A Map keyed by digest without building a string per lookup: digests are
 * uniformly random, so 30 of their bits make a key that rarely collides (a
 * batch of 1000 digests has one colliding pair with probability ~0.05 %), and a
 * collision is still handled (a short list per key). 30 bits keep the key a
 * small integer, which V8's Map hashes without allocating a heap number.
 * Iterates in insertion order, like Map.
 */
class DigestMap<V extends { digest: Uint8Array }> {
  private readonly byKey = new Map<number, V | V[]>();
  private readonly order: V[] = [];

  private static key(d: Uint8Array): number {
    return d[0]! | (d[1]! << 8) | (d[2]! << 16) | ((d[3]! & 0x3f) << 24);
  }

  get(digest: Uint8Array): V | undefined {
    const slot = this.byKey.get(DigestMap.key(digest));
    if (slot === undefined) return undefined;
    if (!Array.isArray(slot)) return sameDigest(slot.digest, digest) ? slot : undefined;
    return slot.find((v) => sameDigest(v.digest, digest));
  }

  /** Adds a value for a digest not yet present (callers get() first). */
  set(digest: Uint8Array, value: V): void {
    const k = DigestMap.key(digest);
    const slot = this.byKey.get(k);
    if (slot === undefined) this.byKey.set(k, value);
    else if (Array.isArray(slot)) slot.push(value);
    else this.byKey.set(k, [slot, value]);
    this.order.push(value);
  }

  values(): V[] {
    return this.order;
  }
}
