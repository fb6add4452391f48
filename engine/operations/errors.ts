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
  ENGINE_ERR_ELEMENT_NOT_FOUND: { retriable: false, summary: 'a collection operation needs an element that is not there (an update-only map put, a replace of a missing key)' },
  ENGINE_ERR_ELEMENT_EXISTS: { retriable: false, summary: 'a collection operation refuses an element that is already there (a unique list add, a create-only map put)' },
  ENGINE_ERR_OP_NOT_APPLICABLE: { retriable: false, summary: 'a collection operation does not apply where it points (its context path leads nowhere, an index is out of bounds, an increment of a non-number)' },
  ENGINE_ERR_UNSUPPORTED: { retriable: false, summary: "an operation needs what the engine's data model does not hold: ordered lists, nil inside lists and maps, map keys other than strings" },
} as const satisfies Record<string, { retriable: boolean; summary: string }>;

export type OpsErrorCode = keyof typeof OPS_ERRORS;
