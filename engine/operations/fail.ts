/**
 * The one place record operations build their errors, so every refusal carries
 * a stable code, a message that says what to fix, and the bin/op in `details`.
 */
import { EngineError, type EngineErrorCode } from '../errors.js';
import type { OpsErrorCode } from './errors.js';

/** Engine codes, the operation codes (engine/operations/errors.ts) included. */
export type OpsFailCode = EngineErrorCode | OpsErrorCode;

export function opsError(code: OpsFailCode, message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError(code, message, details);
}
