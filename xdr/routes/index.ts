/** Live routes: ownership, persistence, the shared catalog (docs/config.md, "Routes"). */
export type { RouteAdmin, RouteStatus } from './admin.js';
export { RouteManager, type RouteManagerOptions } from './manager.js';
export { RouteStore, type StoredRoute } from './store.js';
export { RedisRouteCatalog, MemoryRouteCatalog, type RouteCatalog } from './catalog.js';
export type { ReplicationPort } from './replication-port.js';
export { NoReplication } from './no-replication.js';
