/**
 * Codes of the Aerospike client-protocol codec (ProtocolError), raised while
 * decoding what a client sent to the service port. Where the framing is lost
 * the connection is closed instead of answered. They never reach HTTP (the
 * statuses are what a stray one would get: 500).
 */
import { defineErrors } from './define.js';
import { ResultCode } from './result-codes.js';

export const PROTO_ERRORS = defineErrors({
  PROTO_ERR_BAD_VERSION: {
    message: 'a message header does not start with protocol version 2',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'the connection is closed; point only Aerospike clients at the service port (HTTP goes to `listen`)',
  },
  PROTO_ERR_FRAME_TOO_LARGE: {
    message: 'a message is larger than the configured max message size',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'the connection is closed; send smaller batches or raise `service.max-message-size`',
  },
  PROTO_ERR_UNKNOWN_TYPE: {
    message: 'a message has a type the server does not serve (not info or AS_MSG)',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'the connection is closed; use an Aerospike client (message types 1, 2, 3)',
  },
  PROTO_ERR_MALFORMED: {
    message: 'a message is truncated or its fields, ops or values run past its end',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'a client bug or a corrupted stream: report the client and version',
  },
  PROTO_ERR_UNSUPPORTED: {
    message: 'a message asks for a field, op, particle or value type the server does not implement',
    status: 500,
    resultCode: ResultCode.UNSUPPORTED_FEATURE,
    retriable: false,
    fix: 'the message names the feature (GeoJSON bins, double keys)',
  },
  PROTO_ERR_LIMIT: {
    message: 'a message has more fields or ops, or an info request more commands, than the configured limits allow',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: 'split the operate, or raise `service.max-ops` / `service.max-fields`',
  },
  PROTO_ERR_BATCH_TOO_LARGE: {
    message: 'a batch has more keys than the configured max batch keys',
    status: 500,
    resultCode: ResultCode.BATCH_MAX_REQUESTS,
    retriable: false,
    fix: 'split the batch or raise `service.max-batch-keys`',
  },
  PROTO_ERR_BAD_VALUE: {
    message: 'a key, bin name or value in a message is not acceptable (bad UTF-8, bad MessagePack, wrong size)',
    status: 500,
    resultCode: ResultCode.PARAMETER,
    retriable: false,
    fix: "fix the value named in the gateway's debug log",
  },
});
