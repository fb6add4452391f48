/**
 * What the engine's requests keep per namespace: its secondary indexes (and the file of
 * their definitions), its operation statistics and per-set object counts. The
 * namespace's single write path reports every stored change here
 * (Namespace.changeListeners), so indexes and counts can never miss a write,
 * delete, expiry, eviction or replicated version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { SecondaryIndexSpec } from '../api.js';
import type { Namespace } from '../namespace/namespace.js';
import { SecondaryIndexes, decodeIndexSpecs, encodeIndexSpecs } from '../secondary-index/index.js';
import { OpsStats } from '../stats/index.js';
import type { RecordVersion } from '../../record/index.js';

export const SINDEX_SPEC_FILE = 'sindex-specs.json';

/** Live (stored, not a tombstone) flags per primary-index slot, one bit each. */
class SlotBits {
  private words = new Uint32Array(1024);

  get(slot: number): boolean {
    const w = slot >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (slot & 31))) !== 0;
  }

  set(slot: number, on: boolean): void {
    const w = slot >>> 5;
    if (w >= this.words.length) {
      if (!on) return;
      let length = this.words.length;
      while (length <= w) length *= 2;
      const grown = new Uint32Array(length);
      grown.set(this.words);
      this.words = grown;
    }
    if (on) this.words[w]! |= 1 << (slot & 31);
    else this.words[w]! &= ~(1 << (slot & 31));
  }

  clear(): void {
    this.words.fill(0);
  }
}

export class NamespaceRequestState {
  readonly sindexes: SecondaryIndexes;
  readonly stats = new OpsStats();
  readonly specFile: string;
  /** Builds in progress by index name: queries on that index wait for them. */
  readonly builds = new Map<string, Promise<void>>();
  private readonly logger: Logger;
  /** Which slots hold a live record, so a change knows whether it added or removed an object of its set. */
  private readonly live = new SlotBits();

  constructor(readonly ns: Namespace) {
    this.sindexes = new SecondaryIndexes(ns.name);
    this.specFile = path.join(ns.options.dir, SINDEX_SPEC_FILE);
    this.logger = ns.logger.child({ module: 'engine-requests' });
    // Secondary indexes count against the namespace's memory-size, as in Aerospike.
    ns.memory.secondaryIndexBytes = () => {
      let bytes = 0;
      for (const index of this.sindexes.all()) bytes += index.bytesEstimate();
      return bytes;
    };
  }

  /**
   * The namespace's change listener (Namespace.changeListeners): called
   * synchronously after every stored version of `slot`, or with null before an
   * entry is removed (non-durable delete, expiry, eviction, tombstone collection).
   */
  onChange(slot: number, version: RecordVersion | null): void {
    const index = this.ns.index;
    const set = version === null ? index.sets.nameOf(index.setId(slot)) : version.set;
    const bins = version === null || version.deleted ? null : version.bins;
    if (this.sindexes.count > 0) this.sindexes.onWrite(slot, set, bins);
    const wasLive = this.live.get(slot);
    this.live.set(slot, bins !== null);
    this.stats.onObjectChange(wasLive ? set : null, bins === null ? null : set);
  }

  /** Per-set counts and live slots from the primary index alone (no device reads), at open. */
  countSetObjects(): void {
    const index = this.ns.index;
    const perSetId = new Map<number, number>();
    this.live.clear();
    index.forEach((slot) => {
      if (index.isTombstone(slot)) return;
      this.live.set(slot, true);
      perSetId.set(index.setId(slot), (perSetId.get(index.setId(slot)) ?? 0) + 1);
    });
    this.stats.resetSetObjects([...perSetId].map(([id, n]) => [index.sets.nameOf(id), n]));
  }

  loadSpecs(): SecondaryIndexSpec[] {
    let text: string;
    try {
      text = fs.readFileSync(this.specFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return decodeIndexSpecs(text, this.specFile);
  }

  /** Writes the definitions atomically (temp file, fsync, rename), so a crash leaves the old or the new list. */
  saveSpecs(): void {
    const tmp = `${this.specFile}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, encodeIndexSpecs(this.sindexes.list()));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.specFile);
    this.logger.debug({ indexes: this.sindexes.count }, 'secondary index definitions saved');
  }
}
