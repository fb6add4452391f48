/**
 * xdr/: the composition root — configuration, the gateway process, its HTTP
 * API, live routes, the CLI, and (in their own folders, with their own doors)
 * replication wiring and local infrastructure. Nothing outside xdr/ imports it;
 * this door exists for tools and tests that embed a gateway.
 */
export { Gateway, exitOnSignals, type GatewayEngine, type GatewayParts, type ReplicationContext } from './gateway.js';
export { createReplication } from './gateway-replication.js';
export { engineOptions, namespaceOptions } from './engine-options.js';
export { XDR_ERRORS, XdrError, isXdrError, type XdrErrorCode } from './errors.js';
export { acquireDirLock, Supervisor, type DirLock, type LockHolder } from './process/index.js';
export * from './config/index.js';
export { buildHttpServer, toErrorReply, type HttpDeps, type HttpOptions } from './http/index.js';
export { RouteManager, RouteStore, RedisRouteCatalog, MemoryRouteCatalog, NoReplication, type ReplicationPort, type RouteCatalog, type RouteAdmin, type RouteStatus } from './routes/index.js';
export { buildProgram, main, GatewayClient, UP_CONFIG_FILES } from './cli/index.js';
export { ROUTE_STATES, ROUTE_STATE_SEVERITY, DESTINATION_STATUSES, RouteHealthService, type RouteState, type RouteHealth, type DestinationView, type DestinationReport } from './route-health/index.js';
