/**
 * The one error vocabulary of the project: the base class, the factory that
 * gives each module its class, every module's table of codes (message, HTTP
 * status, Aerospike result code, retriable, what to do), the Aerospike result
 * codes, and the lookups the front ends answer from. Pure: it imports nothing
 * of ours and no package, so every folder may import it.
 *
 * Adding a code: one row in its module's table (errors/<module>.ts), then
 * `npm run docs:errors`; the HTTP status, the result code and the docs follow.
 */
export { CodedError, errorClass, errorGuard, isRetriable } from './coded-error.js';
export { defineErrors, type ErrorSpec, type ErrorTable } from './define.js';
export { SECTIONS, errorCodes, errorSpec, httpStatusOf, resultCodeFor, type ErrorSection } from './catalog.js';
export { renderErrorsDoc } from './doc.js';
export { errorNote, type ErrorNote } from './note.js';
export { ResultCode, resultCodeName } from './result-codes.js';
export { CONFIG_ERRORS } from './config.js';
export { CONFLICT_ERRORS } from './conflict.js';
export { DASHBOARD_ERRORS } from './dashboard.js';
export { DURABILITY_ERRORS } from './durability.js';
export { ENGINE_ERRORS } from './engine.js';
export { XDR_ERRORS } from './gateway.js';
export { INFRA_ERRORS } from './infra.js';
export { PROTO_ERRORS } from './protocol.js';
export { RECV_ERRORS } from './receiver.js';
export { REPLICATION_ERRORS } from './replication.js';
export { SERVICE_ERRORS } from './service.js';
export { SHIP_ERRORS } from './shipper.js';
export { VERIFY_ERRORS } from './verify.js';
export { WIRE_ERRORS } from './wire.js';
