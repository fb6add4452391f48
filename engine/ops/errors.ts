/**
 * Error codes raised by record operations, secondary indexes, batch reads and
 * scans (issue 3). They extend the engine registry (engine/errors.ts spreads
 * OPS_ERRORS into ENGINE_ERRORS), so callers see one EngineError class and one
 * code namespace. This file holds data only: engine/errors.ts imports it, so it
 * must not import engine/errors.ts back.
 */

export const OPS_ERRORS = {
  ENGINE_ERR_OP_INDEX_OUT_OF_RANGE: { retriable: false, summary: 'a list index in an operation lies outside the list' },
  ENGINE_ERR_INCR_OVERFLOW: { retriable: false, summary: 'an integer increment would leave the signed 64-bit range' },
  ENGINE_ERR_SINDEX_EXISTS: { retriable: false, summary: 'a secondary index of that name, or on that bin and set, already exists' },
  ENGINE_ERR_SINDEX_NOT_FOUND: { retriable: false, summary: 'no secondary index of that name, or none on the queried bin' },
  ENGINE_ERR_BATCH_TOO_LARGE: { retriable: false, summary: 'a batch asks for more keys than the batch limit (5,000)' },
  ENGINE_ERR_ABORTED: { retriable: true, summary: 'a scan or query was aborted by its caller' },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type OpsErrorCode = keyof typeof OPS_ERRORS;
