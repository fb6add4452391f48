/** The gateway's HTTP API (docs/http-api.md). */
export { buildHttpServer, type HttpCounters } from './server.js';
export { HttpAuth, encodeSession, type HttpUsers } from './auth.js';
export { HttpLatency, UNMATCHED_ROUTE, type HttpLatencyRow } from './request-latency.js';
export { toErrorReply } from './error-reply.js';
export { decodeValue, encodeValue, decodeBins, encodeBins, decodeKey, type KeyType } from './codec.js';
export { decodeOperations } from './operations.js';
export type { HttpDeps, HttpOptions, Readiness } from './deps.js';
export { registerConflictsRoute, CONFLICTS_LIMIT_MAX, type ConflictsList, type ConflictsRouteOptions, type PeerConflicts } from './routes-conflicts.js';
export { peerConflictReaders } from './peer-conflicts.js';
