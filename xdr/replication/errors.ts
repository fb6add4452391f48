/**
 * Errors of the replication wiring (xdr/replication). The route manager and the
 * HTTP layer map them like every other XDR_ERR_* code.
 */

import { CodedError } from '../coded-error.js';

export const REPLICATION_ERRORS = {
  XDR_ERR_REPLICATION_UNKNOWN_ROUTE: { retriable: false, summary: 'the replication pipeline runs no route of that name' },
  XDR_ERR_REPLICATION_UNKNOWN_REGION: { retriable: false, summary: "a route's source or destination is not among the configured regions" },
  XDR_ERR_REPLICATION_ROUTE_INVALID: { retriable: false, summary: 'the route cannot run here (source equals destination, or this region is neither end)' },
  XDR_ERR_CUSTOM_RESOLVER_LOAD: { retriable: false, summary: 'the custom resolver module cannot be imported or exports no resolve function' },
  XDR_ERR_TOPIC_SETUP: { retriable: true, summary: "the route's topics could not be created in the source Kafka" },
  XDR_ERR_REPLICATION_STOPPED: { retriable: false, summary: 'the replication pipeline was stopped' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ReplicationErrorCode = keyof typeof REPLICATION_ERRORS;

export class ReplicationError extends CodedError<ReplicationErrorCode> {
  override readonly name = 'ReplicationError';

  constructor(code: ReplicationErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, REPLICATION_ERRORS[code].retriable, message, details, options);
  }
}

export function isReplicationError(err: unknown, code?: ReplicationErrorCode): err is ReplicationError {
  return err instanceof ReplicationError && (code === undefined || err.code === code);
}
