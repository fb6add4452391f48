/**
 * Codes of the shipper (ShipError). The shipper retries retriable failures with
 * backoff (nothing may be lost) and stops a route in state `failed` on the
 * others until an operator resumes it; these codes reach callers through
 * stats, logs and the route control calls.
 */
import { defineErrors } from './define.js';

export const SHIP_ERRORS = defineErrors({
  SHIP_ERR_SEND_FAILED: {
    message: 'Kafka did not acknowledge a batch; the shipper retries it with backoff',
    status: 503,
    retriable: true,
    fix: "nothing is lost while it retries; check the source region's Kafka (route state `retrying`, stat `retries`)",
  },
  SHIP_ERR_SEND_REJECTED: {
    message: 'Kafka refused a batch for a reason a retry does not fix (a message larger than the topic allows, missing rights, an invalid topic); the route stops in state failed',
    status: 500,
    retriable: false,
    fix: "fix what the message names (the topic's max.message.bytes against recordBytesMax, the ACLs of the source Kafka), then `xdrgate route resume`; nothing is lost, the batch ships again from the committed position",
  },
  SHIP_ERR_TOPIC_UNAVAILABLE: {
    message: "the route's topic or its partition metadata cannot be read from the source Kafka",
    status: 503,
    retriable: true,
    fix: 'check that the source Kafka is reachable; the gateway creates the topic when it adds the route',
  },
  SHIP_ERR_INVALID_OPTIONS: {
    message: 'a shipper option or route field is out of range',
    status: 400,
    retriable: false,
    fix: 'fix the option named in the message; namespace, source, destination and topic of a running route cannot change (remove and re-add it)',
  },
  SHIP_ERR_STOPPED: {
    message: 'the route shipper was stopped',
    status: 503,
    retriable: false,
    fix: 'none; unacknowledged records are re-shipped when the route starts again',
  },
  SHIP_ERR_WAITERS_FULL: {
    message: 'too many writes already wait for the route to ship them (durability shipped); retry shortly',
    status: 503,
    retriable: true,
    fix: "retry; if the load is expected, raise the shipper's shippedWaitersMax, or look at `xdrgate lag` for a route that is not keeping up",
  },
  SHIP_ERR_PAUSED: {
    message: 'the route is paused, disabled or failed, so it re-ships nothing; resume it first',
    status: 409,
    retriable: false,
    fix: 'resume the route (`xdrgate route resume`; a failed one after fixing what its `last_error` names), then re-ship again; anti-entropy skips paused routes by itself',
  },
  SHIP_ERR_BUSY: {
    message: "the route's re-ship queue is full (reshipQueueMax requests waiting); retry after the ones queued are done",
    status: 429,
    retriable: true,
    fix: 'retry once the queued re-ships are done; anti-entropy and `verify --repair` back off and retry by themselves',
  },
  SHIP_ERR_RECORD_TOO_LARGE: {
    message: 'an encoded record is larger than recordBytesMax; it is abandoned (counted, logged)',
    status: 413,
    retriable: false,
    fix: "raise recordBytesMax together with the topic's max.message.bytes, or store smaller records",
  },
  SHIP_ERR_STEP_FAILED: {
    message: 'a shipping step failed outside the send retry (reading the change log or the engine, topic metadata); the route retries it with backoff',
    status: 503,
    retriable: true,
    fix: "route state `retrying` with the message; the underlying error's own code is shown when it has one (e.g. ENGINE_ERR_IO)",
  },
  SHIP_ERR_SCAN_FAILED: {
    message: 'an overflow-recovery or rewind scan stopped before its end; the route shows state error until a new rewind, resume or removal',
    status: 500,
    retriable: false,
    fix: "the route's `scan` says how many records were shipped and why it stopped (the underlying error's own code when it has one); fix that, then rewind again (docs/operations.md)",
  },
  SHIP_ERR_SCAN_UNREADABLE: {
    message: 'a rewind or overflow-recovery scan skipped records it could not read (corrupted storage); they were not shipped',
    status: 500,
    retriable: false,
    fix: "route state `incomplete`: the digests are logged (and the first ten are in the route's `scan`); restore those records from a peer region, then `route resume` to acknowledge (docs/operations.md)",
  },
});
