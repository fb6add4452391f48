/**
 * applyOperations: the pure heart of operate. Takes the stored record (or null),
 * runs the steps in order on a working copy and returns the new bins, per-bin
 * luts and counter states plus one result per step. Nothing is stored here: the
 * engine passes the outcome to its single write path, so an error in any step
 * leaves the record exactly as it was (operate is atomic).
 */
import type { BinValue, Bins, CounterState, HlcTimestamp } from '../../record/index.js';
import type { Operation } from '../api.js';
import { sealBody } from '../../record/index.js';
import { opsError } from './fail.js';
import * as list from './steps/list.js';
import * as map from './steps/map.js';
import * as scalar from './steps/scalar.js';
import { checkOperations } from './validate.js';
import { applyCdt } from './steps/cdt/index.js';
import { applyHll } from './steps/hll/index.js';
import { WorkingRecord, type OpsContext, type OpsRecordInput } from './working-record.js';

export interface OpsOutcome {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
  /** Counter states no bin shows (record/'s local-update rule keeps them). */
  dormantCounters?: Record<string, CounterState>;
  /** One per step, in order: the value read, or null for steps that return nothing. */
  results: BinValue[];
  /** A step changed a bin or touched the record: store a new version (generation + 1). */
  mutated: boolean;
  /**
   * No bin is left: the record becomes a tombstone that keeps its delete
   * horizon explicitly in binLuts (0 included), as docs/conflict.md's local rule says.
   */
  deleted: boolean;
}

export interface ApplyOptions {
  /** Replace policy: bins that no step wrote are removed (with bin tombstones) at the end. */
  replace?: boolean;
}

function runStep(rec: WorkingRecord, op: Operation, step: number): BinValue {
  switch (op.op) {
    case 'read':
      return scalar.readBin(rec, op);
    case 'write':
      return scalar.writeBin(rec, op);
    case 'incr':
      return scalar.incrementBin(rec, op, step);
    case 'append':
    case 'prepend':
      return scalar.appendOrPrepend(rec, op, step);
    case 'touch':
      return scalar.touchRecord(rec);
    case 'delete-record':
      return scalar.deleteRecord(rec);
    case 'delete-bin':
      return scalar.deleteBin(rec, op);
    case 'list-append':
      return list.listAppend(rec, op, step);
    case 'list-insert':
      return list.listInsert(rec, op, step);
    case 'list-set':
      return list.listSet(rec, op, step);
    case 'list-remove':
      return list.listRemove(rec, op, step);
    case 'list-get':
      return list.listGet(rec, op, step);
    case 'list-get-range':
      return list.listGetRange(rec, op, step);
    case 'list-size':
      return list.listSize(rec, op, step);
    case 'list-sort':
      return list.listSort(rec, op, step);
    case 'map-put':
      return map.mapPut(rec, op, step);
    case 'map-put-items':
      return map.mapPutItems(rec, op, step);
    case 'map-get':
      return map.mapGet(rec, op, step);
    case 'map-remove':
      return map.mapRemove(rec, op, step);
    case 'map-incr':
      return map.mapIncrement(rec, op, step);
    case 'map-size':
      return map.mapSize(rec, op, step);
    case 'map-get-range':
      return map.mapGetRange(rec, op, step);
    case 'cdt': {
      const current = rec.get(op.bin);
      const { result, next } = applyCdt(current === null ? undefined : current, op.step, `operation ${step} (cdt ${op.step.code} on bin "${op.bin}")`);
      if (next !== undefined) rec.set(op.bin, next);
      return result;
    }
    case 'hll': {
      const { result, next } = applyHll(rec.get(op.bin), op.step, `operation ${step} (hll ${op.step.code} on bin "${op.bin}")`);
      if (next !== undefined) rec.set(op.bin, next);
      return result;
    }
  }
}

/**
 * Runs `ops` against `input` (null = no live record). A record that does not
 * exist and that no step writes is ENGINE_ERR_RECORD_NOT_FOUND, as is a touch of
 * an absent record (Aerospike answers both with not-found).
 */
export function applyOperations(input: OpsRecordInput | null, ops: readonly Operation[], ctx: OpsContext, options: ApplyOptions = {}): OpsOutcome {
  checkOperations(ops);
  const rec = new WorkingRecord(input, ctx);
  if (!rec.existed && ops.some((op) => op.op === 'touch')) {
    throw opsError('ENGINE_ERR_RECORD_NOT_FOUND', 'cannot touch a record that does not exist');
  }
  const results = ops.map((op, step) => runStep(rec, op, step));
  if (!rec.existed && !rec.mutated) {
    throw opsError('ENGINE_ERR_RECORD_NOT_FOUND', 'the record does not exist and the operations only read');
  }
  if (options.replace === true) {
    for (const bin of Object.keys(rec.bins)) if (rec.binLuts[bin] !== ctx.lut) rec.set(bin, null);
  }
  const body = rec.body;
  const deleted = sealBody(body);
  const outcome: OpsOutcome = { bins: body.bins, binLuts: body.binLuts, results, mutated: rec.mutated, deleted };
  if (Object.keys(body.counters).length > 0) outcome.counters = body.counters;
  if (body.dormant !== null && Object.keys(body.dormant).length > 0) outcome.dormantCounters = body.dormant;
  return outcome;
}
