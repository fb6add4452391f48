// The version whose v1 bytes docs/wire-format.md shows; changing these bytes is a
// wire format change (bump the version, keep a v1 decoder).
import type { RecordVersion } from '../../../../record/index.js';

export function fixtureVersion(): RecordVersion {
  return {
    ns: 'user_data',
    set: 'users',
    digest: Uint8Array.from(Array.from({ length: 20 }, (_, i) => i)),
    key: 'ada',
    generation: 3,
    voidTime: 0,
    lut: 1_800_000_000_000 * 1024 + 5,
    region: 1,
    deleted: false,
    bins: { name: 'Ada', visits: 7, big: 2 ** 40, photo: new Uint8Array([0xff, 0x00]) },
    binLuts: { name: 1_800_000_000_000 * 1024 + 5, visits: 1_800_000_000_000 * 1024 + 5, big: 1_800_000_000_000 * 1024 + 5, photo: 1_800_000_000_000 * 1024 + 5 },
    counters: { visits: { base: 0, baseLut: 0, p: { '1': 5, '2': 2 }, n: {} } },
  };
}

export const FIXTURE_HEX =
  'de000ea17601a46b696e64a67265636f7264a26e73a9757365725f64617461a3736574a57573657273a6646967657374c414000102030405060708090a0b0c0d0e0f10111213a36b6579a3616461aa67656e65726174696f6e03a8766f696454696d6500a36c7574d300068c6171400005a6726567696f6e01a764656c65746564c2a762696e4c757473de0004a46e616d65d300068c6171400005a6766973697473d300068c6171400005a3626967d300068c6171400005a570686f746fd300068c6171400005a8636f756e74657273de0001a6766973697473de0004a46261736500a7626173654c757400a170de0002a13105a13202a16ede0000a462696e73de0004a46e616d65a3416461a676697369747307a3626967d30000010000000000a570686f746fc402ff00';
