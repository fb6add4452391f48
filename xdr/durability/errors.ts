/** The error class of acknowledging writes by durability mode; its codes are declared in errors/durability.ts. */
import { DURABILITY_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { DURABILITY_ERRORS };
export type DurabilityErrorCode = keyof typeof DURABILITY_ERRORS;

export const DurabilityError = errorClass('DurabilityError', DURABILITY_ERRORS);
export type DurabilityError = InstanceType<typeof DurabilityError>;
export const isDurabilityError = errorGuard(DurabilityError);
