/**
 * Concurrent increments of shared counters from several regions, the load that
 * showed lww dropping increments: rounds of increments in flight at once from
 * every region, with plain writes of another bin of the same records among
 * them (under lww such a write used to win whole and drop the other region's
 * concurrent increments). Returns the acknowledged sum per key: an increment
 * counts once its request succeeded, and a failed request fails the test.
 */
export interface CounterRegion {
  name: string;
  /** One increment of bin `hits` of `key` by `delta`; resolves once acknowledged, throws otherwise. */
  incr(key: string, delta: number): Promise<void>;
  /** A plain write of other bins of `key`. */
  write(key: string, bins: Record<string, unknown>): Promise<void>;
}

export async function concurrentIncrements(regions: CounterRegion[], keys: string[], o: { rounds: number; inFlight: number }): Promise<Map<string, number>> {
  const acked = new Map(keys.map((k) => [k, 0]));
  for (let round = 0; round < o.rounds; round++) {
    const work: Array<Promise<void>> = [];
    for (let i = 0; i < o.inFlight; i++) {
      const region = regions[i % regions.length]!;
      const key = keys[Math.floor(i / regions.length) % keys.length]!;
      const delta = 1 + ((round + i) % 3);
      work.push(region.incr(key, delta).then(() => void acked.set(key, acked.get(key)! + delta)));
      if (i % 4 === 0) work.push(regions[(i + 1) % regions.length]!.write(key, { tag: `${region.name}-${round}-${i}` }));
    }
    await Promise.all(work);
  }
  return acked;
}
