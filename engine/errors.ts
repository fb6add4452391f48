/**
 * The engine's error class. Its codes (ENGINE_ERR_*: records, devices, the
 * change log, record operations, indexes, batches and scans) are declared in
 * errors/engine.ts with their message, statuses and `retriable` flag.
 */
import { ENGINE_ERRORS, errorClass, errorGuard } from '../errors/index.js';

export { ENGINE_ERRORS };
export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

export const EngineError = errorClass('EngineError', ENGINE_ERRORS);
export type EngineError = InstanceType<typeof EngineError>;
export const isEngineError = errorGuard(EngineError);
