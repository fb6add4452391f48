/**
 * The one place record operations build their errors, so every refusal carries
 * a stable code, a message that says what to fix, and the bin/op in `details`.
 */
import { ENGINE_ERRORS, EngineError, type EngineErrorCode } from '../errors.js';
import { OPS_ERRORS, type OpsErrorCode } from './errors.js';

export type OpsFailCode = EngineErrorCode | OpsErrorCode;

export function opsError(code: OpsFailCode, message: string, details: Record<string, unknown> = {}): EngineError {
  if (code in ENGINE_ERRORS) return new EngineError(code as EngineErrorCode, message, details);
  // Bridge for the time before engine/errors.ts spreads OPS_ERRORS into its
  // registry (the core's file is edited only once the core is finished): the
  // fields are readonly for callers, not at run time.
  const err = new EngineError('ENGINE_ERR_INVALID_ARGUMENT', message, details);
  const mutable = err as unknown as { code: string; retriable: boolean };
  mutable.code = code;
  mutable.retriable = OPS_ERRORS[code as OpsErrorCode].retriable;
  return err;
}
