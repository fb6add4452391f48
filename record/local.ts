/**
 * THE local-update rule: what a region stores when its own client writes,
 * increments or deletes (docs/conflict.md, "The local update rule"). The
 * engine's write path is built from these functions (engine/operations/record-rules.ts for
 * put and delete, engine/operations/ for operate); resolvers never call them, they
 * merge the versions these make.
 *
 * Counter states are never dropped by a local change: a counter bin that is
 * overwritten by a non-number, removed, replaced away or deleted keeps its
 * state as a dormant counter, because under lww and generation a concurrent
 * version that wins may hold the bin as a counter of that same epoch and must
 * then still count this region's increments.
 */
import { sameCounterEpoch } from './bin-state.js';
import { counterValue, mergeSameEpoch, openCounterEpoch } from './counter.js';
import { counterStatesOf, defineOwn, joinCountersInto } from './counter-states.js';
import { DELETE_HORIZON_BIN, deleteHorizon } from './horizon.js';
import type { BinValue, Bins, CounterState, Digest, HlcTimestamp, RecordVersion, UserKey } from './types.js';

/** The body of the version a change builds: bins and their metadata, changed in place by the rule. */
export interface LocalBody {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters: Record<string, CounterState>;
  /** The dormant counter states; null while there are none (no object on the put path). */
  dormant: Record<string, CounterState> | null;
}

const NO_COUNTERS: Readonly<Record<string, CounterState>> = Object.freeze({});

/** The fields of a version a change starts from. */
export type StartingVersion = Pick<RecordVersion, 'bins' | 'binLuts' | 'counters' | 'dormantCounters' | 'deleted' | 'lut'>;

/**
 * What a change starts from, sharing `current`'s maps (startFrom copies them):
 * nothing; for a tombstone no bins and no visible counters, but its bin
 * tombstones (a merged tombstone can hold removals newer than its horizon), its
 * dormant counters, and its horizon stated explicitly because the next version
 * is live; for a live record its body as stored.
 */
export function startingPoint(current: StartingVersion | null): Readonly<LocalBody> {
  if (current === null) return { bins: {}, binLuts: {}, counters: {}, dormant: null };
  const dormant = current.dormantCounters ?? null;
  if (current.deleted) return { bins: {}, binLuts: tombstoneStartLuts(current), counters: {}, dormant };
  return { bins: current.bins, binLuts: current.binLuts, counters: current.counters ?? NO_COUNTERS, dormant };
}

/** A tombstone's bin luts with its horizon stated explicitly (the version written next is live). */
function tombstoneStartLuts(current: StartingVersion): Record<string, HlcTimestamp> {
  return { ...current.binLuts, [DELETE_HORIZON_BIN]: deleteHorizon(current) };
}

/**
 * startingPoint, copied: the body a change edits. Written out rather than as a
 * copy of startingPoint's result: this is the put path, and the intermediate
 * object showed in the put benchmark.
 */
export function startFrom(current: StartingVersion | null): LocalBody {
  if (current === null) return { bins: {}, binLuts: {}, counters: {}, dormant: null };
  const dormant = current.dormantCounters === undefined ? null : { ...current.dormantCounters };
  if (current.deleted) return { bins: {}, binLuts: tombstoneStartLuts(current), counters: {}, dormant };
  return { bins: { ...current.bins }, binLuts: { ...current.binLuts }, counters: current.counters === undefined ? {} : { ...current.counters }, dormant };
}

function keepDormant(body: LocalBody, name: string, state: CounterState): void {
  body.dormant ??= {};
  joinCountersInto(body.dormant, { [name]: state });
}

/**
 * A plain write of bin `name` (anything but an increment) at `lut`: null
 * removes the bin (a bin tombstone). A number written to a counter bin opens a
 * new epoch (base = the number, baseLut = lut); it is newer than every state
 * the record holds of the bin, so nothing needs keeping. Anything else ends
 * the counter and its state goes dormant.
 */
export function writeBin(body: LocalBody, name: string, value: BinValue, lut: HlcTimestamp): void {
  // Plain assignments on the put path; "__proto__" (data here, never the prototype) goes the careful way.
  if (name === '__proto__') return writeBinDefined(body, name, value, lut);
  if (value === null) delete body.bins[name];
  else body.bins[name] = value;
  body.binLuts[name] = lut;
  if (!Object.hasOwn(body.counters, name)) return;
  endOrReopenCounter(body, name, value, lut);
}

function writeBinDefined(body: LocalBody, name: string, value: BinValue, lut: HlcTimestamp): void {
  if (value === null) delete body.bins[name];
  else defineOwn<BinValue>(body.bins, name, value);
  defineOwn(body.binLuts, name, lut);
  if (!Object.hasOwn(body.counters, name)) return;
  endOrReopenCounter(body, name, value, lut);
}

function endOrReopenCounter(body: LocalBody, name: string, value: BinValue, lut: HlcTimestamp): void {
  if (typeof value === 'number') {
    defineOwn(body.counters, name, openCounterEpoch(value, lut));
    return;
  }
  const ended = body.counters[name]!;
  delete body.counters[name];
  keepDormant(body, name, ended);
}

/**
 * The replace part of a put with exists replace / create-or-replace: every bin
 * `bins` does not name becomes a bin tombstone at `lut`, and no bin stays a
 * counter (the written values are plain; every counter state goes dormant).
 */
