/**
 * Runs a CDT step: follows its context path to the nested list or map it
 * names (creating missing levels where the path asks for it and the step
 * changes something), runs the operation there, and rebuilds the path with
 * the changed value, copying each container on the way (stored values are
 * never changed in place).
 */
import { isOrderedList, orderedList, plainItems, type BinMap, type BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { copyMap, getOwn, kindOf, setOwn } from '../../values.js';
import { LIST_ITEMS_MAX } from '../../../limits.js';
import { keyOf } from './args.js';
import { asOrdered, runListOp, type CdtOutcome } from './list.js';
import { runMapOp } from './map.js';
import { equalsCdt, isMapValue, rankOrder, sortedKeys } from './order.js';
import { CTX, CtxCreateList, isCdtRead, isListCode, type CdtContextStep, type CdtStep } from './types.js';

const CREATE_LIST_PAD = CtxCreateList.UNORDERED_PAD;
const CREATE_LIST_ORDERED = CtxCreateList.ORDERED;

/** One step of the path: the container and where in it; `pad` nils go before a list position created beyond the end. */
type Level = { container: BinValue[]; index: number; pad: number } | { container: BinMap; key: string };

function notApplicable(message: string): never {
  throw opsError('ENGINE_ERR_OP_NOT_APPLICABLE', message);
}

function intOf(v: unknown, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${what} must be an integer`);
}

/** The container a step needs at its level, created when absent and the step may create it. */
function containerFor(current: BinValue | undefined, s: CdtContextStep, depth: number, modify: boolean): BinValue[] | BinMap {
  const isList = (s.type & 0x30) === 0x10;
  const create = (s.type & CTX.CREATE_MASK) !== 0;
  if (current === undefined) {
    if (!create || !modify) notApplicable(`context level ${depth}: there is no ${isList ? 'list' : 'map'} here`);
    if (isList && (s.type & CTX.CREATE_MASK) === CREATE_LIST_ORDERED) return orderedList([]);
    return isList ? [] : {};
  }
  if (isList ? !Array.isArray(current) : !isMapValue(current)) {
    notApplicable(`context level ${depth}: expected a ${isList ? 'list' : 'map'}, found a ${kindOf(current)}`);
  }
  return current as BinValue[] | BinMap;
}

/** Follows one step: the level (container and position) and the element there (undefined when the step created the position). */
function dig(container: BinValue[] | BinMap, s: CdtContextStep, depth: number, modify: boolean): { level: Level; element: BinValue | undefined } {
  const create = (s.type & CTX.CREATE_MASK) !== 0 && modify;
  const what = `context level ${depth}`;
  switch (s.type & CTX.SELECT_MASK) {
    case CTX.LIST_INDEX: {
      const list = container as BinValue[];
      const n = list.length;
      const raw = intOf(s.value, `${what}: the list index`);
      const i = raw < 0 ? raw + n : raw;
      if (i >= 0 && i < n) return { level: { container: list, index: i, pad: 0 }, element: list[i] };
      if (!create || i < 0) notApplicable(`${what}: index ${raw} is outside a list of ${n} items`);
      // Beyond the end: an ordered list takes the new element at its end (its order then places it), an unordered one pads with nils if the context says so.
      if (i > n && !isOrderedList(list) && (s.type & CTX.CREATE_MASK) !== CREATE_LIST_PAD) {
        notApplicable(`${what}: index ${raw} is beyond the end of a list of ${n} items and the context does not pad`);
      }
      if (i > LIST_ITEMS_MAX) notApplicable(`${what}: index ${raw} is beyond the ${LIST_ITEMS_MAX} items a list holds`);
      return { level: { container: list, index: n, pad: isOrderedList(list) ? 0 : i - n }, element: undefined };
    }
    case CTX.LIST_RANK: {
      const list = container as BinValue[];
      const raw = intOf(s.value, `${what}: the list rank`);
      const r = raw < 0 ? raw + list.length : raw;
      if (r < 0 || r >= list.length) notApplicable(`${what}: rank ${raw} is outside a list of ${list.length} items`);
      const i = rankOrder(list)[r]!;
      return { level: { container: list, index: i, pad: 0 }, element: list[i] };
    }
    case CTX.LIST_VALUE: {
      const list = container as BinValue[];
      const i = list.findIndex((v) => equalsCdt(v, s.value));
      if (i < 0) notApplicable(`${what}: the list holds no such value`);
      return { level: { container: list, index: i, pad: 0 }, element: list[i] };
    }
    case CTX.MAP_INDEX:
    case CTX.MAP_RANK: {
      const map = container as BinMap;
      const keys = sortedKeys(map);
      const raw = intOf(s.value, `${what}: the map ${(s.type & CTX.SELECT_MASK) === CTX.MAP_INDEX ? 'index' : 'rank'}`);
      const i = raw < 0 ? raw + keys.length : raw;
      if (i < 0 || i >= keys.length) notApplicable(`${what}: ${raw} is outside a map of ${keys.length} entries`);
      const key = (s.type & CTX.SELECT_MASK) === CTX.MAP_INDEX ? keys[i]! : keys[rankOrder(keys.map((k) => map[k]!))[i]!]!;
      return { level: { container: map, key }, element: map[key] };
    }
    case CTX.MAP_KEY: {
      const map = container as BinMap;
      const key = keyOf(s.value, what);
      const element = getOwn(map, key);
      if (element === undefined && !create) notApplicable(`${what}: the map holds no key "${key}"`);
      return { level: { container: map, key }, element };
    }
    case CTX.MAP_VALUE: {
      const map = container as BinMap;
      const key = sortedKeys(map).find((k) => equalsCdt(map[k]!, s.value));
      if (key === undefined) notApplicable(`${what}: the map holds no such value`);
      return { level: { container: map, key }, element: map[key] };
    }
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${what}: context type 0x${s.type.toString(16)} is not one of Aerospike's`);
  }
}

