/**
 * Typed engine errors. Every failure the engine reports to a caller is an
 * EngineError with a stable code (listed in docs/errors.md; a test keeps the two
 * in step), a message that says what to fix, and a `retriable` flag that retry
 * helpers decide from. Programmer errors are assertions, not EngineErrors.
 * The codes of record operations, secondary indexes, batches and scans live in
 * engine/ops/errors.ts and are part of this registry.
 */
import { OPS_ERRORS } from './operations/errors.js';

export const ENGINE_ERRORS = {
  ENGINE_ERR_RECORD_NOT_FOUND: { retriable: false, summary: 'the record does not exist' },
  ENGINE_ERR_RECORD_EXISTS: { retriable: false, summary: 'the record already exists (create-only write)' },
  ENGINE_ERR_GENERATION_MISMATCH: { retriable: false, summary: 'the generation check of the write policy failed' },
  ENGINE_ERR_RECORD_TOO_BIG: { retriable: false, summary: 'the encoded record is larger than write-block-size allows' },
  ENGINE_ERR_BIN_NAME_TOO_LONG: { retriable: false, summary: 'a bin name is longer than 15 bytes' },
  ENGINE_ERR_BIN_TYPE_MISMATCH: { retriable: false, summary: 'an operation does not fit the type of the bin it targets' },
  ENGINE_ERR_NAMESPACE_NOT_FOUND: { retriable: false, summary: 'no namespace of that name is configured' },
  ENGINE_ERR_STOP_WRITES: { retriable: true, summary: 'the device is full or past stop-writes-pct; writes are refused' },
  ENGINE_ERR_CORRUPTED_STORAGE: { retriable: false, summary: 'a checksum or structure check failed in a device, index or log file' },
  ENGINE_ERR_INVALID_ARGUMENT: { retriable: false, summary: 'a key, bin value or option is not of an accepted type or range' },
  ENGINE_ERR_CLOSED: { retriable: false, summary: 'the engine was closed' },
  // Retriable: the write that hit it was not acknowledged, so repeating it is safe,
  // and the usual causes (disk full, a device that came back) clear once the
  // operator acts; a non-retriable flag would make clients drop writes that succeed later.
  ENGINE_ERR_IO: { retriable: true, summary: 'a file operation of the change log failed (disk full, EIO); the log refuses appends until reopened' },
  ...OPS_ERRORS,
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly retriable: boolean;
  /** Context that helps the operator: namespace, file, offset, bin, ... */
  readonly details: Record<string, unknown>;

  constructor(code: EngineErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = ENGINE_ERRORS[code].retriable;
    this.details = details;
  }
}

export function isEngineError(err: unknown, code?: EngineErrorCode): err is EngineError {
  return err instanceof EngineError && (code === undefined || err.code === code);
}

/**
 * The newest error of a kind as statistics show it (the shipper's and the
 * receiver's per-route stats, and what the gateway derives from them): a
 * stable code, the message, and when it happened.
 */
export interface ErrorNote {
  code: string;
  message: string;
  /** Unix ms. */
  at_ms: number;
}

/**
 * An error as stats show it. The code is the error's own when it comes from one
 * of the project's registries (ENGINE_ERR_*, SHIP_ERR_*, ...); anything else
 * (kafkajs, Node) gets `fallbackCode`, with its own name or code kept in the message.
 */
export function errorNote(err: unknown, atMs: number, fallbackCode: string): ErrorNote {
  const raw = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof raw === 'string' && /^[A-Z]+_ERR_[A-Z0-9_]+$/.test(raw)) return { code: raw, message, at_ms: atMs };
  const tag = typeof raw === 'string' ? raw : err instanceof Error && err.name !== 'Error' ? err.name : undefined;
  return { code: fallbackCode, message: tag === undefined ? message : `${tag}: ${message}`, at_ms: atMs };
}
