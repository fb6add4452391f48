/**
 * Route normalization shared by the YAML loader and the admin API, so a route is
 * judged by the same rules wherever it comes from. Input is camelCase (the YAML
 * form is converted first); output is a complete RouteConfig with defaults filled.
 */
import { missingCodecMessage, type CodecStatus } from '../replication/index.js';
import type { ConfigProblem } from './errors.js';
import type { RouteConfig } from './types.js';

export interface RouteContext {
  /** Every region name in the topology. */
  regions: string[];
  /** This gateway's region and its namespace names: a route that touches this region must use one of them. */
  localRegion: string;
  localNamespaces: string[];
  /** The compression codecs this process can load; a route shipped from here asking for a missing one is a problem. @default all taken as available */
  codecs?: readonly CodecStatus[];
}

export const ROUTE_DEFAULTS = {
  resolver: 'lww',
  forward: false,
  maxRecordsPerSec: 0,
  delayMs: 0,
  hotKeyMs: 0,
  enabled: true,
} as const;

export function kebabToCamel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function camelizeKeys(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [kebabToCamel(k), v]));
}

/** Checks what the schema cannot (names that refer to other parts) and fills defaults. */
export function normalizeRoute(raw: Record<string, unknown>, path: string, ctx: RouteContext): { route: RouteConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const r = { ...ROUTE_DEFAULTS, ...raw } as RouteConfig;
  for (const side of ['source', 'destination'] as const) {
    if (!ctx.regions.includes(r[side])) {
      problems.push({ path: `${path}.${side}`, message: `unknown region '${r[side]}'; use one of the names under regions: ${ctx.regions.join(', ')}` });
    }
  }
  if (r.source === r.destination) problems.push({ path: `${path}.destination`, message: 'must differ from source (a route crosses regions)' });
  const touchesLocal = r.source === ctx.localRegion || r.destination === ctx.localRegion;
  if (touchesLocal && !ctx.localNamespaces.includes(r.namespace)) {
    problems.push({
      path: `${path}.namespace`,
      message: `namespace '${r.namespace}' is not configured in region ${ctx.localRegion}; add it under namespaces or use one of: ${ctx.localNamespaces.join(', ')}`,
    });
  }
  if (r.resolver === 'custom' && !r.customResolverPath) {
    problems.push({ path: `${path}.custom-resolver-path`, message: 'is required when resolver is custom (path of a module exporting the resolver)' });
  }
  if (r.resolver !== 'custom' && r.customResolverPath) {
    problems.push({ path: `${path}.custom-resolver-path`, message: 'is only used with resolver: custom; remove it or set resolver: custom' });
  }
  const codec = ctx.codecs?.find((c) => c.compression === (r.compression ?? 'none'));
  // Only the source compresses; a destination decodes with whatever codecs it has loaded.
  if (codec !== undefined && !codec.available && r.source === ctx.localRegion) {
    problems.push({ path: `${path}.compression`, message: missingCodecMessage(codec, ctx.codecs!) });
  }
  for (const what of ['sets', 'bins'] as const) {
    const f = r[what];
    if (f?.ship && f.ignore) problems.push({ path: `${path}.${what}`, message: 'give either ship or ignore, not both' });
  }
  return { route: r, problems };
}
