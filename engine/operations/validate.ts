/**
 * Shape checks for operations and the values they write. Operations arrive from
 * the HTTP API as parsed JSON, so every field is checked before anything runs:
 * a bad step refuses the whole operate and leaves the record untouched.
 */
import { GeoJson, HllValue, hll, type BinValue } from '../../record/index.js';
import { checkGeoJson } from './geojson-check.js';
import type { Operation } from '../api.js';
import { BIN_NAME_BYTES_MAX, OPERATIONS_MAX } from '../limits.js';
import { opsError } from './fail.js';
import { INT64_MAX, INT64_MIN, VALUE_DEPTH_MAX } from './values.js';
import { isCdtRead, isKnownCdtCode } from './steps/cdt/types.js';
import { isHllRead, isKnownHllCode } from './steps/hll/types.js';


const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  // ASCII fast path: bin names are short and almost always ASCII, and this runs for every step.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length;
  return text.length;
}

export function checkBinName(bin: unknown, step: number): asserts bin is string {
  if (typeof bin !== 'string' || bin.length === 0) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: bin must be a non-empty string`, { step });
  }
  if (bin.length > BIN_NAME_BYTES_MAX || utf8Bytes(bin) > BIN_NAME_BYTES_MAX) {
    throw opsError('ENGINE_ERR_BIN_NAME_TOO_LONG', `operation ${step}: bin name "${bin}" is longer than ${BIN_NAME_BYTES_MAX} bytes; shorten it`, { step, bin });
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `value` is a storable bin value; returns a path to the first bad part,
 * or null. Null is an element like any other inside lists and maps (Aerospike's
 * nil); as a whole bin value it means "remove the bin", so it is a value only
 * where the caller says so (`nullAllowed`, e.g. an element a list op adds).
 */
export function findInvalidValue(value: unknown, depth = 0, path = '$', nullAllowed = false): string | null {
  if (depth > VALUE_DEPTH_MAX) return `${path} (nested deeper than ${VALUE_DEPTH_MAX})`;
  if (value === null) return nullAllowed || depth > 0 ? null : `${path} (null is only allowed inside a list or map, or as a whole bin value, where it removes the bin)`;
  if (typeof value === 'boolean' || typeof value === 'string') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} (not a finite number)`;
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? null : `${path} (outside int64)`;
  if (typeof value !== 'object') return `${path} (a ${typeof value} is not a bin value)`;
  if (value instanceof Uint8Array) return null;
  if (value instanceof HllValue) {
    const problem = hll.sketchProblem(value.bytes);
    return problem === null ? null : `${path} (${problem})`;
  }
  if (value instanceof GeoJson) {
    checkGeoJson(value, path);
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findInvalidValue(value[i], depth + 1, `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (!isPlainObject(value)) return `${path} (only plain objects are maps)`;
  for (const key of Object.keys(value)) {
    const bad = findInvalidValue((value as Record<string, unknown>)[key], depth + 1, `${path}.${key}`);
    if (bad !== null) return bad;
  }
  return null;
}

/**
 * `nullAllowed`: null is a value here: a whole bin's null removes the bin, a
 * list element or map value may be nil.
 */
export function checkValue(value: unknown, step: number, field = 'value', nullAllowed = false): asserts value is BinValue {
  const bad = value === undefined ? `${field} is missing` : findInvalidValue(value, 0, '$', nullAllowed);
  if (bad !== null) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: ${field} is not a bin value at ${bad}`, { step });
  }
}

function checkIndex(index: unknown, step: number, field: string): void {
  if (typeof index !== 'number' || !Number.isSafeInteger(index)) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: ${field} must be an integer`, { step, [field]: index });
  }
}

function checkDelta(value: unknown, step: number): void {
  const ok =
    (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX);
  if (!ok) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: increment must be a finite number or an int64 bigint`, { step });
}

