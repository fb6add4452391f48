/**
 * The ONE place where our error codes become Aerospike result codes (the byte
 * a client turns into its status). Keyed by our codes, like the HTTP status
 * table (xdr/http/error-map.ts), so both fold into one project-wide table.
 * Codes without a row answer 1 (UNKNOWN, a server error) and are logged.
 */
import { ResultCode } from '../../aerospike-protocol/index.js';

export const RESULT_CODE_BY_ERROR: Readonly<Record<string, number>> = {
  // engine/errors.ts
  ENGINE_ERR_RECORD_NOT_FOUND: ResultCode.NOT_FOUND,
  ENGINE_ERR_GENERATION_MISMATCH: ResultCode.GENERATION,
  ENGINE_ERR_INVALID_ARGUMENT: ResultCode.PARAMETER,
  ENGINE_ERR_RECORD_EXISTS: ResultCode.RECORD_EXISTS,
  // Aerospike answers stop-writes with OUT_OF_SPACE (8) (server 8.1 write.c); FORBIDDEN (22) is for clock skew and set limits.
  ENGINE_ERR_STOP_WRITES: ResultCode.OUT_OF_SPACE,
  ENGINE_ERR_BIN_TYPE_MISMATCH: ResultCode.INCOMPATIBLE_TYPE,
  ENGINE_ERR_RECORD_TOO_BIG: ResultCode.RECORD_TOO_BIG,
  ENGINE_ERR_NAMESPACE_NOT_FOUND: ResultCode.NAMESPACE,
  ENGINE_ERR_BIN_NAME_TOO_LONG: ResultCode.BIN_NAME,
  ENGINE_ERR_CLOSED: ResultCode.UNAVAILABLE,
  ENGINE_ERR_IO: ResultCode.UNKNOWN,
  ENGINE_ERR_CORRUPTED_STORAGE: ResultCode.UNKNOWN,
  // engine/ops/errors.ts
  ENGINE_ERR_OP_INDEX_OUT_OF_RANGE: ResultCode.OP_NOT_APPLICABLE,
  ENGINE_ERR_INCR_OVERFLOW: ResultCode.OP_NOT_APPLICABLE,
  ENGINE_ERR_SINDEX_EXISTS: ResultCode.SINDEX_FOUND,
  ENGINE_ERR_SINDEX_NOT_FOUND: ResultCode.SINDEX_NOT_FOUND,
  ENGINE_ERR_BATCH_TOO_LARGE: ResultCode.BATCH_MAX_REQUESTS,
  ENGINE_ERR_ABORTED: ResultCode.QUERY_ABORT,
  ENGINE_ERR_ELEMENT_NOT_FOUND: ResultCode.ELEMENT_NOT_FOUND,
  ENGINE_ERR_ELEMENT_EXISTS: ResultCode.ELEMENT_EXISTS,
  ENGINE_ERR_OP_NOT_APPLICABLE: ResultCode.OP_NOT_APPLICABLE,
  ENGINE_ERR_UNSUPPORTED: ResultCode.UNSUPPORTED_FEATURE,
  // aerospike-protocol/errors.ts
  PROTO_ERR_BAD_VERSION: ResultCode.PARAMETER,
  PROTO_ERR_FRAME_TOO_LARGE: ResultCode.PARAMETER,
  PROTO_ERR_UNKNOWN_TYPE: ResultCode.PARAMETER,
  PROTO_ERR_MALFORMED: ResultCode.PARAMETER,
  PROTO_ERR_UNSUPPORTED: ResultCode.UNSUPPORTED_FEATURE,
  PROTO_ERR_LIMIT: ResultCode.PARAMETER,
  PROTO_ERR_BATCH_TOO_LARGE: ResultCode.BATCH_MAX_REQUESTS,
  PROTO_ERR_BAD_VALUE: ResultCode.PARAMETER,
  // xdr/durability/errors.ts (namespaces whose durability is `shipped`)
  // Refused before it was applied: no route ships the namespace now; Aerospike's "not allowed at this time".
  XDR_ERR_NOT_SHIPPED: ResultCode.FORBIDDEN,
  // Applied here, not yet in Kafka: clients treat a timeout as in doubt, which it is.
  XDR_ERR_SHIP_ACK_TIMEOUT: ResultCode.TIMEOUT,
  // xdr/errors.ts: a shipped write that reaches a gateway still starting (replication not up).
  XDR_ERR_NOT_READY: ResultCode.UNAVAILABLE,
  // xdr/aerospike/errors.ts
  XDR_ERR_SERVICE_UNSUPPORTED: ResultCode.UNSUPPORTED_FEATURE,
  XDR_ERR_SERVICE_BAD_REQUEST: ResultCode.PARAMETER,
  XDR_ERR_SERVICE_UDF_NOT_FOUND: ResultCode.UDF_EXECUTION,
};

export function errorCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The result code for any thrown value; `known` is false when it had no row (a bug to log). */
export function resultCodeFor(err: unknown): { resultCode: number; known: boolean } {
  const code = errorCodeOf(err);
  const mapped = code === undefined ? undefined : RESULT_CODE_BY_ERROR[code];
  return mapped === undefined ? { resultCode: ResultCode.UNKNOWN, known: false } : { resultCode: mapped, known: true };
}
