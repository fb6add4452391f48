/**
 * Typed conflict errors, in the engine/errors.ts pattern. Resolvers themselves
 * never fail on well-formed versions; these codes cover configuration mistakes,
 * broken custom modules and inputs that break the contract.
 */

export const CONFLICT_ERRORS = {
  CONFLICT_ERR_UNKNOWN_RESOLVER: { retriable: false, summary: 'no built-in resolver has that name' },
  CONFLICT_ERR_RECORD_MISMATCH: { retriable: false, summary: 'local and incoming versions belong to different records' },
  CONFLICT_ERR_CUSTOM_THREW: { retriable: false, summary: 'a custom resolver threw; the local record was kept' },
  CONFLICT_ERR_CUSTOM_INVALID_DECISION: { retriable: false, summary: 'a custom resolver returned a malformed decision; the local record was kept' },
  CONFLICT_ERR_INVALID_MODULE: { retriable: false, summary: 'a custom resolver module exports no resolve function' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ConflictErrorCode = keyof typeof CONFLICT_ERRORS;

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  readonly code: ConflictErrorCode;
  readonly retriable: boolean;
  /** Context for the operator: resolver name, bin, ... */
  readonly details: Record<string, unknown>;

  constructor(code: ConflictErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = CONFLICT_ERRORS[code].retriable;
    this.details = details;
  }
}

export function isConflictError(err: unknown, code?: ConflictErrorCode): err is ConflictError {
  return err instanceof ConflictError && (code === undefined || err.code === code);
}
