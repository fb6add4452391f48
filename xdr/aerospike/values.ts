/**
 * Wire values → engine bin values. The codec already hands out the engine's
 * shapes; what the engine's data model cannot hold is refused here with a
 * typed error that says so: maps with keys other than strings. Nil inside a
 * list or map is an element; a whole bin's nil removes the bin.
 */
import { AsSpecial, type AsValue } from '../../aerospike-protocol/index.js';
import { GeoJson, HllValue, type BinValue, type Bins } from '../../record/index.js';
import { badRequest, unsupportedFeature } from './errors.js';

function check(v: AsValue, path: string): void {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof HllValue || v instanceof GeoJson) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) check(v[i]!, `${path}[${i}]`);
    return;
  }
  if (v instanceof Map) throw unsupportedFeature(`${path}: map keys other than strings are not supported; use string keys`);
  if (v instanceof AsSpecial) throw badRequest(`${path}: ${v.kind} is only allowed as a range argument`);
  for (const k in v) check(v[k]!, `${path}.${k}`);
}

/** The value as a bin value (the same object); throws when the engine cannot hold it. */
export function toBinValue(v: AsValue, path: string): BinValue {
  check(v, path);
  return v as BinValue;
}

/** Adds a bin to `bins`, keeping names such as "__proto__" as data. */
export function setBin(bins: Bins, name: string, value: BinValue): void {
  if (name === '__proto__') Object.defineProperty(bins, name, { value, enumerable: true, writable: true, configurable: true });
  else bins[name] = value;
}

/** The bins of `bins` named in `names` (all of them when null), as a batch row or a get of named bins returns them. */
export function selectBins(bins: Bins, names: readonly string[] | null): Bins {
  if (names === null) return bins;
  const out: Bins = {};
  for (const n of names) if (Object.hasOwn(bins, n)) setBin(out, n, bins[n]!);
  return out;
}
