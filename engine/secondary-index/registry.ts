/**
 * The secondary indexes of one namespace: definitions, the live indexes, and
 * the one hook the engine calls after every stored change (`onWrite`).
 */
import type { Bins } from '../../record/index.js';
import type { QueryFilter, SecondaryIndexSpec } from '../api.js';
import { opsError } from '../operations/index.js';
import { filterType, isCollection, isContext, sameTarget } from './keys.js';
import { SecondaryIndex } from './secondary-index.js';
import { BIN_NAME_BYTES_MAX } from '../limits.js';

/** Aerospike's limit per namespace. */
export const INDEXES_PER_NAMESPACE_MAX = 256;
/** Aerospike's limit on index names. */
export const INDEX_NAME_BYTES_MAX = 255;

const encoder = new TextEncoder();

/** Checks a spec's shape (not whether it clashes with existing indexes). */
export function checkIndexSpec(spec: SecondaryIndexSpec): void {
  const bad = (what: string): never => {
    throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `secondary index spec: ${what}`, { spec });
  };
  if (typeof spec !== 'object' || spec === null) bad('must be an object');
  if (typeof spec.name !== 'string' || spec.name.length === 0 || encoder.encode(spec.name).length > INDEX_NAME_BYTES_MAX) {
    bad(`name must be 1..${INDEX_NAME_BYTES_MAX} bytes`);
  }
  if (typeof spec.ns !== 'string' || spec.ns.length === 0) bad('ns must be a namespace name');
  if (spec.set !== undefined && typeof spec.set !== 'string') bad('set must be a string when given');
  if (typeof spec.bin !== 'string' || spec.bin.length === 0 || encoder.encode(spec.bin).length > BIN_NAME_BYTES_MAX) {
    bad(`bin must be 1..${BIN_NAME_BYTES_MAX} bytes`);
  }
  if (spec.type !== 'integer' && spec.type !== 'string' && spec.type !== 'blob' && spec.type !== 'geo2dsphere') bad('type must be "integer", "string", "blob" or "geo2dsphere"');
  if (spec.collection !== undefined && !isCollection(spec.collection)) bad('collection must be "list", "mapkeys" or "mapvalues" when given');
  if (spec.context !== undefined && !isContext(spec.context)) bad('context must be at most 16 { type, value } steps with string or integer values');
  if (spec.collection === 'mapkeys' && spec.type !== 'string') bad('map keys are strings in this engine: a mapkeys index is of type "string"');
}

/** A spec with only the documented fields (what is persisted and listed). */
export function normaliseSpec(spec: SecondaryIndexSpec): SecondaryIndexSpec {
  const out: SecondaryIndexSpec = { name: spec.name, ns: spec.ns, bin: spec.bin, type: spec.type };
  if (spec.set !== undefined && spec.set !== '') out.set = spec.set;
  if (spec.collection !== undefined) out.collection = spec.collection;
  if (spec.context !== undefined && spec.context.length > 0) out.context = spec.context.map((s) => ({ type: s.type, value: s.value }));
  return out;
}

export class SecondaryIndexes {
  private readonly byName = new Map<string, SecondaryIndex>();

  constructor(readonly ns: string) {}

  get count(): number {
    return this.byName.size;
  }

  list(): SecondaryIndexSpec[] {
    return [...this.byName.values()].map((index) => ({ ...index.spec }));
  }

  get(name: string): SecondaryIndex | undefined {
    return this.byName.get(name);
  }

  all(): SecondaryIndex[] {
    return [...this.byName.values()];
  }

  /** Registers an empty index (the caller builds it from existing records). */
  add(spec: SecondaryIndexSpec): SecondaryIndex {
    checkIndexSpec(spec);
    const clean = normaliseSpec(spec);
    if (clean.ns !== this.ns) throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `index "${clean.name}" names namespace "${clean.ns}", not "${this.ns}"`);
    if (this.byName.has(clean.name)) {
      throw opsError('ENGINE_ERR_SINDEX_EXISTS', `a secondary index named "${clean.name}" already exists in namespace "${this.ns}"; drop it first or pick another name`, { name: clean.name });
    }
    for (const other of this.byName.values()) {
      if (sameTarget(other.spec, clean) && other.spec.set === clean.set && other.spec.type === clean.type) {
        throw opsError('ENGINE_ERR_SINDEX_EXISTS', `index "${other.spec.name}" already covers bin "${clean.bin}" (${clean.type}${clean.collection === undefined ? '' : `, ${clean.collection}`}) in ${clean.set === undefined ? 'all sets' : `set "${clean.set}"`}`, {
          name: clean.name,
          existing: other.spec.name,
        });
      }
    }
    if (this.byName.size >= INDEXES_PER_NAMESPACE_MAX) {
      throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `namespace "${this.ns}" already has ${INDEXES_PER_NAMESPACE_MAX} secondary indexes, the limit`);
    }
    const index = new SecondaryIndex(clean);
    this.byName.set(clean.name, index);
    return index;
  }

  remove(name: string): void {
    if (!this.byName.delete(name)) {
      throw opsError('ENGINE_ERR_SINDEX_NOT_FOUND', `no secondary index named "${name}" in namespace "${this.ns}"`, { name });
    }
  }

  /** Keeps every index in step with a stored change: `bins` is the record's new live state, null when it is gone. */
  onWrite(slot: number, set: string, bins: Bins | null): void {
    for (const index of this.byName.values()) index.update(slot, set, bins);
  }

  /**
   * The index that answers `filter`, optionally for one set: one on the filter's
   * bin and type, limited to that set, else one covering all sets.
   */
  forQuery(filter: QueryFilter, set: string | undefined): SecondaryIndex {
    const type = filterType(filter);
    let fallback: SecondaryIndex | undefined;
    for (const index of this.byName.values()) {
      if (!sameTarget(index.spec, filter) || index.spec.type !== type) continue;
      // Best: the index limited to exactly the queried set, or for a query of all sets an index of all sets.
      if (index.spec.set === set) return index;
      // Next: an index of all sets answers a one-set query (the set is checked per record);
      // an index of one set answers a query without a set (it holds what exists to find).
      if (set === undefined || index.spec.set === undefined) fallback ??= index;
    }
    if (fallback !== undefined) return fallback;
    throw opsError(
      'ENGINE_ERR_SINDEX_NOT_FOUND',
      `no ${type} secondary index on bin "${filter.bin}"${set === undefined ? '' : ` covering set "${set}"`} in namespace "${this.ns}"; create one first`,
      { bin: filter.bin, set, type },
    );
  }
}
