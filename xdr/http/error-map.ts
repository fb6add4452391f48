/**
 * The ONE place where error codes become HTTP statuses. Every module's codes are
 * listed explicitly; a code added later without a row falls back on its name and
 * its retriable flag (see `statusFor`), and test/unit/xdr/error-map.test.ts
 * checks that the engine, config and gateway registries are all listed here.
 */
import { XdrError } from '../errors.js';

const STATUS_BY_CODE: Record<string, number> = {
  // engine/errors.ts
  ENGINE_ERR_RECORD_NOT_FOUND: 404,
  ENGINE_ERR_RECORD_EXISTS: 409,
  ENGINE_ERR_GENERATION_MISMATCH: 409,
  ENGINE_ERR_RECORD_TOO_BIG: 413,
  ENGINE_ERR_BIN_NAME_TOO_LONG: 400,
  ENGINE_ERR_BIN_TYPE_MISMATCH: 400,
  ENGINE_ERR_NAMESPACE_NOT_FOUND: 404,
  ENGINE_ERR_STOP_WRITES: 507,
  ENGINE_ERR_CORRUPTED_STORAGE: 500,
  ENGINE_ERR_INVALID_ARGUMENT: 400,
  ENGINE_ERR_CLOSED: 503,
  // 503, not 507: EIO is not a capacity problem, and one code has one status.
  ENGINE_ERR_IO: 503,
  // engine/ops/errors.ts (spread into the engine registry)
  ENGINE_ERR_OP_INDEX_OUT_OF_RANGE: 400,
  ENGINE_ERR_INCR_OVERFLOW: 400,
  ENGINE_ERR_SINDEX_EXISTS: 409,
  ENGINE_ERR_SINDEX_NOT_FOUND: 404,
  ENGINE_ERR_BATCH_TOO_LARGE: 400,
  ENGINE_ERR_ELEMENT_NOT_FOUND: 409,
  ENGINE_ERR_ELEMENT_EXISTS: 409,
  ENGINE_ERR_OP_NOT_APPLICABLE: 400,
  ENGINE_ERR_UNSUPPORTED: 400,
  // Only when the client went away mid-stream; nobody reads this reply.
  ENGINE_ERR_ABORTED: 499,
  // replication-protocol/wire/errors.ts (reach HTTP only through a bug: the API never decodes wire messages)
  ENGINE_ERR_WIRE_MALFORMED: 500,
  ENGINE_ERR_WIRE_VERSION: 500,
  ENGINE_ERR_WIRE_INVALID: 500,
  ENGINE_ERR_WIRE_UNENCODABLE: 400,
  // conflict/errors.ts (a route naming an unknown resolver or a bad custom module)
  CONFLICT_ERR_UNKNOWN_RESOLVER: 400,
  CONFLICT_ERR_INVALID_MODULE: 400,
  CONFLICT_ERR_RECORD_MISMATCH: 500,
  CONFLICT_ERR_CUSTOM_THREW: 500,
  CONFLICT_ERR_CUSTOM_INVALID_DECISION: 500,
  // shipper/errors.ts and receiver/errors.ts (pipeline failures surfacing through route calls)
  SHIP_ERR_SEND_FAILED: 503,
  SHIP_ERR_TOPIC_UNAVAILABLE: 503,
  SHIP_ERR_INVALID_OPTIONS: 400,
  SHIP_ERR_STOPPED: 503,
  SHIP_ERR_RECORD_TOO_LARGE: 413,
  SHIP_ERR_PAUSED: 409,
  SHIP_ERR_BUSY: 429,
  SHIP_ERR_STEP_FAILED: 503,
  SHIP_ERR_SCAN_FAILED: 500,
  SHIP_ERR_SCAN_UNREADABLE: 500,
  RECV_ERR_UNDECODABLE: 500,
  RECV_ERR_CLOCK_OFFSET: 500,
  RECV_ERR_WRONG_NAMESPACE: 500,
  RECV_ERR_APPLY_REJECTED: 500,
  RECV_ERR_APPLY_FAILED: 503,
  RECV_ERR_DEAD_LETTER_FAILED: 503,
  RECV_ERR_INVALID_OPTIONS: 400,
  RECV_ERR_CONSUMER_FAILED: 503,
  // xdr/replication/errors.ts (route admin calls drive the pipeline)
  XDR_ERR_REPLICATION_UNKNOWN_ROUTE: 404,
  XDR_ERR_REPLICATION_UNKNOWN_REGION: 400,
  XDR_ERR_REPLICATION_ROUTE_INVALID: 400,
  XDR_ERR_CUSTOM_RESOLVER_LOAD: 400,
  XDR_ERR_TOPIC_SETUP: 503,
  XDR_ERR_REPLICATION_STOPPED: 503,
  // xdr/durability/errors.ts: refused before anything was written; applied but not yet shipped.
  XDR_ERR_NOT_SHIPPED: 503,
  XDR_ERR_SHIP_ACK_TIMEOUT: 504,
  SHIP_ERR_WAITERS_FULL: 503,
  // xdr/infra/errors.ts (local infrastructure; not on the request path)
  XDR_ERR_INFRA_JAVA_MISSING: 500,
  XDR_ERR_INFRA_MAVEN_MISSING: 500,
  XDR_ERR_INFRA_PROVISION_FAILED: 503,
  XDR_ERR_INFRA_BROKER_FORMAT_FAILED: 500,
  XDR_ERR_INFRA_BROKER_START_FAILED: 503,
  XDR_ERR_INFRA_REDIS_MISSING: 500,
  XDR_ERR_INFRA_REDIS_START_FAILED: 503,
  // xdr/config/errors.ts (route edits through the admin API reuse the config checks)
  CONFIG_ERR_FILE_UNREADABLE: 500,
  CONFIG_ERR_YAML_SYNTAX: 400,
  CONFIG_ERR_INVALID: 400,
  // xdr/errors.ts
  XDR_ERR_BAD_REQUEST: 400,
  XDR_ERR_UNAUTHORIZED: 401,
  XDR_ERR_NOT_FOUND: 404,
  XDR_ERR_PAYLOAD_TOO_LARGE: 413,
  XDR_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  // xdr/verify/errors.ts (verify and the partition admin endpoints)
  // xdr/dashboard/errors.ts
  XDR_ERR_DASHBOARD_BUSY: 503,
  XDR_ERR_DASHBOARD_ASSETS_MISSING: 503,
  XDR_ERR_VERIFY_REGION_UNKNOWN: 400,
  XDR_ERR_VERIFY_NAMESPACE_MISSING: 404,
  XDR_ERR_VERIFY_UNAVAILABLE: 503,
  XDR_ERR_VERIFY_BAD_RANGE: 400,
  XDR_ERR_ROUTE_NOT_FOUND: 404,
  XDR_ERR_ROUTE_INVALID: 400,
  XDR_ERR_ROUTE_NOT_LOCAL: 409,
  // Route states, not request failures: they reach HTTP only as notes in route listings.
  XDR_ERR_ROUTE_NAMESPACE_MISSING: 409,
  XDR_ERR_DESTINATION_SILENT: 503,
  XDR_ERR_NOT_READY: 503,
  XDR_ERR_INTERNAL: 500,
  // Process start-up refusals (not on the request path): another process owns the folder or the address.
  XDR_ERR_DIR_LOCKED: 409,
  XDR_ERR_ADDRESS_IN_USE: 409,
};

