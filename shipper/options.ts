/**
 * Limits and timings of a route shipper, declared once with their defaults,
 * validated and frozen. Every queue and batch has a maximum (style: limits on
 * everything), so a Kafka outage costs bounded memory, not the process.
 */
import { ShipError } from './errors.js';

export interface ShipperOptions {
  /** Change-log entries read per batch (and records per Kafka sendBatch at most). @default 1000 */
  batchRecordsMax?: number;
  /** Encoded bytes per sendBatch; a batch past it is sent in several requests. @default 1048576 (1 MiB) */
  batchBytesMax?: number;
  /** Largest encoded record shipped; larger ones are abandoned and counted (Kafka's message.max.bytes is ~1 MiB). @default 1000000 */
  recordBytesMax?: number;
  /** An idle route sends a heartbeat at least this often. @default 1000 */
  heartbeatIntervalMs?: number;
  /** First retry delay after a failed send; doubles per attempt (with jitter). @default 100 */
  retryBackoffMinMs?: number;
  /** Longest retry delay. @default 10000 */
  retryBackoffMaxMs?: number;
  /** Concurrent readVersion calls while preparing a batch. @default 64 */
  readConcurrencyMax?: number;
  /** Writes that may wait at once for this route to ship them (namespaces with durability `shipped`). @default 100000 */
  shippedWaitersMax?: number;
  /** Re-ship requests (anti-entropy, verify --repair) waiting for the loop; one more is refused with SHIP_ERR_BUSY. @default 8 */
  reshipQueueMax?: number;
  /** Digests in one re-ship request. @default 1000 */
  reshipDigestsMax?: number;
}

export type ResolvedShipperOptions = Readonly<Required<ShipperOptions>>;

export const SHIPPER_DEFAULTS: ResolvedShipperOptions = Object.freeze({
  batchRecordsMax: 1000,
  batchBytesMax: 1024 * 1024,
  recordBytesMax: 1_000_000,
  heartbeatIntervalMs: 1000,
  retryBackoffMinMs: 100,
  retryBackoffMaxMs: 10_000,
  readConcurrencyMax: 64,
  shippedWaitersMax: 100_000,
  reshipQueueMax: 8,
  reshipDigestsMax: 1000,
});

function int(field: keyof ShipperOptions, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ShipError('SHIP_ERR_INVALID_OPTIONS', `shipper option ${field}: must be an integer in [${min}, ${max}], got ${value}`, { field, value });
  }
  return value;
}

export function resolveShipperOptions(options: ShipperOptions = {}): ResolvedShipperOptions {
  const d = SHIPPER_DEFAULTS;
  const recordBytesMax = int('recordBytesMax', options.recordBytesMax ?? d.recordBytesMax, 1024, 64 * 1024 * 1024);
  const retryBackoffMinMs = int('retryBackoffMinMs', options.retryBackoffMinMs ?? d.retryBackoffMinMs, 1, 60_000);
  return Object.freeze({
    batchRecordsMax: int('batchRecordsMax', options.batchRecordsMax ?? d.batchRecordsMax, 1, 100_000),
    // A batch must hold at least one maximal record.
    batchBytesMax: int('batchBytesMax', options.batchBytesMax ?? d.batchBytesMax, recordBytesMax, 256 * 1024 * 1024),
    recordBytesMax,
    heartbeatIntervalMs: int('heartbeatIntervalMs', options.heartbeatIntervalMs ?? d.heartbeatIntervalMs, 10, 3_600_000),
    retryBackoffMinMs,
    retryBackoffMaxMs: int('retryBackoffMaxMs', options.retryBackoffMaxMs ?? d.retryBackoffMaxMs, retryBackoffMinMs, 600_000),
    readConcurrencyMax: int('readConcurrencyMax', options.readConcurrencyMax ?? d.readConcurrencyMax, 1, 4096),
    shippedWaitersMax: int('shippedWaitersMax', options.shippedWaitersMax ?? d.shippedWaitersMax, 1, 10_000_000),
    reshipQueueMax: int('reshipQueueMax', options.reshipQueueMax ?? d.reshipQueueMax, 1, 1024),
    reshipDigestsMax: int('reshipDigestsMax', options.reshipDigestsMax ?? d.reshipDigestsMax, 1, 100_000),
  });
}
