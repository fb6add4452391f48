/**
 * What resolving an incoming version against the local one decides. conflict/'s
 * resolvers return it and the receiver (through replication-protocol's resolver
 * port) acts on it: one type for both, so a resolver needs no cast to plug in.
 */
import type { RecordVersion } from './types.js';

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
  | { action: 'merge'; reason: 'merged'; version: RecordVersion };
