/**
 * Typed receiver errors. Most are reasons a message is dead-lettered (they go
 * into the `xdr-reason` header as `<code>: <message>`); retriable ones make the
 * receiver retry the message without committing its offset.
 */

export const RECV_ERRORS = {
  RECV_ERR_UNDECODABLE: { retriable: false, summary: 'the message is not valid wire-format v1 (the wire error names the field)' },
  RECV_ERR_CLOCK_OFFSET: { retriable: false, summary: 'the version is stamped further in the future than max-clock-offset-ms allows' },
  RECV_ERR_WRONG_NAMESPACE: { retriable: false, summary: "the version's namespace is not the namespace of the route whose topic carried it" },
  RECV_ERR_APPLY_REJECTED: { retriable: false, summary: 'the engine refused to store the winning version (non-retriable engine error)' },
  RECV_ERR_APPLY_FAILED: { retriable: true, summary: 'storing the winning version failed for now (retriable engine error); the message is retried' },
  RECV_ERR_DEAD_LETTER_FAILED: { retriable: true, summary: 'the dead-letter topic did not accept a message; it is retried before the offset moves on' },
  RECV_ERR_INVALID_OPTIONS: { retriable: false, summary: 'a receiver option is out of range' },
  RECV_ERR_CONSUMER_FAILED: { retriable: true, summary: 'the Kafka consumer of a source region crashed; it is restarted with backoff' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type RecvErrorCode = keyof typeof RECV_ERRORS;

export class RecvError extends Error {
  override readonly name = 'RecvError';
  readonly code: RecvErrorCode;
  readonly retriable: boolean;
  /** Route, topic, partition, offset, digest. */
  readonly details: Record<string, unknown>;

  constructor(code: RecvErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = RECV_ERRORS[code].retriable;
    this.details = details;
  }
}

export function isRecvError(err: unknown, code?: RecvErrorCode): err is RecvError {
  return err instanceof RecvError && (code === undefined || err.code === code);
}
