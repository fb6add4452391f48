/**
 * Errors of the gateway itself (HTTP layer, route administration, process).
 * Errors of the modules below keep their own codes (ENGINE_ERR_*, CONFIG_ERR_*,
 * ...); xdr/http/error-map.ts turns every code into an HTTP status in one place.
 */

import { CodedError } from './coded-error.js';

export const XDR_ERRORS = {
  XDR_ERR_BAD_REQUEST: { retriable: false, summary: 'the request is malformed: invalid JSON, a missing or mistyped field, or a bad key' },
  XDR_ERR_UNAUTHORIZED: { retriable: false, summary: 'the request lacks the bearer token this gateway is configured with' },
  XDR_ERR_NOT_FOUND: { retriable: false, summary: 'no endpoint answers to this method and path' },
  XDR_ERR_PAYLOAD_TOO_LARGE: { retriable: false, summary: 'the request body is larger than body-limit' },
  XDR_ERR_UNSUPPORTED_MEDIA_TYPE: { retriable: false, summary: 'the request body is not application/json' },
  XDR_ERR_ROUTE_NOT_FOUND: { retriable: false, summary: 'no route of that name exists' },
  XDR_ERR_ROUTE_INVALID: { retriable: false, summary: 'the route refers to an unknown region or namespace, or its options contradict each other' },
  XDR_ERR_ROUTE_NOT_LOCAL: { retriable: false, summary: "the route's source is another region; routes are edited at their source region" },
  XDR_ERR_ROUTE_NAMESPACE_MISSING: { retriable: false, summary: "the route's destination region has no namespace of that name; it does not receive the route until the namespace exists there" },
  XDR_ERR_DESTINATION_SILENT: { retriable: true, summary: "the route's destination has not reported its receiving status for several intervals (its gateway is down, or cannot reach Redis)" },
  XDR_ERR_NOT_READY: { retriable: true, summary: 'the gateway is starting or shutting down' },
  XDR_ERR_INTERNAL: { retriable: true, summary: 'an unexpected failure inside the gateway' },
  XDR_ERR_DIR_LOCKED: { retriable: false, summary: 'a data folder (a gateway data-dir, an `up` folder, a Kafka broker dir) is owned by another live process' },
  XDR_ERR_ADDRESS_IN_USE: { retriable: false, summary: 'an address a gateway or broker must listen on is already taken by another process' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type XdrErrorCode = keyof typeof XDR_ERRORS;

export class XdrError extends CodedError<XdrErrorCode> {
  override readonly name = 'XdrError';

  constructor(code: XdrErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, XDR_ERRORS[code].retriable, message, details, options);
  }
}

export function isXdrError(err: unknown, code?: XdrErrorCode): err is XdrError {
  return err instanceof XdrError && (code === undefined || err.code === code);
}
