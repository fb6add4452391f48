/**
 * Aerospike's collection (CDT) operations on list and map bins, as the engine
 * runs them inside operate. A step names the operation by Aerospike's op code
 * (0..63 lists, 64..127 maps), its arguments in the order the clients send
 * them, and an optional context path to a nested list or map. The codes, the
 * argument orders and the result rules are Aerospike's, so a client's call
 * means here what it means there (docs/engine-ops.md lists what differs).
 */
import type { BinValue } from '../../../../record/index.js';

/** The two interval ends only range arguments can hold. */
export class CdtSpecial {
  private constructor(readonly kind: 'infinity' | 'wildcard') {}
  /** Greater than every value (an open upper end). */
  static readonly INF = new CdtSpecial('infinity');
  /** Equal to every value (in value lists: "any element here"). */
  static readonly WILDCARD = new CdtSpecial('wildcard');
}

export type CdtArg = BinValue | CdtSpecial;

export interface CdtContextStep {
  /** Aerospike's context type: 0x10 list index, 0x11 list rank, 0x13 list value, 0x20 map index, 0x21 map rank, 0x22 map key, 0x23 map value; create flags in 0xC0. */
  type: number;
  value: CdtArg;
}

export interface CdtStep {
  code: number;
  args: CdtArg[];
  ctx: CdtContextStep[];
}

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

export const ListOp = {
  SET_TYPE: 0, APPEND: 1, APPEND_ITEMS: 2, INSERT: 3, INSERT_ITEMS: 4, POP: 5, POP_RANGE: 6, REMOVE: 7, REMOVE_RANGE: 8, SET: 9, TRIM: 10,
  CLEAR: 11, INCREMENT: 12, SORT: 13, SIZE: 16, GET: 17, GET_RANGE: 18, GET_BY_INDEX: 19, GET_BY_RANK: 21, GET_ALL_BY_VALUE: 22,
  GET_BY_VALUE_LIST: 23, GET_BY_INDEX_RANGE: 24, GET_BY_VALUE_INTERVAL: 25, GET_BY_RANK_RANGE: 26, GET_BY_VALUE_REL_RANK_RANGE: 27,
  REMOVE_BY_INDEX: 32, REMOVE_BY_RANK: 34, REMOVE_ALL_BY_VALUE: 35, REMOVE_BY_VALUE_LIST: 36, REMOVE_BY_INDEX_RANGE: 37,
  REMOVE_BY_VALUE_INTERVAL: 38, REMOVE_BY_RANK_RANGE: 39, REMOVE_BY_VALUE_REL_RANK_RANGE: 40,
} as const;

export const MapOp = {
  SET_TYPE: 64, ADD: 65, ADD_ITEMS: 66, PUT: 67, PUT_ITEMS: 68, REPLACE: 69, REPLACE_ITEMS: 70, INCREMENT: 73, DECREMENT: 74, CLEAR: 75,
  REMOVE_BY_KEY: 76, REMOVE_BY_INDEX: 77, REMOVE_BY_RANK: 79, REMOVE_BY_KEY_LIST: 81, REMOVE_ALL_BY_VALUE: 82, REMOVE_BY_VALUE_LIST: 83,
  REMOVE_BY_KEY_INTERVAL: 84, REMOVE_BY_INDEX_RANGE: 85, REMOVE_BY_VALUE_INTERVAL: 86, REMOVE_BY_RANK_RANGE: 87, REMOVE_BY_KEY_REL_INDEX_RANGE: 88,
  REMOVE_BY_VALUE_REL_RANK_RANGE: 89, SIZE: 96, GET_BY_KEY: 97, GET_BY_INDEX: 98, GET_BY_RANK: 100, GET_ALL_BY_VALUE: 102, GET_BY_KEY_INTERVAL: 103,
  GET_BY_INDEX_RANGE: 104, GET_BY_VALUE_INTERVAL: 105, GET_BY_RANK_RANGE: 106, GET_BY_KEY_LIST: 107, GET_BY_VALUE_LIST: 108,
  GET_BY_KEY_REL_INDEX_RANGE: 109, GET_BY_VALUE_REL_RANK_RANGE: 110,
} as const;

/** Codes of operations that only read (the rest change the bin). */
const READ_CODES = new Set<number>([
  ListOp.SIZE, ListOp.GET, ListOp.GET_RANGE, ListOp.GET_BY_INDEX, ListOp.GET_BY_RANK, ListOp.GET_ALL_BY_VALUE, ListOp.GET_BY_VALUE_LIST,
  ListOp.GET_BY_INDEX_RANGE, ListOp.GET_BY_VALUE_INTERVAL, ListOp.GET_BY_RANK_RANGE, ListOp.GET_BY_VALUE_REL_RANK_RANGE,
  MapOp.SIZE, MapOp.GET_BY_KEY, MapOp.GET_BY_INDEX, MapOp.GET_BY_RANK, MapOp.GET_ALL_BY_VALUE, MapOp.GET_BY_KEY_INTERVAL, MapOp.GET_BY_INDEX_RANGE,
  MapOp.GET_BY_VALUE_INTERVAL, MapOp.GET_BY_RANK_RANGE, MapOp.GET_BY_KEY_LIST, MapOp.GET_BY_VALUE_LIST, MapOp.GET_BY_KEY_REL_INDEX_RANGE,
  MapOp.GET_BY_VALUE_REL_RANK_RANGE,
]);

const KNOWN_CODES = new Set<number>([...Object.values(ListOp), ...Object.values(MapOp)]);

export function isKnownCdtCode(code: number): boolean {
  return KNOWN_CODES.has(code);
}

export function isCdtRead(code: number): boolean {
  return READ_CODES.has(code);
}

export function isListCode(code: number): boolean {
  return code < 64;
}

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
