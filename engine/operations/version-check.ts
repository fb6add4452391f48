/** Validation of versions handed to applyVersion (they come off the wire; trust nothing). */
import { checkBinName, checkBins } from './bin-check.js';
import { DIGEST_BYTES } from '../digest.js';
import { EngineError } from '../errors.js';
import { DELETE_HORIZON_BIN } from '../../record/index.js';
import type { RecordVersion } from '../../record/index.js';

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
  if (v.counters !== undefined) checkCounters(v.counters, 'counters');
  if (v.dormantCounters !== undefined) checkCounters(v.dormantCounters, 'dormantCounters');
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function checkSums(sums: unknown, field: string): void {
  if (sums === null || typeof sums !== 'object') throw bad(field, 'must be an object of region id → sum');
  for (const region in sums) {
    const sum = (sums as Record<string, unknown>)[region];
    if (!isFiniteNumber(sum) || sum < 0) throw bad(`${field}.${region}`, 'must be a finite sum ≥ 0');
  }
}

/** Counter states (visible or dormant): bin name → { base, baseLut, p, n }. */
function checkCounters(counters: unknown, field: string): void {
  if (counters === null || typeof counters !== 'object') throw bad(field, 'must be an object of bin name → counter state');
  for (const name in counters) {
    checkBinName(name);
    const c = (counters as Record<string, unknown>)[name] as Record<string, unknown> | null;
    if (c === null || typeof c !== 'object') throw bad(`${field}.${name}`, 'must be a counter state { base, baseLut, p, n }');
    if (!isFiniteNumber(c.base)) throw bad(`${field}.${name}.base`, 'must be a finite number');
    if (!isFiniteNumber(c.baseLut) || !Number.isSafeInteger(c.baseLut) || c.baseLut < 0) throw bad(`${field}.${name}.baseLut`, 'must be an HLC timestamp');
    checkSums(c.p, `${field}.${name}.p`);
    checkSums(c.n, `${field}.${name}.n`);
  }
}

/**
 * The newest epoch start among the version's counter states (0 when none).
 * Under generation a merged version can hold a counter epoch newer than its
 * own lut: the engine's clock must pass it too, or a later local write of the
 * bin would open an epoch older than one the record already holds.
 */
export function newestCounterEpoch(v: RecordVersion): number {
  let newest = 0;
  for (const map of [v.counters, v.dormantCounters]) {
    if (map === undefined) continue;
    for (const name in map) if (map[name]!.baseLut > newest) newest = map[name]!.baseLut;
  }
  return newest;
}
