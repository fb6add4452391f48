/**
 * Admin info commands: secondary indexes (create, delete, status, list;
 * the pre-8.1 syntax clients use with a 7.x server, and the 8.1 names),
 * UDF modules (stored, not run) and background jobs (`query-show`).
 */
import { infoFail, infoKeyValues, type InfoCommand } from '../../aerospike-protocol/index.js';
import type { SecondaryIndexSpec, SecondaryIndexType } from '../../engine/index.js';
import type { ServiceEngine, ServiceLimits } from './context.js';
import { badRequest, unsupportedFeature } from './errors.js';
import { describeJob, type JobRegistry } from './jobs.js';
import { collectionByName, collectionName, contextFromMsgpack } from './index-target.js';
import type { UdfRegistry } from './udf-registry.js';

type Handler = (cmd: InfoCommand, name: string) => string | Promise<string>;

const INDEX_TYPES: Record<string, SecondaryIndexType> = { NUMERIC: 'integer', INTEGER: 'integer', STRING: 'string', BLOB: 'blob', GEO2DSPHERE: 'geo2dsphere' };
/** How `sindex-list` names each type, as Aerospike does. */
const TYPE_NAMES: Record<SecondaryIndexType, string> = { integer: 'numeric', string: 'string', blob: 'blob', geo2dsphere: 'geo2dsphere' };

export interface InfoAdminOptions {
  engine: ServiceEngine;
  udfs: UdfRegistry;
  jobs: JobRegistry;
  limits: ServiceLimits;
}

export class InfoAdmin {
  /** Indexes whose build has not finished, by `ns/name`: `load_pct` reports 0 until it has. */
  private readonly building = new Map<string, Promise<void>>();
  readonly limits: ServiceLimits;

  constructor(private readonly o: InfoAdminOptions) {
    this.limits = o.limits;
  }

  handlers(): Array<[string, Handler]> {
    return [
      ['sindex-create', (cmd) => this.createIndex(cmd)],
      ['sindex-delete', (cmd) => this.dropIndex(cmd)],
      ['sindex-exists', (cmd) => String(this.findIndex(param(cmd, 'ns', 'namespace'), param(cmd, 'indexname')) !== undefined)],
      ['sindex', (_cmd, name) => this.indexInfo(name)],
      ['sindex-list', (cmd) => this.listIndexes(cmd.params.get('ns') ?? cmd.params.get('namespace'))],
      ['sindex-stat', (cmd) => this.indexStats(param(cmd, 'ns', 'namespace'), param(cmd, 'indexname'))],
      ['udf-put', (cmd) => this.putUdf(cmd)],
      ['udf-get', (cmd) => this.getUdf(cmd)],
      ['udf-list', () => this.o.udfs.list().map((m) => `filename=${m.filename},hash=${m.hash},type=${m.type};`).join('')],
      ['udf-remove', async (cmd) => (await this.o.udfs.remove(param(cmd, 'filename')), 'OK')],
      ['query-show', (cmd) => this.showJob(cmd)],
      ['scan-show', (cmd) => this.showJob(cmd)],
    ];
  }

  private findIndex(ns: string, name: string): SecondaryIndexSpec | undefined {
    if (!this.o.engine.namespaces().includes(ns)) return undefined;
    return this.o.engine.listIndexes(ns).find((s) => s.name === name);
  }

  private async createIndex(cmd: InfoCommand): Promise<string> {
    const ns = param(cmd, 'ns', 'namespace');
    const name = param(cmd, 'indexname');
    const set = cmd.params.get('set');
    let bin: string;
    let typeName: string;
    const data = cmd.params.get('indexdata');
    if (data !== undefined) {
      const comma = data.indexOf(',');
      if (comma < 0) throw badRequest(`indexdata=${data} must be <bin>,<type>`);
      bin = data.slice(0, comma);
      typeName = data.slice(comma + 1);
    } else {
      bin = param(cmd, 'bin');
      typeName = param(cmd, 'type');
    }
    if (cmd.params.has('exp')) throw unsupportedFeature('expression indexes are not supported');
    const type = INDEX_TYPES[typeName.toUpperCase()];
    if (type === undefined) throw unsupportedFeature(`${typeName} indexes are not supported; use NUMERIC, STRING, BLOB or GEO2DSPHERE`);
    const spec: SecondaryIndexSpec = { ns, name, bin, type };
    if (set !== undefined && set.length > 0) spec.set = set;
    const collection = collectionByName(cmd.params.get('indextype') ?? 'DEFAULT');
    if (collection !== undefined) spec.collection = collection;
    const context = cmd.params.get('context');
    if (context !== undefined && context.length > 0) spec.context = contextFromMsgpack(Buffer.from(context, 'base64'));
    const build = this.o.engine.createIndex(spec);
    const key = `${ns}/${name}`;
    this.building.set(key, build.catch(() => undefined));
    build.finally(() => this.building.delete(key)).catch(() => undefined);
    // The definition is checked (and a duplicate refused) before the build starts; wait that long only.
    await Promise.race([build, new Promise<void>((resolve) => setImmediate(resolve))]);
    return 'OK';
  }

