/**
 * One secondary index: (key, slot) pairs in order plus, per slot, the key it is
 * filed under. Knowing each slot's current key means a delete or expiry needs only
 * the slot (nsup need not read a record from the device to unindex it), and an
 * update needs only the record's new bins.
 */
import type { Bins } from '../../record/index.js';
import type { SecondaryIndexSpec } from '../api.js';
import { indexKeyOf, targetValues } from './keys.js';
import { geoValueKeys } from './geo-filter.js';
import { SortedEntries, type EntryCursor, type IndexKey } from './sorted-entries.js';

/** Marks a slot whose key is a bigint (kept in `bigKeys`); no integer or string hash is ever this value. */
const BIG_KEY = Number.POSITIVE_INFINITY;

export class SecondaryIndex {
  readonly spec: Readonly<SecondaryIndexSpec>;
  private readonly entries = new SortedEntries();
  /** Key per slot; NaN = not indexed. Grows ×2 as slots grow (8 B per slot). */
  private keyBySlot = new Float64Array(1024).fill(Number.NaN);
  private readonly bigKeys = new Map<number, bigint>();
  /**
   * Collection indexes (list elements, map keys or values) file a record under
   * several keys: its extra keys beyond the first, per slot.
   */
  private readonly moreKeys = new Map<number, IndexKey[]>();
  /**
   * While the index is being built from existing records, the slots that writers
   * updated meanwhile: the builder must not file an older version over them.
   */
  private touchedDuringBuild: Set<number> | null = null;

  constructor(spec: SecondaryIndexSpec) {
    this.spec = Object.freeze({ ...spec });
  }

  get size(): number {
    return this.entries.size;
  }

  get building(): boolean {
    return this.touchedDuringBuild !== null;
  }

  bytesEstimate(): number {
    return this.entries.bytesEstimate() + this.keyBySlot.byteLength + this.bigKeys.size * 64 + this.moreKeys.size * 96;
  }

  private keyAt(slot: number): IndexKey | undefined {
    if (slot >= this.keyBySlot.length) return undefined;
    const key = this.keyBySlot[slot]!;
    if (Number.isNaN(key)) return undefined;
    return key === BIG_KEY ? this.bigKeys.get(slot) : key;
  }

  private setKeyAt(slot: number, key: IndexKey | undefined): void {
    if (slot >= this.keyBySlot.length) {
      if (key === undefined) return;
      let length = this.keyBySlot.length;
      while (length <= slot) length *= 2;
      const grown = new Float64Array(length).fill(Number.NaN);
      grown.set(this.keyBySlot);
      this.keyBySlot = grown;
    }
    this.bigKeys.delete(slot);
    if (key === undefined) this.keyBySlot[slot] = Number.NaN;
    else if (typeof key === 'bigint') {
      this.keyBySlot[slot] = BIG_KEY;
      this.bigKeys.set(slot, key);
    } else this.keyBySlot[slot] = key;
  }

  /** The keys this record would be filed under (none, one, or for collection indexes one per distinct element). */
  keysFor(set: string, bins: Bins | null): IndexKey[] {
    if (bins === null) return [];
    if (this.spec.set !== undefined && set !== this.spec.set) return [];
    const keys: IndexKey[] = [];
    if (this.spec.type === 'geo2dsphere') {
      for (const value of targetValues(this.spec, bins)) for (const key of geoValueKeys(value)) if (!keys.includes(key)) keys.push(key);
      return keys;
    }
    for (const value of targetValues(this.spec, bins)) {
      const key = indexKeyOf(this.spec.type, value);
      // == compares number and bigint by value: one entry per distinct key.
      if (key !== undefined && !keys.some((k) => k == key)) keys.push(key);
    }
    return keys;
  }

  private keysAt(slot: number): IndexKey[] {
    const first = this.keyAt(slot);
    if (first === undefined) return [];
    const more = this.moreKeys.get(slot);
    return more === undefined ? [first] : [first, ...more];
  }

  /**
   * Files `slot` under the key of its new live state (`bins`; null when the
   * record was deleted, became a tombstone or expired).
   */
  update(slot: number, set: string, bins: Bins | null): void {
    this.touchedDuringBuild?.add(slot);
    this.file(slot, this.keysFor(set, bins));
  }

  private file(slot: number, next: IndexKey[]): void {
    const prev = this.keysAt(slot);
    if (prev.length === 1 && next.length === 1 && prev[0] === next[0]) return;
    for (const key of prev) if (!next.some((k) => k === key)) this.entries.remove(key, slot);
    for (const key of next) if (!prev.some((k) => k === key)) this.entries.insert(key, slot);
    this.setKeyAt(slot, next[0]);
    if (next.length > 1) this.moreKeys.set(slot, next.slice(1));
    else this.moreKeys.delete(slot);
  }

  beginBuild(): void {
    this.touchedDuringBuild = new Set();
  }

  /** Files a record read by the builder, unless a writer already filed a newer version of it. */
  buildAdd(slot: number, set: string, bins: Bins | null): void {
    if (this.touchedDuringBuild === null) throw new Error('SecondaryIndex.buildAdd outside a build');
    if (this.touchedDuringBuild.has(slot)) return;
    this.file(slot, this.keysFor(set, bins));
  }

  endBuild(): void {
    this.touchedDuringBuild = null;
  }

  /** One page of slots whose key lies in [lo, hi]; see SortedEntries.read. */
  read(lo: IndexKey, hi: IndexKey, after: EntryCursor | null, max: number, out: number[]): EntryCursor | null {
    return this.entries.read(lo, hi, after, max, out);
  }

  /** Every (key, slot) pair in order (tests). */
  pairs(): Array<[IndexKey, number]> {
    return [...this.entries.entries()];
  }

  checkInvariants(): void {
    this.entries.checkInvariants();
    for (const [key, slot] of this.entries.entries()) {
      if (!this.keysAt(slot).some((k) => k === key)) throw new Error(`slot ${slot} filed under ${String(key)} but keyed ${this.keysAt(slot).map(String).join(',')}`);
    }
    let keyed = 0;
    for (let slot = 0; slot < this.keyBySlot.length; slot++) if (!Number.isNaN(this.keyBySlot[slot]!)) keyed += this.keysAt(slot).length;
    if (keyed !== this.entries.size) throw new Error('per-slot keys out of step with entries');
  }
}
