/**
 * The last conflicts a receiver resolved, for operators to inspect: which
 * record, both versions (region, last-update time, generation), which one
 * stands and why. A fixed-size ring: memory does not grow with traffic, the
 * newest conflicts replace the oldest.
 */
import { digestHex } from '../engine/index.js';
import { physicalMs, type RecordVersion } from '../record/index.js';

/** One side of a conflict, as operators read it. */
export interface ConflictSide {
  /** Region id (1..255) that wrote the version. */
  region: number;
  /** The version's last-update time, unix ms (physical part of its hybrid timestamp). */
  lut_ms: number;
  generation: number;
  deleted: boolean;
}

export interface ConflictEntry {
  /** Unix ms the receiver resolved it. */
  at_ms: number;
  route: string;
  resolver: string;
  ns: string;
  set: string;
  digest: string;
  /** The user key when the record carries it. */
  key: string | number | null;
  local: ConflictSide;
  incoming: ConflictSide;
  /** Which version stands now: the local one, the incoming one, or a merge of both. */
  winner: 'local' | 'incoming' | 'merged';
  /** The resolver's reason (applied, merged, older, identical, error). */
  reason: string;
}

export interface ConflictsSnapshot {
  /** Conflicts resolved since the gateway started (the ring holds the newest `capacity`). */
  total: number;
  capacity: number;
  /** Newest first. */
  recent: ConflictEntry[];
}

/** Conflicts kept per receiver by default. */
export const CONFLICT_RING_DEFAULT = 256;

function side(v: RecordVersion): ConflictSide {
  return { region: v.region, lut_ms: physicalMs(v.lut), generation: v.generation, deleted: v.deleted };
}

function userKey(v: RecordVersion): string | number | null {
  const k = v.key as unknown;
  if (typeof k === 'string' || typeof k === 'number') return k;
  if (typeof k === 'bigint') return k.toString();
  return null;
}

export function conflictEntry(atMs: number, route: string, resolver: string, local: RecordVersion, incoming: RecordVersion, winner: ConflictEntry['winner'], reason: string): ConflictEntry {
  return {
    at_ms: atMs, route, resolver, ns: incoming.ns, set: incoming.set, digest: digestHex(incoming.digest),
    key: userKey(incoming) ?? userKey(local), local: side(local), incoming: side(incoming), winner, reason,
  };
}

export class ConflictRing {
  private readonly entries: Array<ConflictEntry | undefined>;
  private next = 0;
  private total = 0;

  constructor(readonly capacity = CONFLICT_RING_DEFAULT) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 100_000) throw new RangeError(`conflict ring capacity: an integer 1..100000, got ${capacity}`);
    this.entries = new Array(capacity);
  }

  add(entry: ConflictEntry): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.total++;
  }

  /** The newest `limit` conflicts (of `route` when given), newest first. */
  snapshot(limit = this.capacity, route?: string): ConflictsSnapshot {
    const recent: ConflictEntry[] = [];
    for (let i = 1; i <= this.capacity && recent.length < limit; i++) {
      const e = this.entries[(this.next - i + this.capacity) % this.capacity];
      if (e === undefined) break;
      if (route === undefined || e.route === route) recent.push(e);
    }
    return { total: this.total, capacity: this.capacity, recent };
  }
}
