/**
 * Errors of acknowledging writes by durability mode (xdr/durability). Both are
 * raised around a client write of a namespace whose durability is `shipped`.
 */
import { CodedError } from '../coded-error.js';

export const DURABILITY_ERRORS = {
  XDR_ERR_NOT_SHIPPED: { retriable: true, summary: 'a write of a namespace with durability shipped was refused before it was applied: no route from this region ships the namespace now (none exists, or all are paused)' },
  XDR_ERR_SHIP_ACK_TIMEOUT: { retriable: true, summary: 'a write of a namespace with durability shipped was applied here but did not reach Kafka within shipped-ack-timeout; it ships once Kafka answers, and a crash before then loses it' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type DurabilityErrorCode = keyof typeof DURABILITY_ERRORS;

export class DurabilityError extends CodedError<DurabilityErrorCode> {
  override readonly name = 'DurabilityError';

  constructor(code: DurabilityErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, DURABILITY_ERRORS[code].retriable, message, details, options);
  }
}
