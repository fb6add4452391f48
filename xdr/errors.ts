/** The gateway's own error class (HTTP layer, route administration, process); its codes are declared in errors/gateway.ts. */
import { XDR_ERRORS, errorClass, errorGuard } from '../errors/index.js';

export { XDR_ERRORS };
export type XdrErrorCode = keyof typeof XDR_ERRORS;

export const XdrError = errorClass('XdrError', XDR_ERRORS);
export type XdrError = InstanceType<typeof XdrError>;
export const isXdrError = errorGuard(XdrError);
