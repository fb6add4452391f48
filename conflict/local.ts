/**
 * The local update rules, as pure functions on versions: what a region stores
 * when its own client writes, deletes or increments. The engine implements the
 * same rules in its write path (it cannot import conflict/); the simulations in
 * test/unit/conflict/ use these to play histories. docs/conflict.md states them.
 */
import { applyLocalIncrement, counterValue, openCounterEpoch } from './counter.js';
import { DELETE_HORIZON_BIN, deleteHorizon } from './bin-state.js';
import { ConflictError } from './errors.js';
import type { Bins, CounterState, HlcTimestamp, UserKey, Version } from './types.js';

/** Where and when a local change happens. */
export interface LocalChange {
  ns: string;
  set: string;
  digest: Uint8Array;
  key?: UserKey;
  /** HLC time of the change, newer than anything the region has seen. */
  lut: HlcTimestamp;
  region: number;
  /** @default 0 (never expires) */
  voidTime?: number;
}

interface Working {
  bins: Bins;
  binLuts: Record<string, HlcTimestamp>;
  counters: Record<string, CounterState>;
}

/**
 * The content a change starts from. A tombstone has no bins but keeps its bin
 * tombstones (a merged tombstone can hold removals newer than its horizon) and
 * states its horizon explicitly, because the new version is live.
 */
function startFrom(current: Version | null): Working {
  if (current === null) return { bins: {}, binLuts: {}, counters: {} };
  if (current.deleted) {
    return { bins: {}, binLuts: { ...current.binLuts, [DELETE_HORIZON_BIN]: deleteHorizon(current) }, counters: {} };
  }
  return { bins: { ...current.bins }, binLuts: { ...current.binLuts }, counters: { ...(current.counters ?? {}) } };
}

function finish(current: Version | null, w: Working, change: LocalChange): Version {
  const deleted = Object.keys(w.bins).length === 0;
  if (deleted && !Object.hasOwn(w.binLuts, DELETE_HORIZON_BIN)) {
    // Without it a bin-less tombstone would imply a horizon at its own lut and delete
    // concurrent writes elsewhere; removing the last bin is not a record delete.
    w.binLuts[DELETE_HORIZON_BIN] = current === null ? 0 : deleteHorizon(current);
  }
  const v = nextVersion(current, change, deleted, w.bins, w.binLuts);
  if (Object.keys(w.counters).length > 0) v.counters = w.counters;
  return v;
}

/**
 * The version a local change makes of `current`: the change's identity, time and
 * origin, the next generation, and the key the change names or the record had.
 * Writes and deletes share it so the two can never stamp a version differently.
 */
function nextVersion(current: Version | null, change: LocalChange, deleted: boolean, bins: Bins, binLuts: Record<string, HlcTimestamp>): Version {
  const v: Version = {
    ns: change.ns,
    set: change.set,
    digest: change.digest,
    generation: (current?.generation ?? 0) + 1,
    voidTime: change.voidTime ?? 0,
    lut: change.lut,
    region: change.region,
    deleted,
    bins,
    binLuts,
  };
  const key = change.key ?? current?.key;
  if (key !== undefined) v.key = key;
  return v;
}

/**
 * A client write merging `bins` into the record (Aerospike UPDATE): null
 * removes a bin (a bin tombstone); a number written to a counter bin opens a
 * new epoch; anything else written to it ends the counter.
 */
export function localWrite(current: Version | null, bins: Bins, change: LocalChange): Version {
  const w = startFrom(current);
  for (const [name, value] of Object.entries(bins)) {
    w.binLuts[name] = change.lut;
    if (value === null) delete w.bins[name];
    else w.bins[name] = value;
    const wasCounter = Object.hasOwn(w.counters, name);
    // As engine/record-ops.ts does: only a number keeps the bin a counter (a new epoch).
    if (wasCounter && typeof value === 'number') w.counters[name] = openCounterEpoch(value, change.lut);
    else delete w.counters[name];
  }
  return finish(current, w, change);
}

/** A durable delete: a tombstone whose lut is its horizon. */
export function localDelete(current: Version | null, change: LocalChange): Version {
  return nextVersion(current, change, true, {}, {});
}

/**
 * An increment of bin `bin` by `delta`: the bin's counter state when it still
 * stands for the bin's value, else its current epoch opened at its value
 * (0 when absent) and at the lut of the change that set it — the bin's lut, or
 * the record's delete horizon, or 0.
 */
export function localIncrement(current: Version | null, bin: string, delta: number, change: LocalChange): Version {
  const w = startFrom(current);
  const value = Object.hasOwn(w.bins, bin) ? w.bins[bin] : undefined;
  if (value !== undefined && typeof value !== 'number' && typeof value !== 'bigint') {
    throw new ConflictError('CONFLICT_ERR_INVALID_INCREMENT', `bin ${bin} holds a ${typeof value}, not a number; it cannot be incremented`, { bin });
  }
  let state = Object.hasOwn(w.counters, bin) ? w.counters[bin] : undefined;
  // == on purpose: it compares a number and a bigint by value.
  if (state !== undefined && (value === undefined || counterValue(state) != value)) state = undefined;
  if (state === undefined) {
    const epochLut = Object.hasOwn(w.binLuts, bin) ? w.binLuts[bin]! : (w.binLuts[DELETE_HORIZON_BIN] ?? 0);
    state = openCounterEpoch(value === undefined ? 0 : Number(value), epochLut);
  }
  state = applyLocalIncrement(state, change.region, delta);
  w.counters[bin] = state;
  w.bins[bin] = counterValue(state);
  w.binLuts[bin] = change.lut;
  return finish(current, w, change);
}
