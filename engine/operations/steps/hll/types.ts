/**
 * HyperLogLog operations as Aerospike numbers them (HLL_MODIFY op codes 0..4,
 * HLL_READ 50..56) and the step the engine runs: the op code with its
 * arguments already taken apart (elements as packed MessagePack scalars, the
 * way clients send them, so they hash as Aerospike hashes them; sketches as
 * their particle bytes).
 */
export const HllOp = {
  INIT: 0,
  ADD: 1,
  SET_UNION: 2,
  REFRESH_COUNT: 3,
  FOLD: 4,
  COUNT: 50,
  GET_UNION: 51,
  UNION_COUNT: 52,
  INTERSECT_COUNT: 53,
  SIMILARITY: 54,
  DESCRIBE: 55,
  MAY_CONTAIN: 56,
} as const;

/** Write flags of modify ops (Aerospike's HLLWriteFlags). */
export const HllWriteFlags = {
  CREATE_ONLY: 1,
  UPDATE_ONLY: 2,
  NO_FAIL: 4,
  ALLOW_FOLD: 8,
} as const;

export interface HllStep {
  code: number;
  /** add, may-contain: each element one packed MessagePack scalar. */
  elements?: Uint8Array[];
  /** set-union and the union/intersect/similarity reads: sketches (particle bytes, no type byte). */
  sketches?: Uint8Array[];
  /** init, add, fold; absent or -1 = unset (init and add then keep the bin's). */
  indexBits?: number;
  /** init, add; absent or -1 = unset. */
  minhashBits?: number;
  /** init, add, set-union: HllWriteFlags. */
  flags?: number;
}

interface OpDef {
  name: string;
  /** Write flags the op accepts. */
  flags: number;
  elements?: boolean;
  sketches?: boolean;
  indexBits?: boolean;
  minhashBits?: boolean;
}

const { CREATE_ONLY, UPDATE_ONLY, NO_FAIL, ALLOW_FOLD } = HllWriteFlags;

export const HLL_OPS: ReadonlyMap<number, OpDef> = new Map<number, OpDef>([
  [HllOp.INIT, { name: 'hll init', flags: CREATE_ONLY | UPDATE_ONLY | NO_FAIL, indexBits: true, minhashBits: true }],
  [HllOp.ADD, { name: 'hll add', flags: CREATE_ONLY | NO_FAIL, elements: true, indexBits: true, minhashBits: true }],
  [HllOp.SET_UNION, { name: 'hll set union', flags: CREATE_ONLY | UPDATE_ONLY | ALLOW_FOLD | NO_FAIL, sketches: true }],
  [HllOp.REFRESH_COUNT, { name: 'hll refresh count', flags: 0 }],
  [HllOp.FOLD, { name: 'hll fold', flags: 0, indexBits: true }],
  [HllOp.COUNT, { name: 'hll get count', flags: 0 }],
  [HllOp.GET_UNION, { name: 'hll get union', flags: 0, sketches: true }],
  [HllOp.UNION_COUNT, { name: 'hll get union count', flags: 0, sketches: true }],
  [HllOp.INTERSECT_COUNT, { name: 'hll get intersect count', flags: 0, sketches: true }],
  [HllOp.SIMILARITY, { name: 'hll get similarity', flags: 0, sketches: true }],
  [HllOp.DESCRIBE, { name: 'hll describe', flags: 0 }],
  [HllOp.MAY_CONTAIN, { name: 'hll may contain', flags: 0, elements: true }],
]);

export function isKnownHllCode(code: number): boolean {
  return HLL_OPS.has(code);
}

export function isHllRead(code: number): boolean {
  return code >= HllOp.COUNT;
}
