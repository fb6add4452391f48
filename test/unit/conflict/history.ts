/**
 * Random local histories of one record at 2–3 regions, played through the
 * engine's own write path (test/helpers/local-writes.ts: put, operate
 * increments, durable delete) with versions exchanged through a resolver in
 * between. Every version made or stored is collected, for property tests of
 * the merges over versions the engine really makes.
 */
import fc from 'fast-check';
import type { Resolver, Version } from '../../../conflict/index.js';
import { newestCounterEpoch } from '../../../engine/operations/version-check.js';
import type { Bins } from '../../../record/index.js';
import { del, incr, put } from '../../helpers/local-writes.js';

export type LocalOp =
  | { t: 'put'; r: number; wall: number; bins: Bins; replace: boolean }
  | { t: 'incr'; r: number; wall: number; bin: string; delta: number }
  | { t: 'delete'; r: number; wall: number }
  | { t: 'receive'; r: number; pick: number };

const DIGEST = new Uint8Array(20).fill(9);
const plain = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'), fc.constant(null));

export function localOpArb(regions: number): fc.Arbitrary<LocalOp> {
  const r = fc.integer({ min: 0, max: regions - 1 });
  const wall = fc.integer({ min: 0, max: 8 });
  const bins = fc.record({ a: plain, c: plain, d: plain }, { requiredKeys: [] }).filter((b) => Object.keys(b).length > 0) as fc.Arbitrary<Bins>;
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ t: fc.constant('put' as const), r, wall, bins, replace: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('incr' as const), r, wall, bin: fc.constantFrom('c', 'd'), delta: fc.integer({ min: -3, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), r, wall }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('receive' as const), r, pick: fc.nat() }) },
  );
}

export const historyOpsArb = fc.integer({ min: 2, max: 3 }).chain((n) => fc.array(localOpArb(n), { minLength: 1, maxLength: 16 }).map((ops) => ({ regions: n, ops })));

/** Plays `ops`; returns every version made locally or stored by a resolver decision. */
export function playHistory(h: { regions: number; ops: LocalOp[] }, resolver: Resolver): Version[] {
  const state: Array<Version | null> = Array.from({ length: h.regions }, () => null);
  const last: number[] = Array.from({ length: h.regions }, () => 0);
  const pool: Version[] = [];
  for (const op of h.ops) {
    const r = op.r;
    if (op.t === 'receive') {
      if (pool.length === 0) continue;
      const incoming = pool[op.pick % pool.length]!;
      const d = resolver.resolve(state[r]!, incoming, { regionId: r + 1 });
      const stored = d.action === 'take-incoming' ? incoming : d.action === 'merge' ? d.version : null;
      if (stored === null) continue;
      // What Engine.applyVersion observes: the version's lut and every counter epoch it holds.
      last[r] = Math.max(last[r]!, stored.lut, newestCounterEpoch(stored));
      state[r] = stored;
      pool.push(stored);
      continue;
    }
    const lut = Math.max(last[r]! + 1, op.wall * 4 + 1);
    last[r] = lut;
    const at = { digest: DIGEST, region: r + 1, lut };
    let next: Version | null;
    try {
      if (op.t === 'put') next = put(state[r]!, op.bins, at, op.replace ? { exists: 'create-or-replace' } : {});
      else if (op.t === 'incr') next = incr(state[r]!, op.bin, op.delta, at);
      else next = del(state[r]!, at);
    } catch {
      continue; // refused by the engine (e.g. incrementing a string): nothing stored
    }
    if (next === null || next === state[r]) continue;
    state[r] = next;
    pool.push(next);
  }
  return pool;
}
