/** Small builders of versions for the example tests. */
import type { Bins, CounterState, Version } from '../../../conflict/index.js';

export const DIGEST = new Uint8Array(20).fill(3);

export function version(over: Partial<Version> & { bins?: Bins }): Version {
  const lut = over.lut ?? 100;
  const bins = over.bins ?? {};
  const binLuts = over.binLuts ?? Object.fromEntries(Object.keys(bins).map((k) => [k, lut]));
  const v: Version = {
    ns: 'test',
    set: 'demo',
    digest: DIGEST,
    generation: 1,
    voidTime: 0,
    lut,
    region: 1,
    deleted: false,
    ...over,
    bins,
    binLuts,
  };
  return v;
}

export function tombstone(lut: number, region = 1, generation = 2): Version {
  return version({ lut, region, generation, deleted: true, bins: {}, binLuts: {} });
}

export function counter(base: number, baseLut: number, p: Record<string, number> = {}, n: Record<string, number> = {}): CounterState {
  return { base, baseLut, p, n };
}
