/**
 * Codes of acknowledging writes by durability mode (DurabilityError). Both are
 * raised around a client write of a namespace whose durability is `shipped`.
 */
import { defineErrors } from './define.js';
import { ResultCode } from './result-codes.js';

export const DURABILITY_ERRORS = defineErrors({
  // Refused before it was applied: no route ships the namespace now; Aerospike's "not allowed at this time".
  XDR_ERR_NOT_SHIPPED: {
    message: 'a write of a namespace with durability shipped was refused before it was applied: no route from this region ships the namespace now (none exists, or all are paused or failed)',
    status: 503,
    resultCode: ResultCode.FORBIDDEN,
    retriable: true,
    fix: 'nothing was written. Resume or add a route for the namespace (`xdrgate route list`), or set `durability: buffered` if a crash may lose its data',
  },
  // Applied here, not yet in Kafka: clients treat a timeout as in doubt, which it is (HTTP 504, result 9).
  XDR_ERR_SHIP_ACK_TIMEOUT: {
    message: 'a write of a namespace with durability shipped was applied here but did not reach Kafka within shipped-ack-timeout; it ships once Kafka answers, and a crash before then loses it',
    status: 504,
    resultCode: ResultCode.TIMEOUT,
    retriable: true,
    fix: 'the write is in doubt, as after any timeout. Check `xdrgate lag` (Kafka down, route retrying); retrying the write is safe for puts (same result) — an increment retried may count twice',
  },
});
