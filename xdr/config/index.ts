/** The gateway configuration: load, validate, normalize (see docs/config.md). */
export { loadConfig, parseConfig, pointerToPath, type LoadOptions } from './load.js';
export { ConfigError, CONFIG_ERRORS, isConfigError, type ConfigErrorCode, type ConfigProblem } from './errors.js';
export { normalizeRoute, camelizeKeys, ROUTE_DEFAULTS, type RouteContext } from './route.js';
export { DEFAULTS as CONFIG_DEFAULTS } from './semantic.js';
export { routeSchema, NAMESPACE_NAME_PATTERN } from './schema.js';
export { envNameForRegion, urlEnvNameForRegion } from './env.js';
export { parseSizeBytes, parseDurationMs, formatSize } from './units.js';
export type * from './types.js';
