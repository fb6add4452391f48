/**
 * Codes of the storage engine (EngineError): records, namespaces, devices, the
 * change log, record operations, secondary indexes, batches and scans.
 * Programmer errors are assertions, not EngineErrors.
 */
import { defineErrors } from './define.js';
import { ResultCode } from './result-codes.js';

export const ENGINE_ERRORS = defineErrors({
  ENGINE_ERR_RECORD_NOT_FOUND: {
    message: 'the record does not exist',
    status: 404,
    resultCode: ResultCode.NOT_FOUND,
    retriable: false,
    fix: 'check the namespace, set and key (and keyType); update-only and replace-only writes need an existing record',
  },
  ENGINE_ERR_RECORD_EXISTS: {
    message: 'the record already exists (create-only write)',
    status: 409,
    resultCode: ResultCode.RECORD_EXISTS,
    retriable: false,
    fix: 'use another exists policy or another key',
  },
  ENGINE_ERR_GENERATION_MISMATCH: {
    message: 'the generation check of the write policy failed',
    status: 409,
    resultCode: ResultCode.GENERATION,
    retriable: false,
    fix: 're-read the record and retry with its current generation',
  },
  ENGINE_ERR_RECORD_TOO_BIG: {
    message: 'the encoded record is larger than write-block-size allows',
    status: 413,
    resultCode: ResultCode.RECORD_TOO_BIG,
    retriable: false,
    fix: 'store less per record or raise write-block-size',
  },
  ENGINE_ERR_BIN_NAME_TOO_LONG: {
    message: 'a bin name is longer than 15 bytes',
    status: 400,
    resultCode: ResultCode.BIN_NAME,
    retriable: false,
    fix: 'shorten the bin name',
  },
  ENGINE_ERR_BIN_TYPE_MISMATCH: {
    message: 'an operation does not fit the type of the bin it targets',
    status: 400,
    resultCode: ResultCode.INCOMPATIBLE_TYPE,
    retriable: false,
    fix: 'use an operation that fits the stored type',
  },
  ENGINE_ERR_NAMESPACE_NOT_FOUND: {
    message: 'no namespace of that name is configured',
    status: 404,
    resultCode: ResultCode.NAMESPACE,
    retriable: false,
    fix: 'use a configured namespace (GET /v1/stats lists them)',
  },
  // Aerospike answers stop-writes with OUT_OF_SPACE (8) (server 8.1 write.c); FORBIDDEN (22) is for clock skew and set limits.
  ENGINE_ERR_STOP_WRITES: {
    message: 'the device is full or past stop-writes-pct; writes are refused',
    status: 507,
    resultCode: ResultCode.OUT_OF_SPACE,
    retriable: true,
    fix: 'delete data, let defrag and nsup catch up, or add devices',
  },
  ENGINE_ERR_DIRECT_IO: {
    message: 'a device file opened with O_DIRECT (direct-io) refused a read or write (EINVAL: a buffer, offset or length not aligned as its device needs)',
    status: 500,
    resultCode: ResultCode.UNKNOWN,
    retriable: false,
    fix: 'report it with the logged offset and length; meanwhile set direct-io false (the data on the device files is the same either way)',
  },
  ENGINE_ERR_CORRUPTED_STORAGE: {
    message: 'a checksum or structure check failed in a device, index or log file',
    status: 500,
    resultCode: ResultCode.UNKNOWN,
    retriable: false,
    fix: 'restore the named file from a replica (re-replicate from the peer region)',
  },
  ENGINE_ERR_INVALID_GEOJSON: {
    message: 'a GeoJSON value (a bin, an element of a list or map, or a query region) is not GeoJSON that Aerospike accepts',
    status: 400,
    resultCode: ResultCode.GEO_INVALID_GEOJSON,
    retriable: false,
    fix: 'write a Point, Polygon, MultiPolygon or AeroCircle (or a Feature holding one) with [longitude, latitude] coordinates; close every loop (at least 4 points, the last equal to the first)',
  },
  ENGINE_ERR_INVALID_ARGUMENT: {
    message: 'a key, bin value or option is not of an accepted type or range',
    status: 400,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'fix the value named in the message',
  },
  ENGINE_ERR_CLOSED: {
    message: 'the engine was closed',
    status: 503,
    resultCode: ResultCode.UNAVAILABLE,
    retriable: false,
    fix: 'reopen the engine; during shutdown, retry against the restarted gateway',
  },
  // Retriable: the write that hit it was not acknowledged, so repeating it is safe,
  // and the usual causes (disk full, a device that came back) clear once the
  // operator acts; a non-retriable flag would make clients drop writes that succeed later.
  // 503, not 507: EIO is not a capacity problem, and one code has one status.
  ENGINE_ERR_IO: {
    message: 'a file operation of the change log failed (disk full, EIO); the log refuses appends until reopened. `details` names the `op` and `file`, the Node error is the `cause`',
    status: 503,
    resultCode: ResultCode.UNKNOWN,
    retriable: true,
    fix: 'free space or fix the device, then restart the gateway (the log refuses appends until reopened); the failed write was not acknowledged, so clients may retry it',
  },
  ENGINE_ERR_OP_INDEX_OUT_OF_RANGE: {
    message: 'a list index in an operation lies outside the list',
    status: 400,
    resultCode: ResultCode.OP_NOT_APPLICABLE,
    retriable: false,
    fix: 'read the list size first; -1 is the last item; get, set and remove need an existing index, insert takes -size..size; lists grow to at most 1,000,000 items',
  },
  ENGINE_ERR_INCR_OVERFLOW: {
    message: 'an integer increment would leave the signed 64-bit range',
    status: 400,
    resultCode: ResultCode.OP_NOT_APPLICABLE,
    retriable: false,
    fix: 'keep the counter within ±9.2·10^18, or store it as a double',
  },
  ENGINE_ERR_SINDEX_EXISTS: {
    message: 'a secondary index of that name, or on that bin and set, already exists',
    status: 409,
    resultCode: ResultCode.SINDEX_FOUND,
    retriable: false,
    fix: 'use the existing index (GET the index list) or drop it first',
  },
  ENGINE_ERR_SINDEX_NOT_FOUND: {
    message: 'no secondary index of that name, or none on the queried bin',
    status: 404,
    resultCode: ResultCode.SINDEX_NOT_FOUND,
    retriable: false,
    fix: 'create an index on the bin (integer for equals/between on numbers, string for equals on strings), in the queried set or in all sets',
  },
  ENGINE_ERR_BATCH_TOO_LARGE: {
    message: 'a batch asks for more keys than the batch limit (5,000)',
    status: 400,
    resultCode: ResultCode.BATCH_MAX_REQUESTS,
    retriable: false,
    fix: 'split the batch into calls of at most 5,000 keys',
  },
  // 499 only when the client went away mid-stream; nobody reads this reply.
  ENGINE_ERR_ABORTED: {
    message: 'a scan or query was aborted by its caller',
    status: 499,
    resultCode: ResultCode.QUERY_ABORT,
    retriable: true,
    fix: 'nothing, if you aborted it; otherwise run it again',
  },
  ENGINE_ERR_ELEMENT_NOT_FOUND: {
    message: 'a collection operation needs an element that is not there (an update-only map put, a replace of a missing key)',
    status: 409,
    resultCode: ResultCode.ELEMENT_NOT_FOUND,
    retriable: false,
    fix: 'put without update-only, or check the key first',
  },
  ENGINE_ERR_ELEMENT_EXISTS: {
    message: 'a collection operation refuses an element that is already there (a unique list add, a create-only map put)',
    status: 409,
    resultCode: ResultCode.ELEMENT_EXISTS,
    retriable: false,
    fix: 'add the no-fail flag to skip such elements, or drop the unique/create-only flag',
  },
  ENGINE_ERR_OP_NOT_APPLICABLE: {
    message: 'a collection operation does not apply where it points (its context path leads nowhere, an index is out of bounds, an increment of a non-number)',
    status: 400,
    resultCode: ResultCode.OP_NOT_APPLICABLE,
    retriable: false,
    fix: 'fix the context path or index named in the message',
  },
  ENGINE_ERR_BIN_EXISTS: {
    message: 'a create-only bin operation (a HyperLogLog init, add or union with the create-only flag) found the bin already there',
    status: 409,
    resultCode: ResultCode.BIN_EXISTS,
    retriable: false,
    fix: 'drop the create-only flag, or add no-fail to leave an existing bin alone',
  },
  ENGINE_ERR_BIN_NOT_FOUND: {
    message: 'an update-only bin operation (a HyperLogLog init or union with the update-only flag, a fold, a count refresh) found no bin',
    status: 404,
    resultCode: ResultCode.BIN_NOT_FOUND,
    retriable: false,
    fix: 'create the bin first (hll init or add), or add no-fail to skip a missing bin',
  },
  ENGINE_ERR_UNSUPPORTED: {
    message: "an operation needs what the engine's data model does not hold: map keys other than strings",
    status: 400,
    resultCode: ResultCode.UNSUPPORTED_FEATURE,
    retriable: false,
    fix: 'use string map keys',
  },
});
