/** The shipper's error class; its codes are declared in errors/shipper.ts. */
import { SHIP_ERRORS, errorClass, errorGuard } from '../errors/index.js';

export { SHIP_ERRORS };
export type ShipErrorCode = keyof typeof SHIP_ERRORS;

export const ShipError = errorClass('ShipError', SHIP_ERRORS);
export type ShipError = InstanceType<typeof ShipError>;
export const isShipError = errorGuard(ShipError);
