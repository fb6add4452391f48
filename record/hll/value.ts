/**
 * A HyperLogLog bin value: the sketch bytes, tagged so that every part of
 * xdrgate tells it apart from a blob (Aerospike keeps them apart too: a
 * HyperLogLog is particle type 18, a blob 4). Immutable by convention: the
 * operations build new sketches rather than change one in place.
 */
export class HllValue {
  constructor(readonly bytes: Uint8Array) {}
}

export function isHllValue(value: unknown): value is HllValue {
  return value instanceof HllValue;
}
