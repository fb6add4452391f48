/** The records both regions of bench/anti-entropy.bench.ts hold: identical, except `differing` of them. */
import { computeDigest } from '../engine/index.js';
import { hlcFromMs, type RecordVersion } from '../record/index.js';

const LUT = hlcFromMs(Date.UTC(2026, 0, 1));

/** Batches of 1000 versions; the first `differing` records carry a region-specific bin. */
export function* benchVersions(records: number, differing: number, side: string): Generator<RecordVersion[]> {
  let batch: RecordVersion[] = [];
  for (let i = 0; i < records; i++) {
    const key = `user-${i}`;
    const bins = { name: `name-${i}`, age: i % 90, tags: ['a', 'b'], score: i / 7, ...(i < differing ? { side } : {}) };
    const binLuts = Object.fromEntries(Object.keys(bins).map((b) => [b, LUT]));
    batch.push({ ns: 'b', set: 'users', digest: computeDigest('users', key), key, generation: 1, voidTime: 0, lut: LUT, region: 1, deleted: false, bins, binLuts });
    if (batch.length === 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
