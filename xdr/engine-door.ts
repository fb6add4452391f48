/**
 * The engine's vocabulary as xdr/ uses it. Interim: until engine/index.ts (the
 * engine's door) lands, this re-exports the contract files directly; then it
 * becomes a plain re-export of '../engine/index.js'.
 */
export type * from '../engine/api.js';
export type * from '../engine/types.js';
export { EngineError, ENGINE_ERRORS, isEngineError, type EngineErrorCode } from '../engine/errors.js';
