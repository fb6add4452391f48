/**
 * Selections of collection elements and the results Aerospike's return types
 * make of them. A collection is seen as n elements in index order (a list in
 * its order; a map in key order) with a value each (and a key, for maps); a
 * selection is a list of positions, in the order the operation reports them
 * (index order, or rank order for by-rank selections).
 */
import type { BinMap, BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { setOwn } from '../../values.js';
import { compareCdt, rankOrder } from './order.js';
import { ReturnType, type CdtArg } from './types.js';

export interface Elements {
  n: number;
  values: readonly BinValue[];
  /** Map keys by position (key order); undefined for lists. */
  keys?: readonly string[];
}

export interface Selection {
  positions: number[];
  /** A single-element operation (by index, by rank, by key): results are not lists. */
  single: boolean;
}

/** Aerospike's resolution of (index, count) for range operations: negative indexes count from the end; the part outside is dropped. */
export function indexRange(index: number, count: number | undefined, n: number): [number, number] {
  const c = count === undefined ? Number.MAX_SAFE_INTEGER : count;
  if (index >= n) return [n, 0];
  let i = index < 0 ? index + n : index;
  if (i < 0) {
    const left = c + i;
    return [0, left > 0 ? Math.min(left, n) : 0];
  }
  return [i, Math.min(c, n - i)];
}

/** A single index: negative from the end; -1 when outside. */
export function singleIndex(index: number, n: number): number {
  const i = index < 0 ? index + n : index;
  return i >= 0 && i < n ? i : -1;
}

/** Aerospike's relative range: (anchor + index, count), the part before 0 dropped. */
export function relativeRange(anchor: number, index: number, count: number | undefined, n: number): [number, number] {
  let start = anchor + index;
  let c = count === undefined ? Number.MAX_SAFE_INTEGER : count;
  if (start < 0) {
    c = c > -start ? c + start : 0;
    start = 0;
  }
  if (start >= n) return [n, 0];
  return [start, Math.min(c, n - start)];
}

function range(start: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i);
  return out;
}

export function byIndex(els: Elements, index: number): Selection {
  const i = singleIndex(index, els.n);
  return { positions: i < 0 ? [] : [i], single: true };
}

export function byIndexRange(els: Elements, index: number, count: number | undefined): Selection {
  const [start, c] = indexRange(index, count, els.n);
  return { positions: range(start, c), single: false };
}

export function byRank(els: Elements, rank: number): Selection {
  const r = singleIndex(rank, els.n);
  return { positions: r < 0 ? [] : [rankOrder(els.values)[r]!], single: true };
}

export function byRankRange(els: Elements, rank: number, count: number | undefined): Selection {
  const [start, c] = indexRange(rank, count, els.n);
  return { positions: rankOrder(els.values).slice(start, start + c), single: false };
}

export function byValues(els: Elements, wanted: readonly CdtArg[]): Selection {
  const positions: number[] = [];
  for (let i = 0; i < els.n; i++) if (wanted.some((w) => compareCdt(els.values[i]!, w) === 0)) positions.push(i);
  return { positions, single: false };
}

/** begin ≤ value < end (end undefined: no upper end). Reported in index order. */
export function byValueInterval(els: Elements, begin: CdtArg, end: CdtArg | undefined): Selection {
  const positions: number[] = [];
  for (let i = 0; i < els.n; i++) {
    const v = els.values[i]!;
    if (compareCdt(v, begin) >= 0 && (end === undefined || compareCdt(v, end) < 0)) positions.push(i);
  }
  return { positions, single: false };
}

/** Elements ranked from the first one ≥ value, offset by `rank`, in rank order. */
export function byValueRelRank(els: Elements, value: CdtArg, rank: number, count: number | undefined): Selection {
  const order = rankOrder(els.values);
  let anchor = 0;
  while (anchor < order.length && compareCdt(els.values[order[anchor]!]!, value) < 0) anchor++;
  const [start, c] = relativeRange(anchor, rank, count, els.n);
  return { positions: order.slice(start, start + c), single: false };
}

export function byKey(els: Elements, key: string): Selection {
  const i = els.keys!.indexOf(key);
  return { positions: i < 0 ? [] : [i], single: true };
}

