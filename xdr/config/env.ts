/**
 * Environment overrides, applied to the raw YAML document before validation so
 * that a bad value is reported with the variable's name. The mapping (also in
 * docs/config.md):
 *   XDRGATE_LISTEN            listen            host:port
 *   XDRGATE_SERVICE           service           host:port of the Aerospike client-protocol port
 *                                               (keeps the file's service limits)
 *   XDRGATE_DATA_DIR          data-dir
 *   XDRGATE_REDIS_URL         redis-url
 *   XDRGATE_REDIS_PREFIX      redis-key-prefix
 *   XDRGATE_AUTH_TOKEN        auth-token        (empty string removes it)
 *   XDRGATE_LOG_LEVEL         log-level
 *   XDRGATE_MAX_CLOCK_OFFSET  max-clock-offset  e.g. 5s
 *   XDRGATE_KAFKA_<REGION>    regions[name=<region>].kafka.brokers, comma-separated;
 *                             <REGION> is the region name upper-cased with - as _
 *   XDRGATE_URL_<REGION>      regions[name=<region>].gateway-url (the variable verify reads too)
 */
import type { ConfigProblem } from './errors.js';

const SCALARS: Array<[envName: string, key: string]> = [
  ['XDRGATE_LISTEN', 'listen'],
  ['XDRGATE_DATA_DIR', 'data-dir'],
  ['XDRGATE_REDIS_URL', 'redis-url'],
  ['XDRGATE_REDIS_PREFIX', 'redis-key-prefix'],
  ['XDRGATE_AUTH_TOKEN', 'auth-token'],
  ['XDRGATE_LOG_LEVEL', 'log-level'],
  ['XDRGATE_MAX_CLOCK_OFFSET', 'max-clock-offset'],
];

export function envNameForRegion(region: string): string {
  return `XDRGATE_KAFKA_${region.toUpperCase().replace(/-/g, '_')}`;
}

/** The variable holding a region's gateway URL (read by the gateway and by `xdrgate verify`). */
export function urlEnvNameForRegion(region: string): string {
  return `XDRGATE_URL_${region.toUpperCase().replace(/-/g, '_')}`;
}

/** Returns a new document with overrides applied, the names applied, and problems with variables that match nothing. */
export function applyEnvOverrides(
  doc: Record<string, unknown>,
  env: Record<string, string | undefined>,
): { doc: Record<string, unknown>; applied: string[]; problems: ConfigProblem[] } {
  const out: Record<string, unknown> = { ...doc };
  const applied: string[] = [];
  const problems: ConfigProblem[] = [];
  for (const [envName, key] of SCALARS) {
    const value = env[envName];
    if (value === undefined) continue;
    applied.push(envName);
    if (key === 'auth-token' && value === '') delete out[key];
    else out[key] = value;
  }
  const service = env.XDRGATE_SERVICE;
  if (service !== undefined) {
    applied.push('XDRGATE_SERVICE');
    const i = service.lastIndexOf(':');
    const current = out.service;
    // host:port replaces the address only: limits set in the file stay.
    if (current !== null && typeof current === 'object' && i > 0 && /^\d{1,5}$/.test(service.slice(i + 1))) {
      out.service = { ...(current as Record<string, unknown>), host: service.slice(0, i), port: Number(service.slice(i + 1)) };
    } else {
      out.service = service;
    }
  }
  // A copy: the caller's document is left as it was.
  const regions = Array.isArray(out.regions) ? [...(out.regions as unknown[])] : [];
  const byEnvName = new Map<string, number>();
  regions.forEach((r, i) => {
    if (r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string') byEnvName.set(envNameForRegion((r as { name: string }).name), i);
  });
  for (const [envName, value] of Object.entries(env)) {
    if (!envName.startsWith('XDRGATE_KAFKA_') || value === undefined) continue;
    const index = byEnvName.get(envName);
    if (index === undefined) {
      problems.push({ path: `env.${envName}`, message: `names no region in regions (known: ${[...byEnvName.keys()].join(', ') || 'none'}); remove it or fix the region name` });
      continue;
    }
    const region = regions[index] as Record<string, unknown>;
    const kafka = typeof region.kafka === 'object' && region.kafka !== null ? (region.kafka as Record<string, unknown>) : {};
    const brokers = value.split(',').map((s) => s.trim()).filter(Boolean);
    regions[index] = { ...region, kafka: { ...kafka, brokers } };
    out.regions = regions;
    applied.push(envName);
  }
  for (const [envName, value] of Object.entries(env)) {
    if (!envName.startsWith('XDRGATE_URL_') || value === undefined) continue;
    const index = regions.findIndex((r) => r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string' && urlEnvNameForRegion((r as { name: string }).name) === envName);
    // A shell may hold URLs of regions of another topology (verify reads them too): ignored, not an error.
    if (index < 0) continue;
    const region = regions[index] as Record<string, unknown>;
    regions[index] = value === '' ? Object.fromEntries(Object.entries(region).filter(([k]) => k !== 'gateway-url')) : { ...region, 'gateway-url': value };
    out.regions = regions;
    applied.push(envName);
  }
  return { doc: out, applied, problems };
}
