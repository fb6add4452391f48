/**
 * The vocabulary of conflict resolution. Versions are record/'s RecordVersion
 * (`Version` here, the name resolvers have always used): the receiver passes
 * stored versions straight in and stores what comes back.
 */
import type { Decision, RecordVersion, ResolveContext } from '../record/index.js';

export type { BinMap, BinValue, Bins, CounterState, Decision, DecisionReason, HlcTimestamp, ResolveContext, UserKey } from '../record/index.js';

/** One version of a record or of its tombstone (record/'s RecordVersion). */
export type Version = RecordVersion;

export type ResolveFn = (local: Version | null, incoming: Version, ctx: ResolveContext) => Decision;

export interface Resolver {
  readonly name: string;
  resolve: ResolveFn;
}

export type ResolverName = 'lww' | 'generation' | 'bin-lww';
