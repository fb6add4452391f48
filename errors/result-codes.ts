/**
 * Result codes a server puts at byte 5 of an AS_MSG reply and inside
 * `ERROR:<code>:` / `FAIL:<code>:` info values (proto.h). Only the codes this
 * server can answer are named; clients know the rest.
 */
export const ResultCode = {
  OK: 0,
  UNKNOWN: 1,
  NOT_FOUND: 2,
  GENERATION: 3,
  PARAMETER: 4,
  RECORD_EXISTS: 5,
  BIN_EXISTS: 6,
  CLUSTER_KEY_MISMATCH: 7,
  OUT_OF_SPACE: 8,
  TIMEOUT: 9,
  UNAVAILABLE: 11,
  INCOMPATIBLE_TYPE: 12,
  RECORD_TOO_BIG: 13,
  KEY_BUSY: 14,
  QUERY_ABORT: 15,
  UNSUPPORTED_FEATURE: 16,
  BIN_NOT_FOUND: 17,
  DEVICE_OVERLOAD: 18,
  KEY_MISMATCH: 19,
  NAMESPACE: 20,
  BIN_NAME: 21,
  FORBIDDEN: 22,
  ELEMENT_NOT_FOUND: 23,
  ELEMENT_EXISTS: 24,
  ENTERPRISE_ONLY: 25,
  OP_NOT_APPLICABLE: 26,
  FILTERED_OUT: 27,
  LOST_CONFLICT: 28,
  SECURITY_NOT_SUPPORTED: 51,
  SECURITY_NOT_ENABLED: 52,
  INVALID_COMMAND: 54,
  INVALID_FIELD: 55,
  INVALID_USER: 60,
  INVALID_CREDENTIAL: 65,
  EXPIRED_SESSION: 66,
  NOT_AUTHENTICATED: 80,
  UDF_EXECUTION: 100,
  BATCH_DISABLED: 150,
  GEO_INVALID_GEOJSON: 160,
  BATCH_MAX_REQUESTS: 151,
  BATCH_QUEUES_FULL: 152,
  SINDEX_FOUND: 200,
  SINDEX_NOT_FOUND: 201,
  SINDEX_NOT_READABLE: 203,
  SINDEX_MAX_COUNT: 206,
} as const;

export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

const NAMES = new Map<number, string>(Object.entries(ResultCode).map(([name, code]) => [code, name]));

/** `NOT_FOUND` for 2; `CODE_<n>` for a code this table does not name (metrics labels). */
export function resultCodeName(code: number): string {
  return NAMES.get(code) ?? `CODE_${code}`;
}
