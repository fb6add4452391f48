/**
 * Errors of the codec. A decoder that meets bytes it cannot accept throws a
 * ProtocolError with a stable code (declared in errors/protocol.ts with the
 * Aerospike result code the server answers) and decides from `framingLost`
 * whether the connection can go on: when the size of the message itself is
 * not trusted, the next message's start is unknown, so the only safe answer is
 * to close.
 */
import { PROTO_ERRORS, errorClass } from '../errors/index.js';

export { PROTO_ERRORS };
export type ProtocolErrorCode = keyof typeof PROTO_ERRORS;

export class ProtocolError extends errorClass('ProtocolError', PROTO_ERRORS) {
  /** True when the message boundaries can no longer be trusted: the connection must be closed. */
  readonly framingLost: boolean;

  constructor(code: ProtocolErrorCode, message: string, options: { framingLost?: boolean } = {}) {
    super(code, message);
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
