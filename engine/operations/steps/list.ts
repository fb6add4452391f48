/**
 * List steps with Aerospike's index rules: a negative index counts from the end
 * (-1 is the last item); single-item steps on a missing index are
 * ENGINE_ERR_OP_INDEX_OUT_OF_RANGE; range steps clamp to the list. Insert and set
 * are bounded (Aerospike's INSERT_BOUNDED): insert takes -size..size, set an
 * existing index. Aerospike's unbounded default pads with nils instead, but the
 * engine stores no nulls inside lists (bin-check.ts), so there is nothing to pad
 * with. Steps that read a missing bin return null; steps that add to one create
 * the list. On an ordered list (record/'s OrderedList) append adds in order,
 * insert and set are not applicable (the order decides positions), and every
 * change keeps the flag.
 */
import { isOrderedList, orderedList, plainItems, type BinValue } from '../../../record/index.js';
import type { Operation } from '../../api.js';
import { opsError } from '../fail.js';
import { LIST_ITEMS_MAX } from '../../limits.js';
import { cloneValue, compareValues, kindOf } from '../values.js';
import type { WorkingRecord } from '../working-record.js';

type Op<K extends Operation['op']> = Extract<Operation, { op: K }>;

/** The list in `bin`, undefined when the bin is absent, a type error for any other kind. */
function listIn(rec: WorkingRecord, bin: string, step: number, op: string): BinValue[] | undefined {
  const value = rec.get(bin);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw opsError('ENGINE_ERR_BIN_TYPE_MISMATCH', `operation ${step}: ${op} needs a list, bin "${bin}" holds a ${kindOf(value)}`, {
    step,
    bin,
    kind: kindOf(value),
  });
}

function outOfRange(step: number, bin: string, index: number, size: number): never {
  throw opsError(
    'ENGINE_ERR_OP_INDEX_OUT_OF_RANGE',
    `operation ${step}: index ${index} is outside list bin "${bin}" of ${size} items (valid: ${-size}..${size - 1})`,
    { step, bin, index, size },
  );
}

/** The changed items, as an ordered list again (sorted) when `was` is one. */
function keepOrder(was: readonly BinValue[] | undefined, items: BinValue[]): BinValue[] {
  return isOrderedList(was) ? orderedList(items.sort(compareValues)) : items;
}

function refuseOrdered(list: readonly BinValue[] | undefined, step: number, bin: string, op: string): void {
  if (isOrderedList(list)) {
    throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', `operation ${step}: ${op} names a position, and list bin "${bin}" is ordered (its order decides positions); append instead`, { step, bin });
  }
}

function checkLength(length: number, step: number, bin: string, index: number): void {
  if (length > LIST_ITEMS_MAX) {
    throw opsError('ENGINE_ERR_OP_INDEX_OUT_OF_RANGE', `operation ${step}: index ${index} would grow list bin "${bin}" past ${LIST_ITEMS_MAX} items`, {
      step,
      bin,
      index,
    });
  }
}

/** A non-negative position for single-item steps (may be ≥ size; callers decide). */
function resolveIndex(index: number, size: number, step: number, bin: string): number {
  const at = index < 0 ? index + size : index;
  if (at < 0) outOfRange(step, bin, index, size);
  return at;
}

/** [start, end) of a range step, clamped to the list as Aerospike's by-index-range does. */
function resolveRange(index: number, count: number | undefined, size: number): [number, number] {
  let start = index;
  let n = count ?? Number.POSITIVE_INFINITY;
  if (start < 0) {
    start += size;
    if (start < 0) {
      n += start; // the part of the range before the list's first item is dropped
      start = 0;
    }
  }
  if (start >= size || n <= 0) return [size, size];
  return [start, Math.min(size, start + n)];
}

export function listAppend(rec: WorkingRecord, op: Op<'list-append'>, step: number): BinValue {
  const current = listIn(rec, op.bin, step, op.op);
  const list = plainItems(current ?? []);
  checkLength(list.length + 1, step, op.bin, list.length);
  list.push(cloneValue(op.value));
  rec.set(op.bin, keepOrder(current, list));
  return list.length;
}

export function listInsert(rec: WorkingRecord, op: Op<'list-insert'>, step: number): BinValue {
  const current = listIn(rec, op.bin, step, op.op);
  refuseOrdered(current, step, op.bin, op.op);
  const list = plainItems(current ?? []);
  const at = resolveIndex(op.index, list.length, step, op.bin);
  if (at > list.length) outOfRange(step, op.bin, op.index, list.length);
  checkLength(list.length + 1, step, op.bin, op.index);
  list.splice(at, 0, cloneValue(op.value));
  rec.set(op.bin, list);
  return list.length;
}

export function listSet(rec: WorkingRecord, op: Op<'list-set'>, step: number): BinValue {
  const current = listIn(rec, op.bin, step, op.op);
  refuseOrdered(current, step, op.bin, op.op);
  const list = plainItems(current ?? []);
  const at = resolveIndex(op.index, list.length, step, op.bin);
  if (at >= list.length) outOfRange(step, op.bin, op.index, list.length);
  list[at] = cloneValue(op.value);
  rec.set(op.bin, list);
  return null;
}

/** Without a count: one item, which must exist. With a count: a clamped range. Returns how many were removed. */
export function listRemove(rec: WorkingRecord, op: Op<'list-remove'>, step: number): BinValue {
  const current = listIn(rec, op.bin, step, op.op);
  if (current === undefined) return null;
  let start: number;
  let end: number;
  if (op.count === undefined) {
    start = resolveIndex(op.index, current.length, step, op.bin);
    if (start >= current.length) outOfRange(step, op.bin, op.index, current.length);
    end = start + 1;
  } else {
    [start, end] = resolveRange(op.index, op.count, current.length);
  }
  if (end > start) {
    const list = plainItems(current);
    list.splice(start, end - start);
    rec.set(op.bin, keepOrder(current, list));
  }
  return end - start;
}

export function listGet(rec: WorkingRecord, op: Op<'list-get'>, step: number): BinValue {
  const list = listIn(rec, op.bin, step, op.op);
  if (list === undefined) return null;
  const at = resolveIndex(op.index, list.length, step, op.bin);
  if (at >= list.length) outOfRange(step, op.bin, op.index, list.length);
  return cloneValue(list[at]!);
}

export function listGetRange(rec: WorkingRecord, op: Op<'list-get-range'>, step: number): BinValue {
  const list = listIn(rec, op.bin, step, op.op);
  if (list === undefined) return null;
  const [start, end] = resolveRange(op.index, op.count, list.length);
  return list.slice(start, end).map(cloneValue);
}

export function listSize(rec: WorkingRecord, op: Op<'list-size'>, step: number): BinValue {
  const list = listIn(rec, op.bin, step, op.op);
  return list === undefined ? null : list.length;
}

/** Sorts in Aerospike's value order (see compareValues); a stable sort, so equal items keep their order. */
export function listSort(rec: WorkingRecord, op: Op<'list-sort'>, step: number): BinValue {
  const current = listIn(rec, op.bin, step, op.op);
  if (current === undefined) return null;
  // An ordered list stays ascending whatever the sort asks.
  if (isOrderedList(current)) return null;
  const sign = op.descending === true ? -1 : 1;
  rec.set(op.bin, [...current].sort((a, b) => sign * compareValues(a, b)));
  return null;
}
