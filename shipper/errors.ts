/**
 * Typed shipper errors (the engine/errors.ts pattern). The shipper itself
 * retries retriable failures forever with backoff (nothing may be lost); these
 * codes reach callers through stats, logs and the route control calls.
 */

export const SHIP_ERRORS = {
  SHIP_ERR_SEND_FAILED: { retriable: true, summary: 'Kafka did not acknowledge a batch; the shipper retries it with backoff' },
  SHIP_ERR_TOPIC_UNAVAILABLE: { retriable: true, summary: "the route's topic or its partition metadata cannot be read from the source Kafka" },
  SHIP_ERR_INVALID_OPTIONS: { retriable: false, summary: 'a shipper option or route field is out of range' },
  SHIP_ERR_STOPPED: { retriable: false, summary: 'the route shipper was stopped' },
  SHIP_ERR_WAITERS_FULL: { retriable: true, summary: 'too many writes already wait for the route to ship them (durability shipped); retry shortly' },
  SHIP_ERR_PAUSED: { retriable: false, summary: 'the route is paused or disabled, so it re-ships nothing; resume it first' },
  SHIP_ERR_BUSY: { retriable: true, summary: "the route's re-ship queue is full (reshipQueueMax requests waiting); retry after the ones queued are done" },
  SHIP_ERR_RECORD_TOO_LARGE: { retriable: false, summary: 'an encoded record is larger than recordBytesMax; it is abandoned (counted, logged)' },
  SHIP_ERR_STEP_FAILED: { retriable: true, summary: 'a shipping step failed outside the send retry (reading the change log or the engine, topic metadata); the route retries it with backoff' },
  SHIP_ERR_SCAN_FAILED: { retriable: false, summary: 'an overflow-recovery or rewind scan stopped before its end; the route shows state error until a new rewind, resume or removal' },
  SHIP_ERR_SCAN_UNREADABLE: { retriable: false, summary: 'a rewind or overflow-recovery scan skipped records it could not read (corrupted storage); they were not shipped' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type ShipErrorCode = keyof typeof SHIP_ERRORS;

export class ShipError extends Error {
  override readonly name = 'ShipError';
  readonly code: ShipErrorCode;
  readonly retriable: boolean;
  /** Route, topic, partition, digest: what helps the operator. */
  readonly details: Record<string, unknown>;

  constructor(code: ShipErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = SHIP_ERRORS[code].retriable;
    this.details = details;
  }
}

export function isShipError(err: unknown, code?: ShipErrorCode): err is ShipError {
  return err instanceof ShipError && (code === undefined || err.code === code);
}
