/** The wire format's error class; its codes are declared in errors/wire.ts. */
import { WIRE_ERRORS, errorClass, errorGuard } from '../../errors/index.js';

export { WIRE_ERRORS };
export type WireErrorCode = keyof typeof WIRE_ERRORS;

export const WireError = errorClass('WireError', WIRE_ERRORS);
export type WireError = InstanceType<typeof WireError>;
export const isWireError = errorGuard(WireError);
