/**
 * Errors of the Aerospike service port (xdr/aerospike/). Codes of the engine
 * and of the codec keep their own registries; result-map.ts turns every code
 * into an Aerospike result code in one place.
 */
import { CodedError } from '../coded-error.js';

export const SERVICE_ERRORS = {
  XDR_ERR_SERVICE_UNSUPPORTED: {
    retriable: false,
    summary: 'the request needs a feature this gateway does not implement (Lua UDF execution, filter expressions, transactions, bit or HLL operations, compression)',
  },
  XDR_ERR_SERVICE_BAD_REQUEST: { retriable: false, summary: 'the request is well formed but asks for something impossible (a write op in a read, a missing digest, a bad info parameter)' },
  XDR_ERR_SERVICE_UDF_NOT_FOUND: { retriable: false, summary: 'no UDF module of that name is registered' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

export class ServiceError extends CodedError<ServiceErrorCode> {
  override readonly name = 'ServiceError';

  constructor(code: ServiceErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, SERVICE_ERRORS[code].retriable, message, details);
  }
}

export function unsupportedFeature(message: string): ServiceError {
  return new ServiceError('XDR_ERR_SERVICE_UNSUPPORTED', message);
}

export function badRequest(message: string): ServiceError {
  return new ServiceError('XDR_ERR_SERVICE_BAD_REQUEST', message);
}
