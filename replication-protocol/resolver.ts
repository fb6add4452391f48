/**
 * What the receiver needs of a conflict resolver. conflict/'s `Resolver`
 * (resolverByName, wrapCustomResolver) satisfies it as is: both speak
 * record/'s Decision. Declaring the seam here keeps the receiver testable with
 * any resolver, including failing ones.
 */
import type { Decision, RecordVersion, ResolveContext } from '../record/index.js';

export interface RouteResolver {
  readonly name: string;
  resolve(local: RecordVersion | null, incoming: RecordVersion, ctx: ResolveContext): Decision;
}
