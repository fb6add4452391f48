/**
 * What the receiver needs of a conflict resolver. conflict/'s `Resolver`
 * (resolverByName, wrapCustomResolver) satisfies it structurally; declaring the
 * seam here keeps the receiver testable with any resolver, including failing ones.
 */
import type { RecordVersion } from '../record/index.js';

export type ResolveDecision =
  /** Store nothing; the local version (or absence) stands. */
  | { action: 'keep-local'; reason: 'older' | 'identical' | 'error'; error?: Error }
  /** Store the incoming version exactly as it came. */
  | { action: 'take-incoming'; reason: 'applied' }
  /** Store `version`, a merge of both. */
  | { action: 'merge'; reason: 'merged'; version: RecordVersion };

export interface RouteResolver {
  readonly name: string;
  resolve(local: RecordVersion | null, incoming: RecordVersion, ctx: { regionId: number }): ResolveDecision;
}
