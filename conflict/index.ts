/**
 * conflict/: pure conflict resolvers (no I/O, no clock). The only door; it
 * imports record/ (the record model) and nothing else of ours.
 * docs/conflict.md describes every rule.
 */
export type {
  BinMap,
  BinValue,
  Bins,
  CounterState,
  Decision,
  DecisionReason,
  HlcTimestamp,
  ResolveContext,
  ResolveFn,
  Resolver,
  ResolverName,
  UserKey,
  Version,
} from './types.js';
export { CONFLICT_ERRORS, ConflictError, isConflictError, type ConflictErrorCode } from './errors.js';
export { canonicalValue, canonicalVersion, sameVersion } from '../record/index.js';
export { compareGeneration, compareLww } from './order.js';
export { generation, lww } from './pick.js';
export { binLww, mergeVersions } from './bin-lww.js';
export { mergeCounting, renderWithCounters } from './counting.js';
export { isResolverModule, resolverFromModule, wrapCustomResolver } from './custom.js';
export { isVersion } from './validate.js';
export { isResolverName, RESOLVER_NAMES, resolverByName } from './registry.js';
