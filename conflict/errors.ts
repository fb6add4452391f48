/** The resolvers' error class; its codes are declared in errors/conflict.ts. */
import { CONFLICT_ERRORS, errorClass, errorGuard } from '../errors/index.js';

export { CONFLICT_ERRORS };
export type ConflictErrorCode = keyof typeof CONFLICT_ERRORS;

export const ConflictError = errorClass('ConflictError', CONFLICT_ERRORS);
export type ConflictError = InstanceType<typeof ConflictError>;
export const isConflictError = errorGuard(ConflictError);
