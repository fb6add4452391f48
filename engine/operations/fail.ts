/**
 * The one place record operations build their errors, so every refusal carries
 * a stable code, a message that says what to fix, and the bin/op in `details`.
 */
import { EngineError, type EngineErrorCode } from '../errors.js';
/** Engine codes, the operation codes included (errors/engine.ts). */
export type OpsFailCode = EngineErrorCode;

export function opsError(code: OpsFailCode, message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError(code, message, details);
}
