/** Validation of versions handed to applyVersion (they come off the wire; trust nothing). */
import { checkBinName, checkBins } from './bin-check.js';
import { DIGEST_BYTES } from './digest.js';
import { EngineError } from './errors.js';
import { DELETE_HORIZON_BIN } from './record-ops.js';
import type { RecordVersion } from './types.js';

function bad(field: string, message: string): EngineError {
  return new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `version.${field} ${message}`, { field: `version.${field}` });
}

const isUint32 = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff;

export function checkVersion(v: RecordVersion): void {
  if (v === null || typeof v !== 'object') throw bad('', 'must be an object');
  if (typeof v.set !== 'string') throw bad('set', 'must be a string');
  if (!(v.digest instanceof Uint8Array) || v.digest.length !== DIGEST_BYTES) throw bad('digest', 'must be 20 bytes');
  if (!isUint32(v.generation) || v.generation < 1) throw bad('generation', 'must be an integer ≥ 1');
  if (!isUint32(v.voidTime)) throw bad('voidTime', 'must be unix seconds (0 = never)');
  if (typeof v.lut !== 'number' || !Number.isSafeInteger(v.lut) || v.lut <= 0) throw bad('lut', 'must be a positive HLC timestamp');
  if (!Number.isInteger(v.region) || v.region < 1 || v.region > 255) throw bad('region', 'must be a region id 1..255');
  if (typeof v.deleted !== 'boolean') throw bad('deleted', 'must be a boolean');
  checkBins(v.bins);
  for (const name in v.bins) if (v.bins[name] === null) throw bad(`bins.${name}`, 'must not be null in a stored version');
  if (v.deleted && Object.keys(v.bins).length > 0) throw bad('bins', 'must be empty for a tombstone');
  if (v.binLuts === null || typeof v.binLuts !== 'object') throw bad('binLuts', 'must be an object');
  for (const name in v.binLuts) {
    // The delete horizon entry is allowed here, and only here (docs/conflict.md).
    if (name !== DELETE_HORIZON_BIN) checkBinName(name);
    if (typeof v.binLuts[name] !== 'number') throw bad(`binLuts.${name}`, 'must be an HLC timestamp');
  }
}
