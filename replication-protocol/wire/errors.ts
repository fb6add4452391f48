/**
 * Typed errors of the wire format. A message that fails to decode is never
 * retriable: the same bytes fail the same way, so the receiver dead-letters it.
 */

export const WIRE_ERRORS = {
  ENGINE_ERR_WIRE_MALFORMED: { retriable: false, summary: 'the bytes are not one complete MessagePack value' },
  ENGINE_ERR_WIRE_VERSION: { retriable: false, summary: 'the message carries a wire format version this build does not read' },
  ENGINE_ERR_WIRE_INVALID: { retriable: false, summary: 'a field of the message is missing, of the wrong type or out of range' },
  ENGINE_ERR_WIRE_UNENCODABLE: { retriable: false, summary: 'a record version holds a value the wire format cannot carry' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type WireErrorCode = keyof typeof WIRE_ERRORS;

export class WireError extends Error {
  override readonly name = 'WireError';
  readonly code: WireErrorCode;
  readonly retriable: boolean;
  /** The offending field path (e.g. `bins.count`) and what was found. */
  readonly details: Record<string, unknown>;

  constructor(code: WireErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = WIRE_ERRORS[code].retriable;
    this.details = details;
  }
}

export function isWireError(err: unknown, code?: WireErrorCode): err is WireError {
  return err instanceof WireError && (code === undefined || err.code === code);
}
