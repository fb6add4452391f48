/** The replication wiring's error class; its codes are declared in errors/replication.ts. */
import { REPLICATION_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { REPLICATION_ERRORS };
export type ReplicationErrorCode = keyof typeof REPLICATION_ERRORS;

export const ReplicationError = errorClass('ReplicationError', REPLICATION_ERRORS);
export type ReplicationError = InstanceType<typeof ReplicationError>;
export const isReplicationError = errorGuard(ReplicationError);
