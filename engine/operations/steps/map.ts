/**
 * Map steps. Keys are strings (BinMap); a key range is [from, to) in code-point
 * order, which is UTF-8 byte order, as Aerospike compares keys. Steps that read a
 * missing bin return null; steps that add to one create the map.
 */
import type { BinMap, BinValue } from '../../../record/index.js';
import type { Operation } from '../../api.js';
import { opsError } from '../fail.js';
import { addIncrement } from '../numeric.js';
import { compareCodePoints } from '../../../record/index.js';
import { cloneValue, copyMap, getOwn, isBinMap, kindOf, setOwn } from '../values.js';
import type { WorkingRecord } from '../working-record.js';

type Op<K extends Operation['op']> = Extract<Operation, { op: K }>;

function mapIn(rec: WorkingRecord, bin: string, step: number, op: string): BinMap | undefined {
  const value = rec.get(bin);
  if (value === undefined || value === null) return undefined;
  if (isBinMap(value)) return value;
  throw opsError('ENGINE_ERR_BIN_TYPE_MISMATCH', `operation ${step}: ${op} needs a map, bin "${bin}" holds a ${kindOf(value)}`, {
    step,
    bin,
    kind: kindOf(value),
  });
}

function sizeOf(map: BinMap): number {
  return Object.keys(map).length;
}

export function mapPut(rec: WorkingRecord, op: Op<'map-put'>, step: number): BinValue {
  const map = copyMap(mapIn(rec, op.bin, step, op.op) ?? {});
  setOwn(map, op.key, cloneValue(op.value));
  rec.set(op.bin, map);
  return sizeOf(map);
}

export function mapPutItems(rec: WorkingRecord, op: Op<'map-put-items'>, step: number): BinValue {
  const map = copyMap(mapIn(rec, op.bin, step, op.op) ?? {});
  for (const key of Object.keys(op.items)) setOwn(map, key, cloneValue(op.items[key]!));
  rec.set(op.bin, map);
  return sizeOf(map);
}

export function mapGet(rec: WorkingRecord, op: Op<'map-get'>, step: number): BinValue {
  const map = mapIn(rec, op.bin, step, op.op);
  const value = map === undefined ? undefined : getOwn(map, op.key);
  return value === undefined ? null : cloneValue(value);
}

/** Returns the removed value (null when the key was absent; nothing is written then). */
export function mapRemove(rec: WorkingRecord, op: Op<'map-remove'>, step: number): BinValue {
  const current = mapIn(rec, op.bin, step, op.op);
  const removed = current === undefined ? undefined : getOwn(current, op.key);
  if (current === undefined || removed === undefined) return null;
  const map = copyMap(current);
  delete map[op.key];
  rec.set(op.bin, map);
  return removed;
}

/**
 * Increments one key and returns its new value. Unlike a bin increment this is a
 * plain write of the map: replication resolves it per bin, not as a counter.
 */
export function mapIncrement(rec: WorkingRecord, op: Op<'map-incr'>, step: number): BinValue {
  const map = copyMap(mapIn(rec, op.bin, step, op.op) ?? {});
  const value = addIncrement(getOwn(map, op.key), op.value, { step, bin: op.bin, key: op.key });
  setOwn(map, op.key, value);
  rec.set(op.bin, map);
  return value;
}

export function mapSize(rec: WorkingRecord, op: Op<'map-size'>, step: number): BinValue {
  const map = mapIn(rec, op.bin, step, op.op);
  return map === undefined ? null : sizeOf(map);
}

/** Items with from ≤ key < to, as a map whose keys are inserted in ascending order. */
export function mapGetRange(rec: WorkingRecord, op: Op<'map-get-range'>, step: number): BinValue {
  const map = mapIn(rec, op.bin, step, op.op);
  if (map === undefined) return null;
  const keys = Object.keys(map)
    .filter((k) => compareCodePoints(k, op.from) >= 0 && compareCodePoints(k, op.to) < 0)
    .sort(compareCodePoints);
  const out: BinMap = {};
  for (const key of keys) setOwn(out, key, cloneValue(map[key]!));
  return out;
}
