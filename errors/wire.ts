/**
 * Codes of the replication wire format (WireError). A message that fails to
 * decode is never retriable: the same bytes fail the same way, so the receiver
 * dead-letters it. They reach HTTP only through a bug (the API never decodes
 * wire messages), hence 500, except a value the writer could not encode (400).
 */
import { defineErrors } from './define.js';

export const WIRE_ERRORS = defineErrors({
  WIRE_ERR_MALFORMED: {
    message: 'the bytes are not one complete MessagePack value',
    status: 500,
    retriable: false,
    fix: "the message is dead-lettered; find what else writes to the route's topic (only xdrgate shippers may)",
  },
  WIRE_ERR_VERSION: {
    message: 'the message carries a wire format version this build does not read',
    status: 500,
    retriable: false,
    fix: "upgrade the receiving gateway to the shipper's version (receivers first, then shippers)",
  },
  WIRE_ERR_INVALID: {
    message: 'a field of the message is missing, of the wrong type or out of range',
    status: 500,
    retriable: false,
    fix: 'the message is dead-lettered with the field named in its `xdr-reason` header; report it with the DLQ record',
  },
  WIRE_ERR_UNENCODABLE: {
    message: 'a record version holds a value the wire format cannot carry',
    status: 400,
    retriable: false,
    fix: "a bug in the writer of that record: report it with the record's digest (the shipper counts it as abandoned)",
  },
});
