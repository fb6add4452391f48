/**
 * What a repair re-ships, decided from the two regions' listings of one
 * partition (both in digest order, as the partition endpoint returns them).
 * Pure: anti-entropy and `xdrgate verify --repair` fetch, this decides.
 *
 * - A record only one side holds: that side ships it (a tombstone too: the
 *   other side must learn of the delete).
 * - A record both hold in different versions: BOTH ship theirs. The receiving
 *   resolvers pick the winner on each side (lww keeps the newer, bin-lww merges),
 *   so the regions converge whichever version wins; the loser's copy is
 *   dropped as older or merged idempotently.
 * - A record either side changed after `lutMax` (the settle cutoff) is still
 *   in flight: it is counted as settling, not shipped. The next pass, whose
 *   cutoff has moved past it, decides it then.
 */
import type { PartitionRecordEntry } from '../../engine/index.js';

export interface RepairDecision {
  /** Hex digests the first side (`a`) re-ships to the second. */
  aShips: string[];
  /** Hex digests the second side (`b`) re-ships to the first. */
  bShips: string[];
  /** Records that differ but changed after the cutoff on either side (in flight). */
  settling: number;
}

export function decideRepair(a: readonly PartitionRecordEntry[], b: readonly PartitionRecordEntry[], lutMax = Number.POSITIVE_INFINITY): RepairDecision {
  const out: RepairDecision = { aShips: [], bShips: [], settling: 0 };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.digest < y.digest)) {
      if (x!.lut > lutMax) out.settling++;
      else out.aShips.push(x!.digest);
      i++;
    } else if (x === undefined || y.digest < x.digest) {
      if (y.lut > lutMax) out.settling++;
      else out.bShips.push(y.digest);
      j++;
    } else {
      if (x.hash !== y.hash) {
        if (x.lut > lutMax || y.lut > lutMax) out.settling++;
        else {
          out.aShips.push(x.digest);
          out.bShips.push(y.digest);
        }
      }
      i++;
      j++;
    }
  }
  return out;
}
