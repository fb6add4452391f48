/** The door of engine/operations/steps/cdt: Aerospike's list and map operations (CDT). */
export { applyCdt, valueAtContext } from './context.js';
export { CdtSpecial, CTX, ListOp, MapOp, ReturnType, isCdtRead, isKnownCdtCode, isListCode, type CdtArg, type CdtContextStep, type CdtStep } from './types.js';
export type { CdtOutcome } from './list.js';
