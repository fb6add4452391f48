/**
 * xdr/aerospike: the gateway's service port, speaking Aerospike's client
 * protocol (the codec is aerospike-protocol/). Its only door.
 */
export { AerospikeService, SERVICE_LIMIT_DEFAULTS, type ServiceOptions } from './server.js';
export { ClusterView, deriveNodeId, type ClusterNode } from './cluster.js';
export { SERVER_BUILD, SERVER_EDITION, SERVER_FEATURES, type NamespaceSettings } from './info-service.js';
export { SERVICE_ERRORS, ServiceError, type ServiceErrorCode } from './errors.js';
export { ServiceSecurity, credentialOf, type ServiceUser } from './security.js';
export { SERVICE_COMMANDS, ServiceStats, type ServiceCommand, type ServiceStatsSnapshot } from './stats.js';
export type { ServiceEngine, ServiceLimits } from './context.js';