export function replaceBins(body: LocalBody, bins: Bins, lut: HlcTimestamp): void {
  for (const name of Object.keys(body.bins)) {
    if (Object.hasOwn(bins, name)) continue;
    defineOwn(body.binLuts, name, lut);
    delete body.bins[name];
  }
  for (const name of Object.keys(body.counters)) keepDormant(body, name, body.counters[name]!);
  body.counters = {};
}

/** The body of a put of `bins` over `current` (Aerospike UPDATE, or REPLACE when `replace`). */
export function putBody(current: RecordVersion | null, bins: Bins, replace: boolean, lut: HlcTimestamp): LocalBody {
  const body = startFrom(current);
  if (replace) replaceBins(body, bins, lut);
  for (const name in bins) writeBin(body, name, bins[name]!, lut);
  return body;
}

/**
 * The epoch state of bin `name` an increment starts from: the bin's counter
 * state when it still stands for the bin's value, else the bin's current epoch
 * opened at its value (0 when absent) and at the lut of the change that set it
 * (the bin's lut, else the record's delete horizon, else 0).
 */
export function counterOfBin(body: Readonly<LocalBody>, name: string): CounterState {
  const value = Object.hasOwn(body.bins, name) ? body.bins[name] : undefined;
  const stored = Object.hasOwn(body.counters, name) ? body.counters[name] : undefined;
  // == on purpose: it compares a number and a bigint by value.
  if (stored !== undefined && (typeof value === 'number' || typeof value === 'bigint') && counterValue(stored) == value) return stored;
  const baseLut = Object.hasOwn(body.binLuts, name) ? body.binLuts[name]! : Object.hasOwn(body.binLuts, DELETE_HORIZON_BIN) ? body.binLuts[DELETE_HORIZON_BIN]! : 0;
  return openCounterEpoch(typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : 0, baseLut);
}

/**
 * `state` joined with the dormant state of bin `name` when that one is of the
 * same epoch (else `state` itself): its contributions are this epoch's, and
 * without them this region's next increment would be booked under a lower
 * total than the region already holds, which the max-per-region join drops.
 */
export function joinDormantEpoch(body: Readonly<LocalBody>, name: string, state: CounterState): CounterState {
  const dormant = body.dormant !== null && Object.hasOwn(body.dormant, name) ? body.dormant[name]! : undefined;
  return dormant !== undefined && sameCounterEpoch(dormant, state) ? mergeSameEpoch(state, dormant) : state;
}

/** Stores an incremented counter: its value (counterValue(state), computed by the caller), lut and state. */
export function setCounter(body: LocalBody, name: string, state: CounterState, value: number | bigint, lut: HlcTimestamp): void {
  defineOwn<BinValue>(body.bins, name, value);
  defineOwn(body.binLuts, name, lut);
  defineOwn(body.counters, name, state);
}

/**
 * Whether the body is left without bins, in which case the version is a
 * tombstone. Removing the last bin is not a record delete: such a tombstone
 * states its horizon explicitly (0 when there was none) so that it does not
 * delete concurrent writes made elsewhere.
 */
export function sealBody(body: LocalBody): boolean {
  for (const _ in body.bins) return false;
  if (!Object.hasOwn(body.binLuts, DELETE_HORIZON_BIN)) body.binLuts[DELETE_HORIZON_BIN] = 0;
  // Every bin removal already made its counter dormant; this keeps the rule true whatever the caller did.
  for (const name of Object.keys(body.counters)) keepDormant(body, name, body.counters[name]!);
  body.counters = {};
  return true;
}

/** Identity, time and origin of a local change. */
export interface LocalStamp {
  ns: string;
  set: string;
  digest: Digest;
  /** HLC time of the change, newer than anything the region has seen. */
  lut: HlcTimestamp;
  region: number;
  voidTime: number;
  key: UserKey | undefined;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** The version a change makes of `current`: the stamp, the next generation, the body (sealBody said `deleted`). */
export function versionFromBody(current: RecordVersion | null, body: LocalBody, deleted: boolean, stamp: LocalStamp): RecordVersion {
  const v: RecordVersion = {
    ns: stamp.ns,
    set: stamp.set,
    digest: stamp.digest,
    generation: (current === null ? 0 : current.generation) + 1,
    voidTime: stamp.voidTime,
    lut: stamp.lut,
    region: stamp.region,
    deleted,
    bins: body.bins,
    binLuts: body.binLuts,
  };
  if (stamp.key !== undefined) v.key = stamp.key;
  if (!deleted && !isEmpty(body.counters)) v.counters = body.counters;
  if (body.dormant !== null && !isEmpty(body.dormant)) v.dormantCounters = body.dormant;
  return v;
}

/**
 * The tombstone a durable delete of `current` leaves: no bins, no bin luts,
 * the delete's lut (its horizon), generation + 1, and every counter state the
 * record held, dormant: under lww a concurrent increment made elsewhere may win
 * over the tombstone and must then still count this region's earlier increments.
 */
export function tombstoneOf(current: RecordVersion, lut: HlcTimestamp, region: number): RecordVersion {
  const t: RecordVersion = {
    ns: current.ns,
    set: current.set,
    digest: current.digest,
    generation: current.generation + 1,
    voidTime: 0,
    lut,
    region,
    deleted: true,
    bins: {},
    binLuts: {},
  };
  if (current.key !== undefined) t.key = current.key;
  const kept = counterStatesOf(current);
  if (kept !== null) t.dormantCounters = kept;
  return t;
}
