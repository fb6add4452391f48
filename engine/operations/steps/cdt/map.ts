/**
 * Map operations (op codes 64..127) on one map value. Maps here have string
 * keys and are kept in key order: index and rank operations behave as on an
 * Aerospike key-ordered map, and map order flags (set-type, create, policy
 * attributes) are accepted without changing anything, since every map is
 * already key-ordered.
 */
import type { BinMap, BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { addIncrement } from '../../numeric.js';
import { copyMap, getOwn, setOwn } from '../../values.js';
import { Args, keyOf, storable } from './args.js';
import type { CdtOutcome } from './list.js';
import { sortedKeys } from './order.js';
import * as sel from './select.js';
import { MapFlags, MapOp, type CdtArg } from './types.js';

function elementsOf(map: BinMap): sel.Elements {
  const keys = sortedKeys(map);
  return { n: keys.length, keys, values: keys.map((k) => map[k]!) };
}

function sizeOf(map: BinMap): number {
  return Object.keys(map).length;
}

/** Puts `items` under the write flags; returns the new map, or null when nothing was written (NO_FAIL). */
function putItems(map: BinMap, items: Array<[string, BinValue]>, flags: number, op: string): BinMap | null {
  const allowed: Array<[string, BinValue]> = [];
  let violation: 'exists' | 'missing' | null = null;
  for (const [key, value] of items) {
    const present = getOwn(map, key) !== undefined;
    if ((flags & MapFlags.CREATE_ONLY) !== 0 && present) violation ??= 'exists';
    else if ((flags & MapFlags.UPDATE_ONLY) !== 0 && !present) violation ??= 'missing';
    else allowed.push([key, value]);
  }
  if (violation !== null) {
    if ((flags & MapFlags.NO_FAIL) === 0) {
      if (violation === 'exists') throw opsError('ENGINE_ERR_ELEMENT_EXISTS', `${op}: the map already holds the key (create-only)`);
      throw opsError('ENGINE_ERR_ELEMENT_NOT_FOUND', `${op}: the map does not hold the key (update-only)`);
    }
    if ((flags & MapFlags.PARTIAL) === 0) return null;
  }
  if (allowed.length === 0) return null;
  const next = copyMap(map);
  for (const [key, value] of allowed) setOwn(next, key, value);
  return next;
}

function itemsOf(m: BinMap, op: string): Array<[string, BinValue]> {
  return Object.keys(m).map((k) => [k, storable(m[k]!, op)]);
}

function without(map: BinMap, keys: readonly string[]): BinMap {
  const next = copyMap(map);
  for (const k of keys) delete next[k];
  return next;
}

/** Runs map op `code` on `current` (undefined: the bin or element is absent). */
export function runMapOp(current: BinMap | undefined, code: number, raw: readonly CdtArg[], op: string): CdtOutcome {
  const args = new Args(raw, op);
  const map = current ?? {};
  switch (code) {
    case MapOp.SET_TYPE:
      return { result: null, next: current === undefined ? {} : undefined };
    case MapOp.ADD:
    case MapOp.PUT:
    case MapOp.REPLACE: {
      const flags = code === MapOp.ADD ? MapFlags.CREATE_ONLY : code === MapOp.REPLACE ? MapFlags.UPDATE_ONLY : args.has(3) ? args.int(3) : 0;
      const next = putItems(map, [[args.key(0), args.storable(1)]], flags, op);
      if (next === null) return { result: sizeOf(map), next: current === undefined ? {} : undefined };
      return { result: sizeOf(next), next };
    }
    case MapOp.ADD_ITEMS:
    case MapOp.PUT_ITEMS:
    case MapOp.REPLACE_ITEMS: {
      const flags = code === MapOp.ADD_ITEMS ? MapFlags.CREATE_ONLY : code === MapOp.REPLACE_ITEMS ? MapFlags.UPDATE_ONLY : args.has(2) ? args.int(2) : 0;
      const next = putItems(map, itemsOf(args.map(0), op), flags, op);
      if (next === null) return { result: sizeOf(map), next: current === undefined ? {} : undefined };
      return { result: sizeOf(next), next };
    }
    case MapOp.INCREMENT:
    case MapOp.DECREMENT: {
      const key = args.key(0);
      let delta = args.has(1) ? args.raw(1) : 1;
      if (typeof delta !== 'number' && typeof delta !== 'bigint') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: the increment must be a number`);
      if (code === MapOp.DECREMENT) delta = typeof delta === 'bigint' ? -delta : -delta;
      const before = getOwn(map, key);
      if (before !== undefined && typeof before !== 'number' && typeof before !== 'bigint') {
        throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', `${op}: the value under key "${key}" is not a number`);
      }
      const value = addIncrement(before, delta, { step: 0, bin: op, key });
      const next = copyMap(map);
      setOwn(next, key, value);
      return { result: value, next };
    }
    case MapOp.CLEAR:
      return { result: null, next: current !== undefined && sizeOf(map) === 0 ? undefined : {} };
    case MapOp.SIZE:
      return { result: current === undefined ? null : sizeOf(map) };
    default:
      return runMapSelectOp(current, map, code, args, op);
  }
}

/** Each remove-by code and the get-by code that selects the same entries. */
const MAP_REMOVE_OF: ReadonlyMap<number, number> = new Map([
  [MapOp.REMOVE_BY_KEY, MapOp.GET_BY_KEY],
  [MapOp.REMOVE_BY_KEY_LIST, MapOp.GET_BY_KEY_LIST],
  [MapOp.REMOVE_BY_KEY_INTERVAL, MapOp.GET_BY_KEY_INTERVAL],
  [MapOp.REMOVE_BY_KEY_REL_INDEX_RANGE, MapOp.GET_BY_KEY_REL_INDEX_RANGE],
  [MapOp.REMOVE_BY_INDEX, MapOp.GET_BY_INDEX],
  [MapOp.REMOVE_BY_INDEX_RANGE, MapOp.GET_BY_INDEX_RANGE],
  [MapOp.REMOVE_BY_RANK, MapOp.GET_BY_RANK],
  [MapOp.REMOVE_BY_RANK_RANGE, MapOp.GET_BY_RANK_RANGE],
  [MapOp.REMOVE_ALL_BY_VALUE, MapOp.GET_ALL_BY_VALUE],
  [MapOp.REMOVE_BY_VALUE_LIST, MapOp.GET_BY_VALUE_LIST],
  [MapOp.REMOVE_BY_VALUE_INTERVAL, MapOp.GET_BY_VALUE_INTERVAL],
  [MapOp.REMOVE_BY_VALUE_REL_RANK_RANGE, MapOp.GET_BY_VALUE_REL_RANK_RANGE],
]);

function mapSelection(e: sel.Elements, code: number, args: Args, op: string): sel.Selection {
  switch (code) {
    case MapOp.GET_BY_KEY:
      return sel.byKey(e, args.key(1));
    case MapOp.GET_BY_KEY_LIST:
      return sel.byKeys(e, args.list(1).map((k) => keyOf(k, op)));
    case MapOp.GET_BY_KEY_INTERVAL:
      return sel.byKeyInterval(e, args.raw(1), args.has(2) ? args.raw(2) : undefined);
    case MapOp.GET_BY_KEY_REL_INDEX_RANGE:
      return sel.byKeyRelIndex(e, args.raw(1), args.int(2), args.count(3));
    case MapOp.GET_BY_INDEX:
      return sel.byIndex(e, args.int(1));
    case MapOp.GET_BY_INDEX_RANGE:
      return sel.byIndexRange(e, args.int(1), args.count(2));
    case MapOp.GET_BY_RANK:
      return sel.byRank(e, args.int(1));
    case MapOp.GET_BY_RANK_RANGE:
      return sel.byRankRange(e, args.int(1), args.count(2));
    case MapOp.GET_ALL_BY_VALUE:
      return sel.byValues(e, [args.raw(1)]);
    case MapOp.GET_BY_VALUE_LIST:
      return sel.byValues(e, args.list(1));
    case MapOp.GET_BY_VALUE_INTERVAL:
      return sel.byValueInterval(e, args.raw(1), args.has(2) ? args.raw(2) : undefined);
    case MapOp.GET_BY_VALUE_REL_RANK_RANGE:
      return sel.byValueRelRank(e, args.raw(1), args.int(2), args.count(3));
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: ${code} is not a map operation code`);
  }
}

function runMapSelectOp(current: BinMap | undefined, map: BinMap, code: number, args: Args, op: string): CdtOutcome {
  const e = elementsOf(map);
  const rt = args.int(0);
  const remove = MAP_REMOVE_OF.has(code);
  const { chosen, result } = sel.selectResult(e, mapSelection(e, MAP_REMOVE_OF.get(code) ?? code, args, op), rt, true);
  if (current === undefined || !remove || chosen.positions.length === 0) return { result };
  return { result, next: without(map, chosen.positions.map((i) => e.keys![i]!)) };
}
