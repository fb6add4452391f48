/**
 * The records fixtures/records-before-dormant.bin holds: written by the build
 * before dormant counters existed (bodies [bins, binLuts] and
 * [bins, binLuts, counters]), with writeRecord and encodeBody.
 */
import type { RecordVersion } from '../../../../../record/index.js';

export interface FixtureRecord extends Omit<RecordVersion, 'ns' | 'digest' | 'key'> {
  key: string;
  changeSeq: number;
}

const LUT = 1_800_000_000_000 * 1024 + 5;

export function records(): FixtureRecord[] {
  return [
    {
      set: 'users', key: 'ada', changeSeq: 1, generation: 3, voidTime: 0, lut: LUT, region: 1, deleted: false,
      bins: { name: 'Ada', visits: 7, big: 2 ** 40, nested: { a: [1, 'x', true] } },
      binLuts: { name: LUT, visits: LUT, big: LUT - 1, nested: LUT - 2 },
    },
    {
      set: 'users', key: 'grace', changeSeq: 2, generation: 5, voidTime: 1_900_000_000, lut: LUT + 1, region: 2, deleted: false,
      bins: { hits: 12, note: 'n' },
      binLuts: { hits: LUT + 1, note: LUT, '!record-deleted-at': LUT - 10 },
      counters: { hits: { base: 0, baseLut: LUT - 10, p: { '1': 5, '2': 7 }, n: {} } },
    },
    {
      set: 'carts', key: 'gone', changeSeq: 3, generation: 2, voidTime: 0, lut: LUT + 2, region: 3, deleted: true,
      bins: {}, binLuts: {},
    },
  ];
}