function checkKey(key: unknown, step: number, field = 'key'): void {
  if (typeof key !== 'string') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: map ${field} must be a string`, { step });
}

/** Checks every step of an operate before any of them runs. */
export function checkOperations(ops: readonly Operation[]): void {
  if (!Array.isArray(ops) || ops.length === 0) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'operate needs a non-empty list of operations');
  }
  if (ops.length > OPERATIONS_MAX) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operate takes at most ${OPERATIONS_MAX} operations, got ${ops.length}; split the work`);
  }
  ops.forEach(checkOperation);
  const deleteAt = ops.findIndex((op) => op.op === 'delete-record');
  if (deleteAt >= 0) {
    for (let step = deleteAt + 1; step < ops.length; step++) {
      if (!isReadingStep(ops[step]!)) {
        throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: nothing may change the record after delete-record (operation ${deleteAt}); write in a separate call`, { step });
      }
    }
  }
}

/** Steps that only read, which may follow a delete-record. */
const READING_OPS = new Set<Operation['op']>(['read', 'list-get', 'list-get-range', 'list-size', 'map-get', 'map-size', 'map-get-range']);

/** Whether a step only reads (an operate of such steps stores nothing). */
export function isReadingStep(op: Operation): boolean {
  if (op.op === 'cdt') return isCdtRead(op.step.code);
  if (op.op === 'hll') return isHllRead(op.step.code);
  return READING_OPS.has(op.op);
}

function checkCdtStep(op: Extract<Operation, { op: 'cdt' }>, step: number): void {
  const s = op.step as unknown;
  if (typeof s !== 'object' || s === null) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: cdt needs a step { code, args, ctx }`, { step });
  const { code, args, ctx } = s as { code: unknown; args: unknown; ctx: unknown };
  if (typeof code !== 'number' || !isKnownCdtCode(code)) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: ${String(code)} is not a list or map operation code`, { step });
  if (!Array.isArray(args) || args.length > 8) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: cdt args must be a list of at most 8 values`, { step });
  if (!Array.isArray(ctx) || ctx.length > 32 || ctx.some((c) => typeof c !== 'object' || c === null || typeof (c as { type?: unknown }).type !== 'number')) {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: cdt ctx must be a list of at most 32 { type, value } steps`, { step });
  }
}

function checkOperation(op: Operation, step: number): void {
  if (typeof op !== 'object' || op === null) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step} is not an object`, { step });
  if (op.op === 'touch' || op.op === 'delete-record') return;
  checkBinName((op as { bin?: unknown }).bin, step);
  switch (op.op) {
    case 'read':
    case 'delete-bin':
    case 'list-size':
    case 'map-size':
      return;
    case 'list-sort':
      if (op.descending !== undefined && typeof op.descending !== 'boolean') {
        throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: descending must be a boolean`, { step });
      }
      return;
    case 'write':
      return checkValue(op.value, step, 'value', true);
    case 'list-append':
      return checkValue(op.value, step, 'value', true);
    case 'incr':
      return checkDelta(op.value, step);
    case 'append':
    case 'prepend':
      if (typeof op.value !== 'string' && !(op.value instanceof Uint8Array)) {
        throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: ${op.op} takes a string or bytes`, { step });
      }
      return;
    case 'list-insert':
    case 'list-set':
      checkIndex(op.index, step, 'index');
      return checkValue(op.value, step, 'value', true);
    case 'list-get':
      return checkIndex(op.index, step, 'index');
    case 'list-remove':
    case 'list-get-range':
      checkIndex(op.index, step, 'index');
      if (op.count !== undefined) {
        checkIndex(op.count, step, 'count');
        if (op.count < 0) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: count must not be negative`, { step });
      }
      return;
    case 'map-put':
      checkKey(op.key, step);
      return checkValue(op.value, step, 'value', true);
    case 'map-put-items':
      checkValue(op.items, step, 'items');
      if (typeof op.items !== 'object' || op.items === null || Array.isArray(op.items) || op.items instanceof Uint8Array) {
        throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: items must be a map`, { step });
      }
      return;
    case 'map-get':
    case 'map-remove':
      return checkKey(op.key, step);
    case 'map-incr':
      checkKey(op.key, step);
      return checkDelta(op.value, step);
    case 'map-get-range':
      checkKey(op.from, step, 'from');
      return checkKey(op.to, step, 'to');
    case 'cdt':
      return checkCdtStep(op, step);
    case 'hll': {
      // The arguments are checked where the step runs (steps/hll/args.ts), after the bin's type, in Aerospike's order.
      const s = op.step as unknown;
      if (typeof s !== 'object' || s === null || typeof (s as { code?: unknown }).code !== 'number' || !isKnownHllCode((s as { code: number }).code)) {
        throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: hll needs a step { code, ... } with a HyperLogLog operation code`, { step });
      }
      return;
    }
    default:
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `operation ${step}: unknown op "${(op as { op?: unknown }).op}"`, { step });
  }
}
