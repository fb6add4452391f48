/**
 * Field checks of decoded wire v1 maps. Each check names the field path, so a
 * dead-lettered message says exactly what was wrong with it.
 */
import { GeoJson, HllValue, hll, type BinValue, type Bins, type CounterState } from '../../../record/index.js';
import { WireError } from '../errors.js';
import { BIN_DEPTH_MAX, NAME_CHARS_MAX } from './message.js';

/** Bin names are at most 15 bytes in the engine (Aerospike's limit). */
const BIN_NAME_BYTES_MAX = 15;

export function invalid(field: string, expected: string, found: unknown): WireError {
  const shown = typeof found === 'bigint' ? `${found}n` : found instanceof Uint8Array ? `bytes[${found.length}]` : show(found);
  return new WireError('WIRE_ERR_INVALID', `${field}: expected ${expected}, found ${String(shown).slice(0, 80)}`, { field });
}

/** JSON for the message, never a throw: a bigint or a cycle inside `found` must not turn a WireError into a TypeError (found by fuzzing). */
function show(found: unknown): string {
  try {
    return JSON.stringify(found, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(found);
  } catch {
    return Object.prototype.toString.call(found);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function plainObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(field, 'a map', value);
  return value;
}

export function name(value: unknown, field: string, allowEmpty: boolean): string {
  if (typeof value !== 'string' || value.length > NAME_CHARS_MAX || (!allowEmpty && value.length === 0)) {
    throw invalid(field, `a ${allowEmpty ? '' : 'non-empty '}string of at most ${NAME_CHARS_MAX} characters`, value);
  }
  return value;
}

export function intInRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

export function finiteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'a finite number', value);
  return value;
}

export function bytes(value: unknown, field: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) {
    throw invalid(field, length === undefined ? 'bytes' : `${length} bytes`, value);
  }
  return value;
}

function binValue(value: unknown, field: string, depth: number): BinValue {
  if (depth > BIN_DEPTH_MAX) throw invalid(field, `nesting of at most ${BIN_DEPTH_MAX} levels`, '...');
  if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint') return value;
  if (typeof value === 'number') return value;
  if (value instanceof Uint8Array || value instanceof GeoJson) return value;
  if (value instanceof HllValue) {
    const problem = hll.sketchProblem(value.bytes);
    if (problem !== null) throw invalid(field, `a HyperLogLog value (${problem})`, value.bytes);
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) binValue(value[i], `${field}[${i}]`, depth + 1);
    return value as BinValue[];
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) binValue(v, `${field}.${k}`, depth + 1);
    return value as BinValue;
  }
  throw invalid(field, 'a bin value (nil, bool, int, float, str, bin, ext 18 HyperLogLog, ext 23 GeoJSON, array or map)', value);
}

function binName(nameValue: string, field: string): void {
  if (nameValue.length === 0 || Buffer.byteLength(nameValue, 'utf8') > BIN_NAME_BYTES_MAX) {
    throw invalid(field, `a bin name of 1..${BIN_NAME_BYTES_MAX} bytes`, nameValue);
  }
}

export function bins(value: unknown, field: string): Bins {
  const map = plainObject(value, field);
  for (const [k, v] of Object.entries(map)) {
    binName(k, `${field}.${k}`);
    binValue(v, `${field}.${k}`, 1);
  }
  return map as Bins;
}

export function luts(value: unknown, field: string): Record<string, number> {
  const map = plainObject(value, field);
  for (const [k, v] of Object.entries(map)) {
    // Not binName(): conflict/ keeps metadata entries here under names longer than
    // any bin may have (e.g. '!record-deleted-at'), precisely so they cannot clash.
    if (k.length === 0 || k.length > NAME_CHARS_MAX) throw invalid(`${field}.${k}`, `a name of 1..${NAME_CHARS_MAX} characters`, k);
    intInRange(v, `${field}.${k}`, 0, Number.MAX_SAFE_INTEGER);
  }
  return map as Record<string, number>;
}

function sums(value: unknown, field: string): Record<string, number> {
  const map = plainObject(value, field);
  for (const [k, v] of Object.entries(map)) {
    // A region id, or <region id>.<incarnation> once the region lost its own count in a crash (record/ counterContributor).
    if (!/^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,8})?$/.test(k) || Number(k.split('.')[0]) > 255) throw invalid(`${field}.${k}`, 'a region id 1..255, or <region id>.<incarnation>, as key', k);
    if (finiteNumber(v, `${field}.${k}`) < 0) throw invalid(`${field}.${k}`, 'a sum ≥ 0', v);
  }
  return map as Record<string, number>;
}

export function counters(value: unknown, field: string): Record<string, CounterState> {
  const map = plainObject(value, field);
  for (const [k, v] of Object.entries(map)) {
    binName(k, `${field}.${k}`);
    const c = plainObject(v, `${field}.${k}`);
    finiteNumber(c.base, `${field}.${k}.base`);
    intInRange(c.baseLut, `${field}.${k}.baseLut`, 0, Number.MAX_SAFE_INTEGER);
    sums(c.p, `${field}.${k}.p`);
    sums(c.n, `${field}.${k}.n`);
  }
  return map as unknown as Record<string, CounterState>;
}
