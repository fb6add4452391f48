/**
 * What engine-ops keeps per namespace: its secondary indexes (and the file of
 * their definitions), its operation statistics and per-set object counts. The
 * namespace's single write path reports every stored change here
 * (Namespace.changeObserver), so indexes and counts can never miss a write,
 * delete, expiry, eviction or replicated version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { SecondaryIndexSpec } from './api.js';
import type { Namespace } from './namespace.js';
import { SecondaryIndexes, decodeIndexSpecs, encodeIndexSpecs } from './sindex/index.js';
import { OpsStats } from './stats/index.js';
import type { Bins } from './types.js';

export const SINDEX_SPEC_FILE = 'sindex-specs.json';

/** What Namespace.store / Namespace.drop call after each change (see namespace.ts). */
export interface ChangeObserver {
  /**
   * `slot` now holds `bins` as a live record of `set` (null: it holds a
   * tombstone or nothing any more); `wasLive` says whether it held a live
   * (non-tombstone) record before.
   */
  onStored(slot: number, set: string, bins: Bins | null, wasLive: boolean): void;
}

export class NamespaceOpsState implements ChangeObserver {
  readonly sindexes: SecondaryIndexes;
  readonly stats = new OpsStats();
  readonly specFile: string;
  /** Builds in progress by index name: queries on that index wait for them. */
  readonly builds = new Map<string, Promise<void>>();
  private readonly logger: Logger;

  constructor(readonly ns: Namespace) {
    this.sindexes = new SecondaryIndexes(ns.name);
    this.specFile = path.join(ns.options.dir, SINDEX_SPEC_FILE);
    this.logger = ns.logger.child({ module: 'engine-ops' });
  }

  onStored(slot: number, set: string, bins: Bins | null, wasLive: boolean): void {
    if (this.sindexes.count > 0) this.sindexes.onWrite(slot, set, bins);
    this.stats.onObjectChange(wasLive ? set : null, bins === null ? null : set);
  }

  /** Per-set counts from the primary index alone (no device reads), at open. */
  countSetObjects(): void {
    const index = this.ns.index;
    const perSetId = new Map<number, number>();
    index.forEach((slot) => {
      if (!index.isTombstone(slot)) perSetId.set(index.setId(slot), (perSetId.get(index.setId(slot)) ?? 0) + 1);
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