/** Codes of fastify itself, translated into ours so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'XDR_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'XDR_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'XDR_ERR_BAD_REQUEST',
  FST_ERR_VALIDATION: 'XDR_ERR_BAD_REQUEST',
};

export function mappedCodes(): string[] {
  return Object.keys(STATUS_BY_CODE);
}

/** Status for a code: the table, else a rule from the code's name, else 503 for retriable and 500 for the rest. */
export function statusFor(code: string, retriable = false): number {
  const known = STATUS_BY_CODE[code];
  if (known !== undefined) return known;
  if (/_NOT_FOUND$/.test(code)) return 404;
  if (/_(EXISTS|CONFLICT|MISMATCH)$/.test(code)) return 409;
  if (/_(INVALID|INVALID_[A-Z_]+|OUT_OF_RANGE|TOO_LONG|TOO_MANY)$/.test(code)) return 400;
  return retriable ? 503 : 500;
}

export interface ErrorReply {
  status: number;
  body: { code: string; message: string };
  /** True when the failure is ours (5xx): it is logged with its stack. */
  internal: boolean;
}

/** Any thrown value → status and `{ code, message }`. */
export function toErrorReply(err: unknown): ErrorReply {
  const e = err as { code?: unknown; message?: unknown; retriable?: unknown; validation?: unknown; statusCode?: unknown };
  if (e && Array.isArray(e.validation)) {
    return reply('XDR_ERR_BAD_REQUEST', String(e.message));
  }
  if (e && typeof e.code === 'string') {
    const translated = FASTIFY_CODES[e.code];
    if (translated) return reply(translated, String(e.message));
    if (/^[A-Z]+_ERR_[A-Z0-9_]+$/.test(e.code) && !e.code.startsWith('FST_')) {
      const status = statusFor(e.code, e.retriable === true);
      return { status, body: { code: e.code, message: String(e.message) }, internal: status >= 500 };
    }
    // Other fastify errors carry a 4xx statusCode when the client is at fault.
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return reply('XDR_ERR_BAD_REQUEST', String(e.message));
  }
  return { status: 500, body: { code: 'XDR_ERR_INTERNAL', message: 'internal error; the gateway log has the details' }, internal: true };
}

function reply(code: string, message: string): ErrorReply {
  const status = statusFor(code);
  return { status, body: { code, message }, internal: status >= 500 };
}

export function notFoundError(method: string, url: string): XdrError {
  return new XdrError('XDR_ERR_NOT_FOUND', `no endpoint ${method} ${url.split('?')[0]}; the API is listed at /docs`);
}
