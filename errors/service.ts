/**
 * Codes of the Aerospike service port (ServiceError, xdr/aerospike/). They never
 * reach HTTP (the statuses are what a stray one would get).
 */
import { defineErrors } from './define.js';
import { ResultCode } from './result-codes.js';

export const SERVICE_ERRORS = defineErrors({
  XDR_ERR_SERVICE_UNSUPPORTED: {
    message: 'the request needs a feature this gateway does not implement (Lua UDF execution, filter expressions, transactions, bit operations, compression)',
    status: 500,
    resultCode: ResultCode.UNSUPPORTED_FEATURE,
    retriable: false,
    fix: 'do the work in the application, or over the HTTP API',
  },
  XDR_ERR_SERVICE_BAD_REQUEST: {
    message: 'the request is well formed but asks for something impossible (a write op in a read, a missing digest, a bad info parameter)',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'fix the request as the message says',
  },
  XDR_ERR_SERVICE_UDF_NOT_FOUND: {
    message: 'no UDF module of that name is registered',
    status: 404,
    resultCode: ResultCode.UDF_EXECUTION,
    retriable: false,
    fix: 'list modules with `udf-list`',
  },
});
