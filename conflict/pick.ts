/**
 * Resolvers that pick one whole version by a total order (lww, generation).
 * The stored version is then the maximum of every version a region has seen,
 * so delivery order and duplicates cannot change the outcome. Counter bins are
 * the exception: when either version holds counter state, counters merge as
 * counters (counting.ts) and the rest follows the pick.
 */
import { holdsCounterState, sameDigest } from '../record/index.js';
import { resolveCounting } from './counting.js';
import { ConflictError } from './errors.js';
import { compareGeneration, compareLww } from './order.js';
import type { Decision, Resolver, Version } from './types.js';

/** Contract check shared by the resolvers: both versions must be of one record. */
export function assertSameRecord(local: Version | null, incoming: Version, resolver: string): void {
  if (local === null) return;
  if (local.ns !== incoming.ns || local.set !== incoming.set || !sameDigest(local.digest, incoming.digest)) {
    throw new ConflictError('CONFLICT_ERR_RECORD_MISMATCH', `resolver ${resolver} was given versions of two different records; the receiver must look up the local version by the incoming digest`, {
      resolver,
      localNs: local.ns,
      incomingNs: incoming.ns,
    });
  }
}

function pickResolver(name: string, compare: (a: Version, b: Version) => number): Resolver {
  return Object.freeze({
    name,
    resolve(local: Version | null, incoming: Version): Decision {
      assertSameRecord(local, incoming, name);
      if (local === null) return { action: 'take-incoming', reason: 'applied' };
      if (holdsCounterState(local) || holdsCounterState(incoming)) return resolveCounting(local, incoming, compare);
      const order = compare(incoming, local);
      if (order > 0) return { action: 'take-incoming', reason: 'applied' };
      return { action: 'keep-local', reason: order === 0 ? 'identical' : 'older' };
    },
  });
}

export const lww: Resolver = pickResolver('lww', compareLww);
export const generation: Resolver = pickResolver('generation', compareGeneration);
