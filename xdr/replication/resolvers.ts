/**
 * The resolver of a route: a built-in from conflict/, or a user module loaded
 * from customResolverPath (dynamic import is I/O, so it happens here, not in
 * conflict/) and wrapped so a failing module only ever keeps the local record.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolverByName, resolverFromModule } from '../../conflict/index.js';
import { ReplicationError } from './errors.js';
import { type RouteResolver, type RouteSpec } from '../../replication-protocol/index.js';

export async function loadResolver(route: Pick<RouteSpec, 'name' | 'resolver' | 'customResolverPath'>, baseDir = process.cwd()): Promise<RouteResolver> {
  if (route.resolver !== 'custom') return resolverByName(route.resolver);
  if (route.customResolverPath === undefined || route.customResolverPath === '') {
    throw new ReplicationError('XDR_ERR_CUSTOM_RESOLVER_LOAD', `route ${route.name}: resolver custom needs customResolverPath`, { route: route.name });
  }
  const file = path.resolve(baseDir, route.customResolverPath);
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new ReplicationError('XDR_ERR_CUSTOM_RESOLVER_LOAD', `route ${route.name}: cannot import custom resolver ${file}: ${(err as Error).message}`, { route: route.name, file }, { cause: err });
  }
  try {
    return resolverFromModule(mod, `custom:${path.basename(file)}`);
  } catch (err) {
    throw new ReplicationError('XDR_ERR_CUSTOM_RESOLVER_LOAD', `route ${route.name}: ${(err as Error).message}`, { route: route.name, file }, { cause: err });
  }
}
