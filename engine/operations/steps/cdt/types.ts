/**
 * Aerospike's collection (CDT) operations on list and map bins, as the engine
 * runs them inside operate. A step names the operation by Aerospike's op code
 * (0..63 lists, 64..127 maps), its arguments in the order the clients send
 * them, and an optional context path to a nested list or map. The codes, the
 * argument orders and the result rules are Aerospike's, so a client's call
 * means here what it means there (docs/engine-ops.md lists what differs).
 */
import { ListOp, MapOp, type BinValue } from '../../../../record/index.js';

// The codes are Aerospike's vocabulary, shared with the client-protocol codec: record/cdt-codes.ts is their one home.
export { CTX, CtxCreateList, ListFlags, ListOp, MapFlags, MapOp, ReturnType, SortFlags } from '../../../../record/index.js';

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