/** The path rebuilt bottom-up with `value` at its end. */
function rebuild(levels: readonly Level[], value: BinValue): BinValue {
  let child = value;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    if ('index' in level) {
      const copy = plainItems(level.container);
      for (let p = 0; p < level.pad; p++) copy.push(null);
      if (level.index === level.container.length) copy.push(child);
      else copy[level.index] = child;
      // A changed element of an ordered list may belong elsewhere now.
      child = isOrderedList(level.container) ? asOrdered(copy) : copy;
    } else {
      const copy = copyMap(level.container);
      setOwn(copy, level.key, child);
      child = copy;
    }
  }
  return child;
}

/**
 * Applies `step` to a bin's value (undefined: no such bin). `next` is the
 * bin's new value when the step changed it.
 */
export function applyCdt(binValue: BinValue | undefined, step: CdtStep, name: string): CdtOutcome {
  const list = isListCode(step.code);
  const modify = !isCdtRead(step.code);
  const levels: Level[] = [];
  let current = binValue;
  for (let depth = 0; depth < step.ctx.length; depth++) {
    const s = step.ctx[depth]!;
    if (current === undefined && !modify) return { result: null };
    const container = containerFor(current, s, depth, modify);
    const { level, element } = dig(container, s, depth, modify);
    levels.push(level);
    current = element;
  }
  if (current !== undefined && (list ? !Array.isArray(current) : !isMapValue(current))) {
    throw opsError('ENGINE_ERR_BIN_TYPE_MISMATCH', `${name} needs a ${list ? 'list' : 'map'}, ${step.ctx.length === 0 ? 'the bin' : 'the context'} holds a ${kindOf(current)}`);
  }
  const outcome = list ? runListOp(current as BinValue[] | undefined, step.code, step.args, name) : runMapOp(current as BinMap | undefined, step.code, step.args, name);
  if (outcome.next === undefined) return { result: outcome.result };
  return { result: outcome.result, next: rebuild(levels, outcome.next) };
}

/**
 * The value at a context path, read-only (what an index on a nested element
 * files); undefined wherever the path leads nowhere.
 */
export function valueAtContext(value: BinValue | undefined, ctx: readonly CdtContextStep[]): BinValue | undefined {
  let current = value;
  for (let depth = 0; depth < ctx.length && current !== undefined; depth++) {
    const s = ctx[depth]!;
    const isList = (s.type & 0x30) === 0x10;
    if (isList ? !Array.isArray(current) : !isMapValue(current)) return undefined;
    try {
      current = dig(current as BinValue[] | BinMap, s, depth, false).element;
    } catch {
      return undefined;
    }
  }
  return current;
}
