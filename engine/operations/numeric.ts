/**
 * Increment arithmetic. Integers are exact over the whole int64 range (bigint
 * past ±2^53) and an overflow is an error, never a silent wrap. A stored number
 * whose value is whole counts as an integer; because 2.0 and 2 are the same JS
 * number, a fractional increment of such a bin is accepted as double arithmetic.
 */
import type { BinValue } from '../../record/index.js';
import { opsError } from './fail.js';
import { inInt64Range, isIntegerValue, kindOf, normaliseInteger } from './values.js';

export interface IncrementSite {
  step: number;
  bin: string;
  key?: string;
}

/** current + delta, or a typed error. `current` undefined/null means the bin (or map key) is absent: the result is delta. */
export function addIncrement(current: BinValue | undefined, delta: number | bigint, site: IncrementSite): number | bigint {
  if (current === undefined || current === null) return typeof delta === 'bigint' ? normaliseInteger(delta) : delta;
  if (typeof current !== 'number' && typeof current !== 'bigint') {
    throw opsError(
      'ENGINE_ERR_BIN_TYPE_MISMATCH',
      `operation ${site.step}: cannot increment ${describe(site)}, it holds a ${kindOf(current)}`,
      { ...site, kind: kindOf(current) },
    );
  }
  if (typeof current === 'number' && typeof delta === 'number') {
    const sum = current + delta;
    // Both whole and the sum still exact: the common case, no bigint needed.
    if (Number.isSafeInteger(sum) && Number.isSafeInteger(current) && Number.isSafeInteger(delta)) return sum;
    // A fraction, or a whole number beyond int64 (which can only be a double), makes this double arithmetic.
    if (!Number.isInteger(current) || !Number.isInteger(delta) || Math.abs(current) >= 2 ** 63 || Math.abs(delta) >= 2 ** 63) {
      return checkDouble(sum, site);
    }
  }
  if (isIntegerValue(current) && isIntegerValue(delta)) {
    const exact = BigInt(current) + BigInt(delta);
    if (!inInt64Range(exact)) {
      throw opsError('ENGINE_ERR_INCR_OVERFLOW', `operation ${site.step}: incrementing ${describe(site)} by ${delta} leaves the int64 range`, {
        ...site,
      });
    }
    return normaliseInteger(exact);
  }
  // One side is a bigint (an integer beyond ±2^53) and the other a fraction: Aerospike refuses int + double.
  throw opsError('ENGINE_ERR_BIN_TYPE_MISMATCH', `operation ${site.step}: cannot add a double to the 64-bit integer in ${describe(site)}`, {
    ...site,
  });
}

function checkDouble(sum: number, site: IncrementSite): number {
  if (!Number.isFinite(sum)) {
    throw opsError('ENGINE_ERR_INCR_OVERFLOW', `operation ${site.step}: incrementing ${describe(site)} overflows a double`, { ...site });
  }
  return sum;
}

function describe(site: IncrementSite): string {
  return site.key === undefined ? `bin "${site.bin}"` : `key "${site.key}" of map bin "${site.bin}"`;
}
