/**
 * The vocabulary of conflict resolution. conflict/ imports nothing of ours, so
 * these types are declared here, structurally identical to engine/types.ts
 * (RecordVersion, CounterState, HlcTimestamp): the receiver passes engine
 * versions straight in and stores what comes back.
 */

/** Hybrid logical clock timestamp: wall ms × 1024 + logical counter; ordered by `<`. */
export type HlcTimestamp = number;

export type UserKey = string | number | bigint | Uint8Array;

export type BinValue = null | boolean | number | bigint | string | Uint8Array | BinValue[] | BinMap;

export interface BinMap {
  [key: string]: BinValue;
}

export type Bins = Record<string, BinValue>;

/** Per-region contributions of a convergent counter bin (a PN-counter inside a reset epoch). */
export interface CounterState {
  /** Value set by the plain write that opened this epoch (0 when the bin was only incremented). */
  base: number;
  /** HLC of that plain write (or of the removal / delete the epoch started from); 0 when none. */
  baseLut: HlcTimestamp;
  /** Region id → sum of positive increments made in that region in this epoch. */
  p: Record<string, number>;
  /** Region id → sum of |negative increments| made in that region in this epoch. */
  n: Record<string, number>;
}

/** One version of a record or of its tombstone: RecordVersion of engine/types.ts. */
export interface Version {
  ns: string;
  set: string;
  digest: Uint8Array;
  key?: UserKey;
  generation: number;
  voidTime: number;
  lut: HlcTimestamp;
  region: number;
  deleted: boolean;
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
}

/** What a resolver may know about where it runs. Resolvers must not let it change the outcome. */
export interface ResolveContext {
  /** Id of the region that is resolving (for logging and custom resolvers). */
  regionId: number;
}

/** Metrics tag of a decision. */
export type DecisionReason = 'applied' | 'older' | 'identical' | 'merged' | 'error';

export type Decision =
  /** Store nothing; the local version (or absence) stands. */
  | { action: 'keep-local'; reason: 'older' | 'identical' | 'error'; error?: Error }
  /** Store the incoming version exactly as it came. */
  | { action: 'take-incoming'; reason: 'applied' }
  /** Store `version`, a merge of both. */
  | { action: 'merge'; reason: 'merged'; version: Version };

export type ResolveFn = (local: Version | null, incoming: Version, ctx: ResolveContext) => Decision;

export interface Resolver {
  readonly name: string;
  resolve: ResolveFn;
}

export type ResolverName = 'lww' | 'generation' | 'bin-lww';
