/**
 * Aerospike's codes for collection (CDT) operations: context types, list and
 * map op codes, return types and write flags. They are Aerospike's wire
 * vocabulary and the engine's operation vocabulary at once, so they have one
 * home here: the client-protocol codec (aerospike-protocol/) reads contexts
 * with them and the engine (engine/operations/steps/cdt/) runs operations by
 * them. Values are Aerospike's (as/include/base/cdt.h and the clients).
 */

/** Context step types (the element selector in the low 6 bits; create flags in the top 2). */
export const CTX = {
  LIST_INDEX: 0x10,
  LIST_RANK: 0x11,
  LIST_VALUE: 0x13,
  MAP_INDEX: 0x20,
  MAP_RANK: 0x21,
  MAP_KEY: 0x22,
  MAP_VALUE: 0x23,
  SELECT_MASK: 0x3f,
  CREATE_MASK: 0xc0,
} as const;

/** List op codes (0..63). */
export const ListOp = {
  SET_TYPE: 0, APPEND: 1, APPEND_ITEMS: 2, INSERT: 3, INSERT_ITEMS: 4, POP: 5, POP_RANGE: 6, REMOVE: 7, REMOVE_RANGE: 8, SET: 9, TRIM: 10,
  CLEAR: 11, INCREMENT: 12, SORT: 13, SIZE: 16, GET: 17, GET_RANGE: 18, GET_BY_INDEX: 19, GET_BY_RANK: 21, GET_ALL_BY_VALUE: 22,
  GET_BY_VALUE_LIST: 23, GET_BY_INDEX_RANGE: 24, GET_BY_VALUE_INTERVAL: 25, GET_BY_RANK_RANGE: 26, GET_BY_VALUE_REL_RANK_RANGE: 27,
  REMOVE_BY_INDEX: 32, REMOVE_BY_RANK: 34, REMOVE_ALL_BY_VALUE: 35, REMOVE_BY_VALUE_LIST: 36, REMOVE_BY_INDEX_RANGE: 37,
  REMOVE_BY_VALUE_INTERVAL: 38, REMOVE_BY_RANK_RANGE: 39, REMOVE_BY_VALUE_REL_RANK_RANGE: 40,
} as const;

/** Map op codes (64..127). */
export const MapOp = {
  SET_TYPE: 64, ADD: 65, ADD_ITEMS: 66, PUT: 67, PUT_ITEMS: 68, REPLACE: 69, REPLACE_ITEMS: 70, INCREMENT: 73, DECREMENT: 74, CLEAR: 75,
  REMOVE_BY_KEY: 76, REMOVE_BY_INDEX: 77, REMOVE_BY_RANK: 79, REMOVE_BY_KEY_LIST: 81, REMOVE_ALL_BY_VALUE: 82, REMOVE_BY_VALUE_LIST: 83,
  REMOVE_BY_KEY_INTERVAL: 84, REMOVE_BY_INDEX_RANGE: 85, REMOVE_BY_VALUE_INTERVAL: 86, REMOVE_BY_RANK_RANGE: 87, REMOVE_BY_KEY_REL_INDEX_RANGE: 88,
  REMOVE_BY_VALUE_REL_RANK_RANGE: 89, SIZE: 96, GET_BY_KEY: 97, GET_BY_INDEX: 98, GET_BY_RANK: 100, GET_ALL_BY_VALUE: 102, GET_BY_KEY_INTERVAL: 103,
  GET_BY_INDEX_RANGE: 104, GET_BY_VALUE_INTERVAL: 105, GET_BY_RANK_RANGE: 106, GET_BY_KEY_LIST: 107, GET_BY_VALUE_LIST: 108,
  GET_BY_KEY_REL_INDEX_RANGE: 109, GET_BY_VALUE_REL_RANK_RANGE: 110,
} as const;

/** What a selecting operation returns; INVERTED selects every other element. */
export const ReturnType = {
  NONE: 0,
  INDEX: 1,
  REVERSE_INDEX: 2,
  RANK: 3,
  REVERSE_RANK: 4,
  COUNT: 5,
  KEY: 6,
  VALUE: 7,
  KEY_VALUE: 8,
  EXISTS: 13,
  UNORDERED_MAP: 16,
  ORDERED_MAP: 17,
  INVERTED: 0x10000,
} as const;

export const ListFlags = { ADD_UNIQUE: 1, INSERT_BOUNDED: 2, NO_FAIL: 4, PARTIAL: 8 } as const;
export const MapFlags = { CREATE_ONLY: 1, UPDATE_ONLY: 2, NO_FAIL: 4, PARTIAL: 8 } as const;
export const SortFlags = { DESCENDING: 1, DROP_DUPLICATES: 2 } as const;

/** Create flags of a list-index context step: unordered (bounded), unordered padded with nils, ordered. */
export const CtxCreateList = { UNORDERED: 0x40, UNORDERED_PAD: 0x80, ORDERED: 0xc0 } as const;
