/**
 * The vocabulary of conflict resolution. Versions are record/'s RecordVersion
 * (`Version` here, the name resolvers have always used): the receiver passes
 * stored versions straight in and stores what comes back.
 */
import type { RecordVersion } from '../record/index.js';

export type { BinMap, BinValue, Bins, CounterState, HlcTimestamp, UserKey } from '../record/index.js';

/** One version of a record or of its tombstone (record/'s RecordVersion). */
export type Version = RecordVersion;

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
