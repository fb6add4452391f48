/**
 * Which failed sends a retry cannot fix. kafkajs marks many errors not
 * retriable that clear by themselves for us (BROKER_NOT_AVAILABLE while a broker
 * restarts, UNKNOWN_PRODUCER_ID or OUT_OF_ORDER_SEQUENCE_NUMBER after a
 * producer's state expired, its own "number of retries exceeded" wrapper), so
 * its flag is not ours: only a broker's answer that names the batch itself or
 * our rights as the problem is a refusal. Everything else stays retriable, as
 * every send failure was before: nothing may be lost.
 */

/** Kafka error types that the same batch meets again until an operator changes the topic, the broker or the ACLs. */
const REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'POLICY_VIOLATION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
]);

/** kafkajs wraps errors (retries exceeded, non-retriable) a few levels deep; deeper is a loop. */
const CAUSE_DEPTH_MAX = 8;

/**
 * The Kafka error type when a failed send is a refusal a retry cannot fix
 * (found anywhere in the cause chain), else undefined.
 */
export function kafkaRefusal(err: unknown): string | undefined {
  let e = err as { type?: unknown; name?: unknown; cause?: unknown; originalError?: unknown } | null | undefined;
  for (let depth = 0; e !== null && e !== undefined && depth < CAUSE_DEPTH_MAX; depth++) {
    if (typeof e.type === 'string' && REFUSALS.has(e.type)) return e.type;
    if (e.name === 'KafkaJSSASLAuthenticationError') return 'SASL_AUTHENTICATION_FAILED';
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return undefined;
}
