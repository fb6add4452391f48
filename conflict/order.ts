/**
 * Total orders on versions of one record. Every region must pick the same
 * winner from the same pair, so each order ends in a tie-break that only equal
 * versions survive (the canonical encoding).
 */
import { canonicalVersion, compareStrings } from '../record/index.js';
import type { Version } from './types.js';

/**
 * > 0 when `a` wins under last-writer-wins: higher lut; at an exact lut tie a
 * tombstone (a delete wins the tie); then the higher region id; then the larger
 * canonical encoding. 0 only for identical versions.
 */
export function compareLww(a: Version, b: Version): number {
  if (a.lut !== b.lut) return a.lut > b.lut ? 1 : -1;
  if (a.deleted !== b.deleted) return a.deleted ? 1 : -1;
  if (a.region !== b.region) return a.region > b.region ? 1 : -1;
  if (a === b) return 0;
  return compareStrings(canonicalVersion(a), canonicalVersion(b));
}

/** > 0 when `a` wins under generation: higher generation, then the lww order. */
export function compareGeneration(a: Version, b: Version): number {
  if (a.generation !== b.generation) return a.generation > b.generation ? 1 : -1;
  return compareLww(a, b);
}
