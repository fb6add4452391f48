/**
 * List operations (op codes 0..63) on one list value, as Aerospike runs them
 * on unordered and ordered lists. An ordered list (record/'s OrderedList)
 * stays sorted in Aerospike's value order through every change: append adds
 * in order, increment moves the element to its new place, insert and set
 * (which name a position) are not applicable, sort only drops duplicates.
 * Insert, set and increment beyond the end pad an unordered list with nils,
 * unless the insert-bounded flag refuses.
 */
import { isOrderedList, orderedList, plainItems, type BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { addIncrement } from '../../numeric.js';
import { LIST_ITEMS_MAX } from '../../../limits.js';
import { Args, storable } from './args.js';
import { compareCdt, equalsCdt } from './order.js';
import { compareValues } from '../../values.js';
import * as sel from './select.js';
import { ListFlags, ListOp, SortFlags, type CdtArg } from './types.js';

export interface CdtOutcome {
  result: BinValue;
  /** The new value of the collection; undefined when it did not change. */
  next?: BinValue;
}

/** Aerospike's list order flag (in create types and set-order); 0x10 (persist index) is a storage hint with nothing to keep here. */
const ORDER_FLAG = 1;

function notApplicable(message: string): never {
  throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', message);
}

/** Whether a create type argument asks for an ordered list. */
function wantsOrdered(args: Args, i: number): boolean {
  return args.has(i) && (args.int(i) & ORDER_FLAG) !== 0;
}

function isSorted(items: readonly BinValue[]): boolean {
  for (let i = 1; i < items.length; i++) if (compareValues(items[i - 1]!, items[i]!) > 0) return false;
  return true;
}

/**
 * The items as an ordered list: sorted (stably) in Aerospike's value order.
 * Most changes to an ordered list leave it sorted (removals, appends merged
 * in by mergeTail), so a linear check spares the sort.
 */
export function asOrdered(items: readonly BinValue[]): BinValue[] {
  return orderedList(isSorted(items) ? items : items.slice().sort(compareValues));
}

/** A sorted head list[0, n) and the items after it merged into one sorted list (the tail sorted first; equal items keep head first). */
function mergeTail(list: readonly BinValue[], n: number): BinValue[] {
  const tail = list.slice(n).sort(compareValues);
  const out: BinValue[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < tail.length) out.push(compareValues(list[i]!, tail[j]!) <= 0 ? list[i++]! : tail[j++]!);
  while (i < n) out.push(list[i++]!);
  while (j < tail.length) out.push(tail[j++]!);
  return out;
}

function checkLength(n: number, op: string): void {
  if (n > LIST_ITEMS_MAX) notApplicable(`${op}: a list holds at most ${LIST_ITEMS_MAX} items`);
}

function els(list: readonly BinValue[]): sel.Elements {
  return { n: list.length, values: list };
}

/** Adds `items` at `at` under the write flags; returns the new list or null when NO_FAIL turned the add into a no-op. */
function addItems(list: readonly BinValue[], at: number, items: BinValue[], flags: number, op: string): BinValue[] | null {
  let adding = items;
  if ((flags & ListFlags.ADD_UNIQUE) !== 0) {
    const kept: BinValue[] = [];
    let violation = false;
    for (const item of items) {
      if (list.some((v) => equalsCdt(v, item)) || kept.some((v) => equalsCdt(v, item))) violation = true;
      else kept.push(item);
    }
    if (violation) {
      if ((flags & ListFlags.NO_FAIL) === 0) throw opsError('ENGINE_ERR_ELEMENT_EXISTS', `${op}: the list already holds the value (add-unique)`);
      if ((flags & ListFlags.PARTIAL) === 0) return null;
      adding = kept;
    }
  }
  if (adding.length === 0) return null;
  checkLength(Math.max(list.length, at) + adding.length, op);
  const out = padded(list, at);
  out.splice(at, 0, ...adding);
  return out;
}

/**
 * Resolves an insert/set position: negative from the end. Beyond the end is
 * refused under INSERT_BOUNDED (a no-op with NO_FAIL: -1); otherwise the
 * caller pads with nils up to it.
 */
function insertPosition(index: number, n: number, flags: number, op: string): number {
  const i = index < 0 ? index + n : index;
  if (i < 0) {
    if ((flags & ListFlags.NO_FAIL) !== 0) return -1;
    notApplicable(`${op}: index ${index} is before the start of a list of ${n} items`);
  }
  if (i > n && (flags & ListFlags.INSERT_BOUNDED) !== 0) {
    if ((flags & ListFlags.NO_FAIL) !== 0) return -1;
    notApplicable(`${op}: index ${index} is beyond the end of a list of ${n} items (insert-bounded)`);
  }
  if (i > LIST_ITEMS_MAX) notApplicable(`${op}: index ${index} is beyond the ${LIST_ITEMS_MAX} items a list holds`);
  return i;
}

/** A copy of the list padded with nils up to `length` items (Aerospike's unbounded insert and set). */
function padded(list: readonly BinValue[], length: number): BinValue[] {
  const out = list.slice();
  while (out.length < length) out.push(null);
  return out;
}

function refuseOnOrdered(ordered: boolean, op: string): void {
  if (ordered) notApplicable(`${op}: an ordered list has no positions to insert or set at (its order decides); append the value instead`);
}

function storableItems(items: readonly CdtArg[], op: string): BinValue[] {
  return items.map((v) => storable(v, op));
}

/** Sort of an unordered list; an ordered list stays ascending and only drops duplicates. */
function sortList(list: readonly BinValue[], flags: number): BinValue[] {
  const sign = (flags & SortFlags.DESCENDING) !== 0 && !isOrderedList(list) ? -1 : 1;
  const out = list.slice().sort((a, b) => sign * compareCdt(a, b));
  if ((flags & SortFlags.DROP_DUPLICATES) === 0) return out;
  return out.filter((v, i) => i === 0 || !equalsCdt(v, out[i - 1]!));
}

/** Removes the chosen positions (in any order) from a copy of the list. */
function without(list: readonly BinValue[], positions: readonly number[]): BinValue[] {
  const drop = new Set(positions);
  return list.filter((_, i) => !drop.has(i));
}

/** A get/remove by a selection: the result by return type, and for removes the list without the chosen elements. */
function selectOp(list: readonly BinValue[], selection: sel.Selection, returnType: number, remove: boolean): CdtOutcome {
  const e = els(list);
  const { chosen, result } = sel.selectResult(e, selection, returnType, false);
  if (!remove || chosen.positions.length === 0) return { result };
  return { result, next: without(list, chosen.positions) };
}

/** Set-order (the create and set-type op): the list with the order flag asked for, created when absent. */
function setOrder(current: BinValue[] | undefined, args: Args): CdtOutcome {
  const ordered = wantsOrdered(args, 0);
  if (current === undefined) return { result: null, next: ordered ? orderedList([]) : [] };
  if (ordered === isOrderedList(current)) return { result: null };
  return { result: null, next: ordered ? asOrdered(current) : plainItems(current) };
}

/** Whether an op that creates a missing list asks for an ordered one (its create type argument). */
function createsOrdered(code: number, args: Args): boolean {
  if (code === ListOp.APPEND || code === ListOp.APPEND_ITEMS) return wantsOrdered(args, 1);
  if (code === ListOp.INCREMENT) return wantsOrdered(args, 2);
  return false;
}

/**
 * Runs list op `code` on `current` (undefined: the bin or element is absent).
 * The op runs on the items; an ordered list's new items are then put back in
 * order, which is where Aerospike's ordered append and increment put them.
 */
export function runListOp(current: BinValue[] | undefined, code: number, raw: readonly CdtArg[], op: string): CdtOutcome {
  const args = new Args(raw, op);
  if (code === ListOp.SET_TYPE) return setOrder(current, args);
  const ordered = isOrderedList(current) || (current === undefined && createsOrdered(code, args));
  // The ops copy and cut the list as they go: on plain items, not through OrderedList's slow species path.
  const outcome = runOnItems(ordered && current !== undefined ? plainItems(current) : current, ordered, code, args, op);
  if (!ordered || outcome.next === undefined || isOrderedList(outcome.next)) return outcome;
  return { result: outcome.result, next: asOrdered(outcome.next as BinValue[]) };
}

function runOnItems(current: BinValue[] | undefined, ordered: boolean, code: number, args: Args, op: string): CdtOutcome {
  const list = current ?? [];
  const n = list.length;
  switch (code) {
    case ListOp.APPEND:
    case ListOp.APPEND_ITEMS: {
      const flags = args.has(2) ? args.int(2) : 0;
      const items = code === ListOp.APPEND ? [args.storable(0)] : storableItems(args.list(0), op);
      const next = addItems(list, n, items, flags, op);
      if (next === null) return { result: n, next: current === undefined ? [] : undefined };
      // An ordered list takes the new items in order: merged into it, not sorted again whole.
      return { result: next.length, next: ordered ? mergeTail(next, n) : next };
    }
    case ListOp.INSERT:
    case ListOp.INSERT_ITEMS: {
      refuseOnOrdered(ordered, op);
      const flags = args.has(2) ? args.int(2) : 0;
      const at = insertPosition(args.int(0), n, flags, op);
      if (at < 0) return { result: n };
      const items = code === ListOp.INSERT ? [args.storable(1)] : storableItems(args.list(1), op);
      const next = addItems(list, at, items, flags, op);
      return next === null ? { result: n } : { result: next.length, next };
    }
    case ListOp.SET: {
      refuseOnOrdered(ordered, op);
      const flags = args.has(2) ? args.int(2) : 0;
      const at = insertPosition(args.int(0), n, flags, op);
      if (at < 0) return { result: null };
      const value = args.storable(1);
      if ((flags & ListFlags.ADD_UNIQUE) !== 0 && list.some((v, i) => i !== at && equalsCdt(v, value))) {
        if ((flags & ListFlags.NO_FAIL) !== 0) return { result: null };
        throw opsError('ENGINE_ERR_ELEMENT_EXISTS', `${op}: the list already holds the value (add-unique)`);
      }
      const next = padded(list, at);
      next[at] = value;
      return { result: null, next };
    }
    case ListOp.INCREMENT:
      return increment(list, ordered, args, op);
    case ListOp.POP:
    case ListOp.REMOVE:
    case ListOp.GET: {
      const i = sel.singleIndex(args.int(0), n);
      if (i < 0) {
        if (current === undefined && code === ListOp.GET) return { result: null };
        notApplicable(`${op}: index ${args.int(0)} is outside a list of ${n} items`);
      }
      if (code === ListOp.GET) return { result: list[i]! };
      const next = list.slice();
      const [removed] = next.splice(i, 1);
      return { result: code === ListOp.POP ? removed! : 1, next };
    }
    case ListOp.POP_RANGE:
    case ListOp.REMOVE_RANGE:
    case ListOp.GET_RANGE: {
      const [start, count] = sel.indexRange(args.int(0), args.count(1), n);
      const items = list.slice(start, start + count);
      if (code === ListOp.GET_RANGE) return { result: current === undefined ? null : items };
      if (count === 0) return { result: code === ListOp.POP_RANGE ? [] : 0 };
      const next = list.slice();
      next.splice(start, count);
      return { result: code === ListOp.POP_RANGE ? items : count, next };
    }
    case ListOp.TRIM: {
      const [start, count] = sel.indexRange(args.int(0), args.count(1), n);
      const kept = list.slice(start, start + count);
      return { result: n - kept.length, next: kept.length === n ? undefined : kept };
    }
    case ListOp.CLEAR:
      return { result: null, next: n === 0 && current !== undefined ? undefined : [] };
    case ListOp.SORT: {
      if (current === undefined) return { result: null };
      return { result: null, next: sortList(list, args.has(0) ? args.int(0) : 0) };
    }
    case ListOp.SIZE:
      return { result: current === undefined ? null : n };
    default:
      return runListSelectOp(current, list, code, args, op);
  }
}

/** Increment of the number at an index (created, with nil padding, beyond the end of an unordered list). */
function increment(list: readonly BinValue[], ordered: boolean, args: Args, op: string): CdtOutcome {
  const n = list.length;
  const flags = args.has(3) ? args.int(3) : 0;
  const index = args.int(0);
  const delta = args.has(1) ? args.raw(1) : 1;
  if (typeof delta !== 'number' && typeof delta !== 'bigint') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: the increment must be a number`);
  const at = insertPosition(index, n, flags, op);
  if (at < 0) return { result: null };
  if (ordered && at > n) notApplicable(`${op}: index ${index} is beyond the end of an ordered list of ${n} items`);
  const before = at < n ? list[at] : undefined;
  if (before !== undefined && typeof before !== 'number' && typeof before !== 'bigint') {
    notApplicable(`${op}: the element at index ${index} is not a number`);
  }
  const value = addIncrement(before ?? undefined, delta, { step: 0, bin: op });
  if ((flags & ListFlags.ADD_UNIQUE) !== 0 && list.some((v, i) => i !== at && equalsCdt(v, value))) {
    // As Aerospike does, a no-fail refusal still reports the value the increment would have made.
    if ((flags & ListFlags.NO_FAIL) !== 0) return { result: value };
    throw opsError('ENGINE_ERR_ELEMENT_EXISTS', `${op}: the list already holds the incremented value (add-unique)`);
  }
  const next = padded(list, at);
  next[at] = value;
  return { result: value, next };
}

/** Each remove-by code and the get-by code that selects the same elements. */
const LIST_REMOVE_OF: ReadonlyMap<number, number> = new Map([
  [ListOp.REMOVE_BY_INDEX, ListOp.GET_BY_INDEX],
  [ListOp.REMOVE_BY_INDEX_RANGE, ListOp.GET_BY_INDEX_RANGE],
  [ListOp.REMOVE_BY_RANK, ListOp.GET_BY_RANK],
  [ListOp.REMOVE_BY_RANK_RANGE, ListOp.GET_BY_RANK_RANGE],
  [ListOp.REMOVE_ALL_BY_VALUE, ListOp.GET_ALL_BY_VALUE],
  [ListOp.REMOVE_BY_VALUE_LIST, ListOp.GET_BY_VALUE_LIST],
  [ListOp.REMOVE_BY_VALUE_INTERVAL, ListOp.GET_BY_VALUE_INTERVAL],
  [ListOp.REMOVE_BY_VALUE_REL_RANK_RANGE, ListOp.GET_BY_VALUE_REL_RANK_RANGE],
]);

function listSelection(e: sel.Elements, code: number, args: Args, op: string, present: boolean): sel.Selection {
  switch (code) {
    case ListOp.GET_BY_INDEX: {
      const s = sel.byIndex(e, args.int(1));
      if (s.positions.length === 0 && present) notApplicable(`${op}: index ${args.int(1)} is outside a list of ${e.n} items`);
      return s;
    }
    case ListOp.GET_BY_INDEX_RANGE:
      return sel.byIndexRange(e, args.int(1), args.count(2));
    case ListOp.GET_BY_RANK: {
      const s = sel.byRank(e, args.int(1));
      if (s.positions.length === 0 && present) notApplicable(`${op}: rank ${args.int(1)} is outside a list of ${e.n} items`);
      return s;
    }
    case ListOp.GET_BY_RANK_RANGE:
      return sel.byRankRange(e, args.int(1), args.count(2));
    case ListOp.GET_ALL_BY_VALUE:
      return sel.byValues(e, [args.raw(1)]);
    case ListOp.GET_BY_VALUE_LIST:
      return sel.byValues(e, args.list(1));
    case ListOp.GET_BY_VALUE_INTERVAL:
      return sel.byValueInterval(e, args.raw(1), args.has(2) ? args.raw(2) : undefined);
    case ListOp.GET_BY_VALUE_REL_RANK_RANGE:
      return sel.byValueRelRank(e, args.raw(1), args.int(2), args.count(3));
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: ${code} is not a list operation code`);
  }
}

function runListSelectOp(current: BinValue[] | undefined, list: BinValue[], code: number, args: Args, op: string): CdtOutcome {
  const e = els(list);
  const rt = args.int(0);
  const remove = LIST_REMOVE_OF.has(code);
  const selection = listSelection(e, LIST_REMOVE_OF.get(code) ?? code, args, op, current !== undefined);
  if (current === undefined) return { result: remove ? null : sel.selectResult(e, selection, rt, false).result };
  return selectOp(list, selection, rt, remove);
}
