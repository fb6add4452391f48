/** The built-in resolvers by the names routes use. */
import { binLww } from './bin-lww.js';
import { ConflictError } from './errors.js';
import { generation, lww } from './pick.js';
import type { Resolver, ResolverName } from './types.js';

const BUILT_IN: Readonly<Record<ResolverName, Resolver>> = Object.freeze({ lww, generation, 'bin-lww': binLww });

export const RESOLVER_NAMES: readonly ResolverName[] = Object.freeze(['lww', 'generation', 'bin-lww']);

export function isResolverName(name: string): name is ResolverName {
  return Object.hasOwn(BUILT_IN, name);
}

/** A built-in resolver; CONFLICT_ERR_UNKNOWN_RESOLVER for any other name ('custom' is loaded by xdr/). */
export function resolverByName(name: string): Resolver {
  if (!isResolverName(name)) {
    throw new ConflictError('CONFLICT_ERR_UNKNOWN_RESOLVER', `unknown resolver "${name}"; use one of ${RESOLVER_NAMES.join(', ')}, or custom with customResolverPath`, { resolver: name });
  }
  return BUILT_IN[name];
}
