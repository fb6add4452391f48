/**
 * Errors of `xdrgate verify` and of the partition admin endpoints behind it
 * (XDR_ERR_VERIFY_*), in the engine/errors.ts pattern.
 */

import { CodedError } from '../coded-error.js';

export const VERIFY_ERRORS = {
  XDR_ERR_VERIFY_REGION_UNKNOWN: { retriable: false, summary: 'a region given to verify is neither a URL nor a region with a config file or an XDRGATE_URL_<REGION> variable' },
  XDR_ERR_VERIFY_NAMESPACE_MISSING: { retriable: false, summary: 'a namespace to verify is not configured in one of the two regions' },
  XDR_ERR_VERIFY_UNAVAILABLE: { retriable: true, summary: 'this gateway cannot list partitions (its engine does not expose them)' },
  XDR_ERR_VERIFY_BAD_RANGE: { retriable: false, summary: 'a partition id or range is outside 0..4095' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type VerifyErrorCode = keyof typeof VERIFY_ERRORS;

export class VerifyError extends CodedError<VerifyErrorCode> {
  override readonly name = 'VerifyError';

  constructor(code: VerifyErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, VERIFY_ERRORS[code].retriable, message, details, options);
  }
}

export function isVerifyError(err: unknown, code?: VerifyErrorCode): err is VerifyError {
  return err instanceof VerifyError && (code === undefined || err.code === code);
}
