/**
 * A small in-memory stand-in for the engine (EngineApi + EngineOpsApi) so the
 * HTTP layer can be tested with inject() without the storage engine. It keeps
 * only what the API shows: bins, generation, ttl, lut, region. Keys are
 * compared by type and value; operate supports the scalar steps and a few
 * collection steps, enough to exercise the request paths.
 */
import type { EngineApi, EngineOpsApi, Operation, OperateResult, QueryFilter, ScanOptions, SecondaryIndexSpec, WritePolicy } from '../../../engine/api.js';
import type { BinValue, Bins, RecordKey, RecordMetaView, StoredRecord } from '../../../engine/types.js';
import { EngineError } from '../../../engine/errors.js';

interface Entry {
  key: RecordKey['key'];
  set: string;
  bins: Bins;
  generation: number;
  lut: number;
}

function id(key: RecordKey): string {
  const k = key.key;
  if (k === undefined) return `${key.ns}\u0000${key.set}\u0000d:${Buffer.from(key.digest!).toString('hex')}`;
  const text = k instanceof Uint8Array ? `b:${Buffer.from(k).toString('hex')}` : `${typeof k === 'string' ? 's' : 'i'}:${k.toString()}`;
  return `${key.ns}\u0000${key.set}\u0000${text}`;
}

export class FakeEngine implements EngineApi, EngineOpsApi {
  readonly regionId: number;
  readonly data = new Map<string, Entry>();
  readonly indexes: SecondaryIndexSpec[] = [];
  private clock = 1;
  closed = false;

  constructor(private readonly ns: string[] = ['user_data', 'sessions'], regionId = 1) {
    this.regionId = regionId;
  }

  namespaces(): string[] {
    return [...this.ns];
  }

  private check(key: RecordKey): void {
    if (!this.ns.includes(key.ns)) throw new EngineError('ENGINE_ERR_NAMESPACE_NOT_FOUND', `no namespace ${key.ns}`);
    for (const name of Object.keys(this.data.get(id(key))?.bins ?? {})) if (Buffer.byteLength(name) > 15) throw new EngineError('ENGINE_ERR_BIN_NAME_TOO_LONG', name);
  }

  private meta(e: Entry): RecordMetaView {
    return { generation: e.generation, ttl: -1, lut: e.lut, region: this.regionId };
  }

  private policyCheck(existing: Entry | undefined, policy: WritePolicy): void {
    const exists = policy.exists ?? 'upsert';
    if (exists === 'create' && existing) throw new EngineError('ENGINE_ERR_RECORD_EXISTS', 'exists');
    if ((exists === 'update' || exists === 'replace') && !existing) throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', 'absent');
    if (policy.generation) {
      const gen = existing?.generation ?? 0;
      const ok = policy.generation.mode === 'eq' ? gen === policy.generation.value : policy.generation.value > gen;
      if (!ok) throw new EngineError('ENGINE_ERR_GENERATION_MISMATCH', `generation is ${gen}`);
    }
  }