  private async dropIndex(cmd: InfoCommand): Promise<string> {
    await this.o.engine.dropIndex(param(cmd, 'ns', 'namespace'), param(cmd, 'indexname'));
    return 'OK';
  }

  private describe(spec: SecondaryIndexSpec): string {
    return [
      `ns=${spec.ns}`,
      `indexname=${spec.name}`,
      `set=${spec.set ?? 'NULL'}`,
      `bin=${spec.bin}`,
      `type=${TYPE_NAMES[spec.type]}`,
      `indextype=${collectionName(spec.collection)}`,
      `context=${spec.context === undefined ? 'NULL' : JSON.stringify(spec.context)}`,
      `state=${this.building.has(`${spec.ns}/${spec.name}`) ? 'WO' : 'RW'}`,
    ].join(':');
  }

  private listIndexes(ns: string | undefined): string {
    const out: string[] = [];
    for (const n of this.o.engine.namespaces()) {
      if (ns !== undefined && n !== ns) continue;
      for (const spec of this.o.engine.listIndexes(n)) out.push(`${this.describe(spec)};`);
    }
    return out.join('');
  }

  /** `sindex`, `sindex/<ns>` (lists) and `sindex/<ns>/<name>` (one index's statistics). */
  private indexInfo(name: string): string {
    const parts = name.split('/');
    if (parts.length <= 2) return this.listIndexes(parts[1]);
    return this.indexStats(parts[1]!, parts.slice(2).join('/'));
  }

  private indexStats(ns: string, name: string): string {
    const spec = this.findIndex(ns, name);
    if (spec === undefined) return infoFail(201, 'NO INDEX');
    const stats = (this.o.engine.stats?.(ns) as { sindexes?: Array<{ name: string; entries: number; bytesEstimate: number }> } | undefined)?.sindexes?.find((s) => s.name === name);
    const loading = this.building.has(`${ns}/${name}`);
    // Clients read load_pct up to the next ';', so it is never last.
    return infoKeyValues([
      ['entries', stats?.entries ?? 0],
      ['memory_used', stats?.bytesEstimate ?? 0],
      ['load_pct', loading ? 0 : 100],
      ['loadtime', 0],
      ['stat_gc_recs', 0],
    ]);
  }

  private async putUdf(cmd: InfoCommand): Promise<string> {
    const filename = param(cmd, 'filename');
    const b64 = param(cmd, 'content');
    const content = Buffer.from(b64, 'base64');
    await this.o.udfs.put(filename, content, cmd.params.get('udf-type') ?? 'LUA');
    return 'OK';
  }

  private getUdf(cmd: InfoCommand): string {
    const m = this.o.udfs.get(param(cmd, 'filename'));
    if (m === undefined) return infoFail(100, 'not_found');
    return `gen=${m.hash};type=${m.type};content=${m.content.toString('base64')};`;
  }

  private showJob(cmd: InfoCommand): string {
    const trid = cmd.params.get('trid') ?? cmd.params.get('id');
    if (trid === undefined) return this.o.jobs.all().map((j) => `${describeJob(j)};`).join('');
    const job = this.o.jobs.get(trid);
    // Clients read "job not found" (2) as finished: the job ran elsewhere or was forgotten.
    return job === undefined ? infoFail(2, 'job not found') : describeJob(job);
  }
}

/** A required parameter (first of the names given that is present). */
function param(cmd: InfoCommand, ...names: string[]): string {
  for (const n of names) {
    const v = cmd.params.get(n);
    if (v !== undefined && v.length > 0) return v;
  }
  throw badRequest(`${cmd.command} needs ${names.join(' or ')}=`);
}
