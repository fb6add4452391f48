/**
 * The mutable copy of a record that one operate works on. Steps read and write
 * bins through it; it keeps per-bin last-update-times and counter epochs in step
 * with every change, so the operation modules only deal with values.
 */
import type { BinValue, Bins, CounterState, HlcTimestamp } from '../types.js';
import { DELETE_HORIZON_BIN, counterAfterPlainWrite } from './counter.js';
import { setOwn } from './values.js';

/** What operations start from: the stored record's bins and bin metadata (see opsInputFromVersion). */
export interface OpsRecordInput {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
  /**
   * False when the record is a tombstone: steps then see no bins, but the
   * delete horizon in binLuts still dates increments (docs/conflict.md). @default true
   */
  live?: boolean;
}

/** The stored fields opsInputFromVersion needs (a RecordVersion has them all). */
export interface StoredBody {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
  deleted: boolean;
  lut: HlcTimestamp;
}

/**
 * The input operations start from, by the local rule of docs/conflict.md (and
 * conflict/local.ts's startFrom): a live record as stored; a tombstone as no
 * bins and no counters, keeping its bin tombstones and stating its delete
 * horizon (binLuts[DELETE_HORIZON_BIN] ?? its lut) explicitly, because the
 * version written next is live; nothing stored as null.
 */
export function opsInputFromVersion(stored: StoredBody | null): OpsRecordInput | null {
  if (stored === null) return null;
  if (!stored.deleted) {
    const input: OpsRecordInput = { bins: stored.bins, binLuts: stored.binLuts };
    if (stored.counters !== undefined) input.counters = stored.counters;
    return input;
  }
  const horizon = Object.hasOwn(stored.binLuts, DELETE_HORIZON_BIN) ? stored.binLuts[DELETE_HORIZON_BIN]! : stored.lut;
  return { bins: {}, binLuts: { ...stored.binLuts, [DELETE_HORIZON_BIN]: horizon }, live: false };
}

export interface OpsContext {
  /** HLC time of this write; every bin an operation changes gets it as its lut. */
  lut: HlcTimestamp;
  /** Local region id (counter contributions are booked under it). */
  regionId: number;
}

export class WorkingRecord {
  readonly bins: Bins;
  readonly binLuts: Record<string, HlcTimestamp>;
  readonly counters: Record<string, CounterState>;
  /** True once a step changed a bin or touched the record: the caller then stores a new version. */
  mutated = false;
  readonly existed: boolean;

  constructor(
    input: OpsRecordInput | null,
    readonly ctx: OpsContext,
  ) {
    // Shallow copies: steps replace bin values, they never edit stored values in place.
    this.bins = { ...(input?.bins ?? {}) };
    this.binLuts = { ...(input?.binLuts ?? {}) };
    this.counters = { ...(input?.counters ?? {}) };
    this.existed = input !== null && input.live !== false;
  }

  get(bin: string): BinValue | undefined {
    return Object.hasOwn(this.bins, bin) ? this.bins[bin] : undefined;
  }

  binLutOf(name: string): HlcTimestamp | undefined {
    return Object.hasOwn(this.binLuts, name) ? this.binLuts[name] : undefined;
  }

  counterOf(bin: string): CounterState | undefined {
    return Object.hasOwn(this.counters, bin) ? this.counters[bin] : undefined;
  }

  /** A plain write (anything but an increment): null removes the bin; a counter opens a new epoch. */
  set(bin: string, value: BinValue): void {
    if (value === null) delete this.bins[bin];
    else setOwn<BinValue>(this.bins, bin, value);
    setOwn(this.binLuts, bin, this.ctx.lut);
    this.mutated = true;
    const epoch = Object.hasOwn(this.counters, bin) ? counterAfterPlainWrite(value, this.ctx.lut) : undefined;
    if (epoch === undefined) delete this.counters[bin];
    else setOwn(this.counters, bin, epoch);
  }

  /** An increment: the value and the counter state it stands for. */
  setCounter(bin: string, value: number | bigint, state: CounterState): void {
    setOwn<BinValue>(this.bins, bin, value);
    setOwn(this.binLuts, bin, this.ctx.lut);
    setOwn(this.counters, bin, state);
    this.mutated = true;
  }

  touch(): void {
    this.mutated = true;
  }

  /** Counters as RecordVersion wants them: absent when there are none. */
  countersOrUndefined(): Record<string, CounterState> | undefined {
    return Object.keys(this.counters).length === 0 ? undefined : this.counters;
  }
}
