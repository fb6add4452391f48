/** Reading a CDT step's arguments, with errors that name the operation. */
import type { BinMap, BinValue } from '../../../../record/index.js';
import { opsError } from '../../fail.js';
import { findInvalidValue } from '../../validate.js';
import { isBinMap } from '../../values.js';
import { CdtSpecial, type CdtArg } from './types.js';

export class Args {
  constructor(
    private readonly args: readonly CdtArg[],
    private readonly op: string,
  ) {}

  has(i: number): boolean {
    return i < this.args.length && this.args[i] !== null;
  }

  raw(i: number): CdtArg {
    if (i >= this.args.length) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: argument ${i + 1} is missing`);
    return this.args[i]!;
  }

  int(i: number, fallback?: number): number {
    if (!this.has(i)) {
      if (fallback !== undefined) return fallback;
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: argument ${i + 1} must be an integer`);
    }
    const v = this.args[i];
    if (typeof v === 'bigint') return Number(v);
    if (typeof v !== 'number' || !Number.isInteger(v)) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: argument ${i + 1} must be an integer`);
    return v;
  }

  /** A count argument: absent or nil means "to the end". */
  count(i: number): number | undefined {
    if (!this.has(i)) return undefined;
    const n = this.int(i);
    if (n < 0) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: count must not be negative`);
    return n;
  }

  /** A value that will be stored inside a list or map (nil is an element there): no interval ends. */
  storable(i: number): BinValue {
    return storable(this.raw(i), this.op);
  }

  list(i: number): CdtArg[] {
    const v = this.raw(i);
    if (!Array.isArray(v)) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: argument ${i + 1} must be a list`);
    return v;
  }

  map(i: number): BinMap {
    const v = this.raw(i);
    if (!isBinMap(v as BinValue) || v instanceof CdtSpecial) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${this.op}: argument ${i + 1} must be a map with string keys`);
    return v as BinMap;
  }

  key(i: number): string {
    return keyOf(this.raw(i), this.op);
  }
}

export function keyOf(v: CdtArg, op: string): string {
  if (typeof v === 'string') return v;
  throw opsError('ENGINE_ERR_UNSUPPORTED', `${op}: map keys are strings in this engine; a ${v === null ? 'nil' : typeof v} key is not supported`);
}

export function storable(v: CdtArg, op: string): BinValue {
  if (v instanceof CdtSpecial) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: ${v.kind} is only a range end, not a value to store`);
  const bad = findInvalidValue(v, 0, '$', true);
  if (bad !== null) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `${op}: not a storable value at ${bad}`);
  return v;
}