  async put(key: RecordKey, bins: Bins, policy: WritePolicy = {}): Promise<RecordMetaView> {
    this.check(key);
    for (const name of Object.keys(bins)) if (Buffer.byteLength(name) > 15) throw new EngineError('ENGINE_ERR_BIN_NAME_TOO_LONG', `bin name ${name} is longer than 15 bytes`);
    const existing = this.data.get(id(key));
    this.policyCheck(existing, policy);
    const replace = policy.exists === 'replace' || policy.exists === 'create-or-replace';
    const merged: Bins = { ...(replace ? {} : existing?.bins ?? {}) };
    for (const [k, v] of Object.entries(bins)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const entry: Entry = { key: key.key, set: key.set, bins: merged, generation: (existing?.generation ?? 0) + 1, lut: this.now() };
    this.data.set(id(key), entry);
    return this.meta(entry);
  }

  async get(key: RecordKey, options: { bins?: string[] } = {}): Promise<StoredRecord | null> {
    this.check(key);
    const e = this.data.get(id(key));
    if (!e) return null;
    const bins = options.bins ? Object.fromEntries(Object.entries(e.bins).filter(([k]) => options.bins!.includes(k))) : { ...e.bins };
    return { ...this.meta(e), key: e.key, digest: new Uint8Array(20), bins };
  }

  async exists(key: RecordKey): Promise<RecordMetaView | null> {
    const e = this.data.get(id(key));
    return e ? this.meta(e) : null;
  }

  async remove(key: RecordKey): Promise<boolean> {
    this.check(key);
    return this.data.delete(id(key));
  }

  async touch(key: RecordKey): Promise<RecordMetaView> {
    const e = this.data.get(id(key));
    if (!e) throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', 'absent');
    e.generation += 1;
    return this.meta(e);
  }

  async readVersion(): Promise<null> {
    return null;
  }
  async applyVersion(): Promise<{ applied: boolean }> {
    return { applied: false };
  }
  async *scanVersionsSince(): AsyncIterable<never> {}
  changeLog(): never {
    throw new Error('FakeEngine has no change log');
  }
  now(): number {
    this.clock += 1;
    return Date.now() * 1024 + (this.clock % 1024);
  }
  async close(): Promise<void> {
    this.closed = true;
  }

  async operate(key: RecordKey, ops: Operation[], policy: WritePolicy = {}): Promise<OperateResult> {
    this.check(key);
    const existing = this.data.get(id(key));
    this.policyCheck(existing, policy);
    const bins: Bins = structuredClone(existing?.bins ?? {});
    const results: BinValue[] = [];
    for (const op of ops) {
      switch (op.op) {
        case 'read':
          results.push(bins[op.bin] ?? null);
          break;
        case 'write':
          bins[op.bin] = op.value;
          results.push(null);
          break;
        case 'incr': {
          const cur = bins[op.bin] ?? 0;
          if (typeof cur !== 'number') throw new EngineError('ENGINE_ERR_BIN_TYPE_MISMATCH', `bin ${op.bin} is not a number`);
          bins[op.bin] = cur + Number(op.value);
          results.push(null);
          break;
        }
        case 'list-append': {
          const cur = (bins[op.bin] ?? []) as BinValue[];
          bins[op.bin] = [...cur, op.value];
          results.push(cur.length + 1);
          break;
        }
        case 'map-put': {
          const cur = (bins[op.bin] ?? {}) as Record<string, BinValue>;
          bins[op.bin] = { ...cur, [op.key]: op.value };
          results.push(null);
          break;
        }
        default:
          results.push(null);
      }
    }
    const entry: Entry = { key: key.key, set: key.set, bins, generation: (existing?.generation ?? 0) + 1, lut: this.now() };
    this.data.set(id(key), entry);
    return { ...this.meta(entry), results };
  }

  async batchGet(keys: RecordKey[], options: { bins?: string[] } = {}): Promise<Array<StoredRecord | null>> {
    if (keys.length > 5000) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', 'too many keys');
    return Promise.all(keys.map((k) => this.get(k, options)));
  }

  async *scan(ns: string, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
    if (!this.ns.includes(ns)) throw new EngineError('ENGINE_ERR_NAMESPACE_NOT_FOUND', `no namespace ${ns}`);
    for (const [k, e] of this.data) {
      if (options.signal?.aborted) return;
      if (!k.startsWith(`${ns}\u0000`) || (options.set && e.set !== options.set)) continue;
      yield { ...this.meta(e), key: e.key, digest: new Uint8Array(20), bins: { ...e.bins } };
    }
  }

  async createIndex(spec: SecondaryIndexSpec): Promise<void> {
    if (this.indexes.some((i) => i.ns === spec.ns && i.name === spec.name)) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `index ${spec.name} exists`);
    this.indexes.push(spec);
  }
  async dropIndex(ns: string, name: string): Promise<void> {
    const i = this.indexes.findIndex((x) => x.ns === ns && x.name === name);
    if (i >= 0) this.indexes.splice(i, 1);
  }
  listIndexes(ns: string): SecondaryIndexSpec[] {
    return this.indexes.filter((i) => i.ns === ns);
  }

  async *query(ns: string, filter: QueryFilter, options: ScanOptions = {}): AsyncIterable<StoredRecord> {
    if (!this.indexes.some((i) => i.ns === ns && i.bin === filter.bin)) throw new EngineError('ENGINE_ERR_INVALID_ARGUMENT', `no index on bin ${filter.bin}`);
    for await (const r of this.scan(ns, options)) {
      const v = r.bins[filter.bin];
      if ('equals' in filter ? v === filter.equals : typeof v === 'number' && v >= Number(filter.between[0]) && v <= Number(filter.between[1])) yield r;
    }
  }
}