export function byKeys(els: Elements, keys: readonly string[]): Selection {
  const positions: number[] = [];
  for (let i = 0; i < els.n; i++) if (keys.includes(els.keys![i]!)) positions.push(i);
  return { positions, single: false };
}

export function byKeyInterval(els: Elements, begin: CdtArg, end: CdtArg | undefined): Selection {
  const positions: number[] = [];
  for (let i = 0; i < els.n; i++) {
    const k = els.keys![i]!;
    if (compareCdt(k, begin) >= 0 && (end === undefined || compareCdt(k, end) < 0)) positions.push(i);
  }
  return { positions, single: false };
}

/** Entries from the first key ≥ key, offset by `index`, in key order. */
export function byKeyRelIndex(els: Elements, key: CdtArg, index: number, count: number | undefined): Selection {
  let anchor = 0;
  while (anchor < els.n && compareCdt(els.keys![anchor]!, key) < 0) anchor++;
  const [start, c] = relativeRange(anchor, index, count, els.n);
  return { positions: range(start, c), single: false };
}

/** The selection an INVERTED return type means: every other element, in index order. */
export function invert(els: Elements, sel: Selection): Selection {
  const chosen = new Set(sel.positions);
  const positions: number[] = [];
  for (let i = 0; i < els.n; i++) if (!chosen.has(i)) positions.push(i);
  return { positions, single: false };
}

function notApplicable(message: string): never {
  throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', message);
}

/** The result of a selection for `returnType` (INVERTED already applied by the caller). */
export function resultOf(els: Elements, sel: Selection, returnType: number, isMap: boolean): BinValue {
  const rt = returnType & ~ReturnType.INVERTED;
  const p = sel.positions;
  switch (rt) {
    case ReturnType.NONE:
      return null;
    case ReturnType.COUNT:
      return p.length;
    case ReturnType.EXISTS:
      return p.length > 0;
    case ReturnType.INDEX:
    case ReturnType.REVERSE_INDEX: {
      const out = p.map((i) => (rt === ReturnType.INDEX ? i : els.n - 1 - i));
      return sel.single ? (out[0] ?? -1) : out;
    }
    case ReturnType.RANK:
    case ReturnType.REVERSE_RANK: {
      const order = rankOrder(els.values);
      const rankOf = new Array<number>(els.n);
      order.forEach((pos, r) => (rankOf[pos] = r));
      const out = p.map((i) => (rt === ReturnType.RANK ? rankOf[i]! : els.n - 1 - rankOf[i]!));
      return sel.single ? (out[0] ?? -1) : out;
    }
    case ReturnType.VALUE: {
      const out = p.map((i) => els.values[i]!);
      return sel.single ? (out[0] ?? null) : out;
    }
    case ReturnType.KEY: {
      if (!isMap) notApplicable('return type KEY applies to maps only');
      const out = p.map((i) => els.keys![i]!);
      return sel.single ? (out[0] ?? null) : out;
    }
    case ReturnType.KEY_VALUE: {
      // A flat list key1, value1, key2, value2, ... (what clients decode KEY_VALUE from).
      if (!isMap) notApplicable('return type KEY_VALUE applies to maps only');
      const out: BinValue[] = [];
      for (const i of p) out.push(els.keys![i]!, els.values[i]!);
      return out;
    }
    case ReturnType.ORDERED_MAP:
    case ReturnType.UNORDERED_MAP: {
      if (!isMap) notApplicable('map return types apply to maps only');
      const out: BinMap = {};
      for (const i of p) setOwn(out, els.keys![i]!, els.values[i]!);
      return out;
    }
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `return type ${returnType} is not one of Aerospike's CDT return types`);
  }
}

/** Applies INVERTED, then builds the result. */
export function selectResult(els: Elements, sel: Selection, returnType: number, isMap: boolean): { chosen: Selection; result: BinValue } {
  const chosen = (returnType & ReturnType.INVERTED) !== 0 ? invert(els, sel) : sel;
  return { chosen, result: resultOf(els, chosen, returnType, isMap) };
}
