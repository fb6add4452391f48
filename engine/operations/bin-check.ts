/**
 * Validation of what callers hand the engine: bin names and values. Cheap
 * enough for the hot path (one pass over the values), and it runs before any
 * state changes so a rejected write leaves nothing behind.
 */
import { EngineError } from '../errors.js';
import { BIN_DEPTH_MAX, BIN_NAME_BYTES_MAX, BINS_PER_RECORD_MAX } from '../limits.js';
import { GeoJson, HllValue, hll, type BinValue, type Bins } from '../../record/index.js';
import { checkGeoJson } from './geojson-check.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function binNameBytes(name: string): number {
  // ASCII fast path: most bin names are short ASCII.
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) return Buffer.byteLength(name, 'utf8');
  return name.length;
}

export function checkBinName(name: string): void {
  if (name.length === 0) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'a bin name must not be empty', { bin: name });
  if (binNameBytes(name) > BIN_NAME_BYTES_MAX) {
    throw new EngineError('ENGINE_ERR_BIN_NAME_TOO_LONG', `bin name "${name}" is longer than ${BIN_NAME_BYTES_MAX} bytes; shorten it`, { bin: name });
  }
}

function invalid(bin: string, message: string): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `bin "${bin}": ${message}`, { bin });
}

function checkValue(bin: string, value: BinValue, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw invalid(bin, 'numbers must be finite');
      return;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw invalid(bin, 'integers must fit in a signed 64-bit integer');
      return;
    case 'object': {
      // Nil inside a list or map is an element (a whole bin's null, which removes the bin, never reaches here).
      if (value === null) return;
      if (depth >= BIN_DEPTH_MAX) throw invalid(bin, `lists and maps nest at most ${BIN_DEPTH_MAX} deep`);
      if (value instanceof Uint8Array) return;
      if (value instanceof HllValue) {
        const problem = hll.sketchProblem(value.bytes);
        if (problem !== null) throw invalid(bin, problem);
        return;
      }
      if (value instanceof GeoJson) {
        checkGeoJson(value, `bin "${bin}"`);
        return;
      }
      if (Array.isArray(value)) {
        for (const item of value) checkValue(bin, item, depth + 1);
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw invalid(bin, 'maps must be plain objects');
      for (const k in value) checkValue(bin, (value as Record<string, BinValue>)[k]!, depth + 1);
      return;
    }
    default:
      throw invalid(bin, `values of type ${typeof value} cannot be stored`);
  }
}

/** Checks names and values of bins to write; null values (bin removals) are allowed at the top level. */
export function checkBins(bins: Bins): void {
  if (bins === null || typeof bins !== 'object' || Array.isArray(bins)) {
    throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'bins must be an object of bin name → value', {});
  }
  let count = 0;
  for (const name in bins) {
    checkBinName(name);
    const value = bins[name]!;
    if (value !== null) checkValue(name, value, 0);
    if (++count > BINS_PER_RECORD_MAX) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `a record has at most ${BINS_PER_RECORD_MAX} bins`, {});
  }
}
