/** The Aerospike service port's error class; its codes are declared in errors/service.ts. */
import { SERVICE_ERRORS, errorClass } from '../../errors/index.js';

export { SERVICE_ERRORS };
export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

export const ServiceError = errorClass('ServiceError', SERVICE_ERRORS);
export type ServiceError = InstanceType<typeof ServiceError>;

export function unsupportedFeature(message: string): ServiceError {
  return new ServiceError('XDR_ERR_SERVICE_UNSUPPORTED', message);
}

export function badRequest(message: string): ServiceError {
  return new ServiceError('XDR_ERR_SERVICE_BAD_REQUEST', message);
}
