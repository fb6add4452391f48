/**
 * Errors of the codec. A decoder that meets bytes it cannot accept throws a
 * ProtocolError with a stable code; the server turns the code into an
 * Aerospike result code (one table, xdr/aerospike/result-map.ts) and decides
 * from `framingLost` whether the connection can go on: when the size of the
 * message itself is not trusted, the next message's start is unknown, so the
 * only safe answer is to close.
 */

export const PROTO_ERRORS = {
  PROTO_ERR_BAD_VERSION: { retriable: false, summary: 'a message header does not start with protocol version 2' },
  PROTO_ERR_FRAME_TOO_LARGE: { retriable: false, summary: 'a message is larger than the configured max message size' },
  PROTO_ERR_UNKNOWN_TYPE: { retriable: false, summary: 'a message has a type the server does not serve (not info or AS_MSG)' },
  PROTO_ERR_MALFORMED: { retriable: false, summary: 'a message is truncated or its fields, ops or values run past its end' },
  PROTO_ERR_UNSUPPORTED: { retriable: false, summary: 'a message asks for a field, op, particle or value type the server does not implement' },
  PROTO_ERR_LIMIT: { retriable: false, summary: 'a message has more fields or ops, or an info request more commands, than the configured limits allow' },
  PROTO_ERR_BATCH_TOO_LARGE: { retriable: false, summary: 'a batch has more keys than the configured max batch keys' },
  PROTO_ERR_BAD_VALUE: { retriable: false, summary: 'a key, bin name or value in a message is not acceptable (bad UTF-8, bad MessagePack, wrong size)' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ProtocolErrorCode = keyof typeof PROTO_ERRORS;

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly retriable: boolean;
  /** True when the message boundaries can no longer be trusted: the connection must be closed. */
  readonly framingLost: boolean;

  constructor(code: ProtocolErrorCode, message: string, options: { framingLost?: boolean } = {}) {
    super(message);
    this.code = code;
    this.retriable = PROTO_ERRORS[code].retriable;
    this.framingLost = options.framingLost ?? false;
  }
}

export function isProtocolError(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError;
}

export function malformed(message: string): ProtocolError {
  return new ProtocolError('PROTO_ERR_MALFORMED', message);
}

export function unsupported(message: string): ProtocolError {
  return new ProtocolError('PROTO_ERR_UNSUPPORTED', message);
}

export function badValue(message: string): ProtocolError {
  return new ProtocolError('PROTO_ERR_BAD_VALUE', message);
}
