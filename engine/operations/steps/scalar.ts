/** Whole-bin steps: read, write, increment, append/prepend, touch, delete-bin. */
import type { BinValue } from '../../../record/index.js';
import type { Operation } from '../../api.js';
import { applyLocalIncrement, counterValue, DELETE_HORIZON_BIN, holdsIntegersOnly } from '../../../record/index.js';
import { opsError } from '../fail.js';
import { addIncrement } from '../numeric.js';
import { cloneValue, isIntegerValue, kindOf, setOwn } from '../values.js';
import type { WorkingRecord } from '../working-record.js';

type Op<K extends Operation['op']> = Extract<Operation, { op: K }>;

export function readBin(rec: WorkingRecord, op: Op<'read'>): BinValue {
  const value = rec.get(op.bin);
  return value === undefined ? null : cloneValue(value);
}

export function writeBin(rec: WorkingRecord, op: Op<'write'>): BinValue {
  rec.set(op.bin, cloneValue(op.value));
  return null;
}

/**
 * Integer or double increment, booked into the bin's counter epoch so that
 * replication converges to the sum of increments made in every region.
 */
export function incrementBin(rec: WorkingRecord, op: Op<'incr'>, step: number): BinValue {
  const current = rec.get(op.bin);
  const site = { step, bin: op.bin };
  // The plain sum decides type errors and overflow; the counter state decides the stored value.
  const plain = addIncrement(current, op.value, site);
  const own = rec.counterOfBin(op.bin);
  const before = rec.joinDormantEpoch(op.bin, own);
  // A dormant state of the bin's epoch adds contributions the bin did not show: the exact sum then starts from the joined state.
  const expected = before === own ? plain : addIncrement(counterValue(before), op.value, site);
  const after = applyLocalIncrement(before, rec.ctx.contributor, op.value);
  const value = counterValue(after);
  if (isIntegerValue(expected) && value != expected && holdsIntegersOnly(after)) {
    // CounterState holds doubles, so an integer counter past ±2^53 rounds. Exact
    // int64 arithmetic wins over convergence there: store the exact sum as a
    // plain write (a new epoch), as documented in docs/conflict.md's limits.
    // An epoch with a fractional increment is double arithmetic: its value stands
    // even when the plain sum rounded to an integer (-37 + 4.9999999999999964 + 1),
    // or one region would start a new epoch alone.
    rec.set(op.bin, expected);
    return null;
  }
  rec.setCounter(op.bin, value, after);
  return null;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function appendOrPrepend(rec: WorkingRecord, op: Op<'append'> | Op<'prepend'>, step: number): BinValue {
  const current = rec.get(op.bin);
  const front = op.op === 'prepend';
  if (current === undefined || current === null) {
    rec.set(op.bin, typeof op.value === 'string' ? op.value : new Uint8Array(op.value));
    return null;
  }
  if (typeof current === 'string' && typeof op.value === 'string') {
    rec.set(op.bin, front ? op.value + current : current + op.value);
    return null;
  }
  if (current instanceof Uint8Array && op.value instanceof Uint8Array) {
    rec.set(op.bin, front ? concat(op.value, current) : concat(current, op.value));
    return null;
  }
  throw opsError(
    'ENGINE_ERR_BIN_TYPE_MISMATCH',
    `operation ${step}: cannot ${op.op} a ${typeof op.value === 'string' ? 'string' : 'bytes value'} to bin "${op.bin}", it holds a ${kindOf(current)}`,
    { step, bin: op.bin, kind: kindOf(current) },
  );
}

/**
 * Removes every bin and sets the record's delete horizon to this write's lut,
 * as a durable delete does (docs/conflict.md): under bin-lww, bins older than
 * the delete are gone in every region, newer ones made elsewhere survive. The
 * record ends as a tombstone because no changing step may follow (validate.ts).
 */
export function deleteRecord(rec: WorkingRecord): BinValue {
  for (const bin of Object.keys(rec.bins)) rec.set(bin, null);
  if (rec.existed) {
    setOwn(rec.binLuts, DELETE_HORIZON_BIN, rec.ctx.lut);
    rec.touch();
  }
  return null;
}

export function touchRecord(rec: WorkingRecord): BinValue {
  rec.touch();
  return null;
}

export function deleteBin(rec: WorkingRecord, op: Op<'delete-bin'>): BinValue {
  rec.set(op.bin, null);
  return null;
}
