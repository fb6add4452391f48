/**
 * The mutable copy of a record that one operate works on. Steps read and write
 * bins through it; every change goes through record/'s local-update rule, which
 * keeps per-bin last-update-times, counter epochs and dormant counter states in
 * step, so the operation modules only deal with values.
 */
import { counterOfBin, joinDormantEpoch, setCounter, startingPoint, writeBin, type LocalBody, type StartingVersion } from '../../record/index.js';
import type { BinValue, Bins, CounterState, HlcTimestamp } from '../../record/index.js';

/** What operations start from: a record's bins and bin metadata (opsInputFromVersion makes one from a stored version). */
export interface OpsRecordInput {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters?: Record<string, CounterState>;
  dormantCounters?: Record<string, CounterState>;
  /**
   * False when the record is a tombstone: steps then see no bins, but the
   * delete horizon in binLuts still dates increments (docs/conflict.md). @default true
   */
  live?: boolean;
}

/** The stored fields opsInputFromVersion needs (a RecordVersion has them all). */
export type StoredBody = StartingVersion;

/**
 * The input operations start from: record/'s startingPoint (a live record as
 * stored; a tombstone as no bins, its bin tombstones and dormant counters, and
 * its horizon stated explicitly), nothing stored as null.
 */
export function opsInputFromVersion(stored: StoredBody | null): OpsRecordInput | null {
  if (stored === null) return null;
  const start = startingPoint(stored);
  const input: OpsRecordInput = { bins: start.bins, binLuts: start.binLuts };
  if (!stored.deleted && stored.counters !== undefined) input.counters = start.counters;
  if (start.dormant !== null) input.dormantCounters = start.dormant;
  if (stored.deleted) input.live = false;
  return input;
}

export interface OpsContext {
  /** HLC time of this write; every bin an operation changes gets it as its lut. */
  lut: HlcTimestamp;
  /** The key this region books counter increments under (record/ counterContributor). */
  contributor: string;
}

export class WorkingRecord {
  /** The version body being built (shallow copies: steps replace bin values, they never edit stored values in place). */
  readonly body: LocalBody;
  /** True once a step changed a bin or touched the record: the caller then stores a new version. */
  mutated = false;
  readonly existed: boolean;

  constructor(
    input: OpsRecordInput | null,
    readonly ctx: OpsContext,
  ) {
    this.body = {
      bins: { ...input?.bins },
      binLuts: { ...input?.binLuts },
      counters: { ...input?.counters },
      dormant: input?.dormantCounters === undefined ? null : { ...input.dormantCounters },
    };
    this.existed = input !== null && input.live !== false;
  }

  get bins(): Bins {
    return this.body.bins;
  }

  get binLuts(): Record<string, HlcTimestamp> {
    return this.body.binLuts;
  }

  get(bin: string): BinValue | undefined {
    return Object.hasOwn(this.body.bins, bin) ? this.body.bins[bin] : undefined;
  }

  /** A plain write (anything but an increment): null removes the bin (record/'s writeBin). */
  set(bin: string, value: BinValue): void {
    writeBin(this.body, bin, value, this.ctx.lut);
    this.mutated = true;
  }

  /** The bin's own epoch state an increment starts from (record/'s counterOfBin). */
  counterOfBin(bin: string): CounterState {
    return counterOfBin(this.body, bin);
  }

  /** `state` with the bin's dormant state of the same epoch joined in (record/'s joinDormantEpoch). */
  joinDormantEpoch(bin: string, state: CounterState): CounterState {
    return joinDormantEpoch(this.body, bin, state);
  }

  /** An increment: the value and the counter state it stands for. */
  setCounter(bin: string, value: number | bigint, state: CounterState): void {
    setCounter(this.body, bin, state, value, this.ctx.lut);
    this.mutated = true;
  }

  touch(): void {
    this.mutated = true;
  }
}
