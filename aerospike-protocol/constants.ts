/**
 * The numbers of Aerospike's client protocol, as the official clients and the
 * server define them (proto.h): message types, AS_MSG header flag bits, field
 * and op types, particle types. One home for them; every other file of the
 * codec and of the server names them from here.
 */

/** Byte 0 of every proto header. */
export const PROTO_VERSION = 2;
/** The 8-byte header that frames every message in both directions. */
export const PROTO_HEADER_BYTES = 8;
/** The fixed part of an AS_MSG body. */
export const MSG_HEADER_BYTES = 22;
/** The 4-byte size and 1-byte type in front of each field's data. */
export const FIELD_HEADER_BYTES = 5;
/** The 4-byte size, op type, particle type, flags byte and name-length byte in front of each op's name. */
export const OP_HEADER_BYTES = 8;
/** Longest bin name the protocol carries. */
export const BIN_NAME_BYTES_MAX = 15;
/** Partitions per namespace: fixed in every client. */
export const PARTITIONS = 4096;
export const DIGEST_BYTES = 20;

/** Byte 1 of the proto header. */
export const MessageType = {
  INFO: 1,
  ADMIN: 2,
  MESSAGE: 3,
  COMPRESSED: 4,
  XDR: 5,
} as const;

export const Info1 = {
  READ: 0x01,
  GET_ALL: 0x02,
  SHORT_QUERY: 0x04,
  BATCH: 0x08,
  XDR: 0x10,
  NO_BIN_DATA: 0x20,
  READ_MODE_AP_ALL: 0x40,
  COMPRESS_RESPONSE: 0x80,
} as const;

export const Info2 = {
  WRITE: 0x01,
  DELETE: 0x02,
  GENERATION: 0x04,
  GENERATION_GT: 0x08,
  DURABLE_DELETE: 0x10,
  CREATE_ONLY: 0x20,
  RELAX_AP_LONG_QUERY: 0x40,
  RESPOND_ALL_OPS: 0x80,
} as const;

export const Info3 = {
  LAST: 0x01,
  COMMIT_MASTER: 0x02,
  PARTITION_DONE: 0x04,
  UPDATE_ONLY: 0x08,
  CREATE_OR_REPLACE: 0x10,
  REPLACE_ONLY: 0x20,
  SC_READ_TYPE: 0x40,
  SC_READ_RELAX: 0x80,
} as const;

export const Info4 = {
  TXN_VERIFY_READ: 0x01,
  TXN_ROLL_FORWARD: 0x02,
  TXN_ROLL_BACK: 0x04,
  TXN_ON_LOCKING_ONLY: 0x10,
} as const;

export const FieldType = {
  NAMESPACE: 0,
  SET: 1,
  KEY: 2,
  RECORD_VERSION: 3,
  DIGEST: 4,
  TXN_ID: 5,
  TXN_DEADLINE: 6,
  TASK_ID: 7,
  SOCKET_TIMEOUT: 9,
  RECORDS_PER_SECOND: 10,
  PID_ARRAY: 11,
  DIGEST_ARRAY: 12,
  MAX_RECORDS: 13,
  BVAL_ARRAY: 15,
  INDEX_NAME: 21,
  INDEX_RANGE: 22,
  INDEX_CONTEXT: 23,
  INDEX_EXPRESSION: 24,
  INDEX_TYPE: 26,
  UDF_PACKAGE_NAME: 30,
  UDF_FUNCTION: 31,
  UDF_ARGLIST: 32,
  UDF_OP: 33,
  QUERY_BINS: 40,
  BATCH_INDEX: 41,
  BATCH_INDEX_WITH_SET: 42,
  FILTER: 43,
  ERROR_DETAILS: 45,
} as const;

export const OpType = {
  READ: 1,
  WRITE: 2,
  CDT_READ: 3,
  CDT_MODIFY: 4,
  INCR: 5,
  EXP_READ: 7,
  EXP_MODIFY: 8,
  APPEND: 9,
  PREPEND: 10,
  TOUCH: 11,
  BIT_READ: 12,
  BIT_MODIFY: 13,
  DELETE: 14,
  HLL_READ: 15,
  HLL_MODIFY: 16,
} as const;

export const ParticleType = {
  NULL: 0,
  INTEGER: 1,
  DOUBLE: 2,
  STRING: 3,
  BLOB: 4,
  JAVA_BLOB: 7,
  CSHARP_BLOB: 8,
  PYTHON_BLOB: 9,
  RUBY_BLOB: 10,
  PHP_BLOB: 11,
  ERLANG_BLOB: 12,
  BOOL: 17,
  HLL: 18,
  MAP: 19,
  LIST: 20,
  GEOJSON: 23,
} as const;

/** Row-type bits of a batch-any row (field 41). */
export const BatchRow = {
  /** Reuse namespace, set, attributes and ops of the previous full row. */
  REPEAT: 0x01,
  /** info1, info2, info3 bytes follow. */
  INFO: 0x02,
  /** A 2-byte generation follows. */
  GEN: 0x04,
  /** A 4-byte ttl follows. */
  TTL: 0x08,
  /** An info4 byte follows the three info bytes. */
  INFO4: 0x10,
} as const;

/** Flags byte of the batch field. */
export const BatchFlags = {
  ALLOW_INLINE: 0x01,
  ALLOW_INLINE_SSD: 0x02,
  RESPOND_ALL_KEYS: 0x04,
  /** Always set by batch-any clients: report an error per row rather than failing the batch. */
  PER_ROW_ERRORS: 0x08,
} as const;

/** Unix seconds of Aerospike's epoch (2010-01-01T00:00:00Z): void times on the wire count from it. */
export const CITRUSLEAF_EPOCH_SEC = 1_262_304_000;
