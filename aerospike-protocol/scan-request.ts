/**
 * Scans and queries: an AS_MSG without a digest field. The partition form
 * (clients of servers ≥ 6.0) selects partitions with field 11 (partitions read
 * from the start) and field 12 (one digest per partition to resume after), and
 * caps the records of a page with field 13. A secondary-index query adds the
 * filter (field 22), optionally the collection type (26), a context (23) and
 * an index name (21). Background jobs are writes (info2 WRITE) with ops or a
 * UDF call.
 */
import { FieldType, Info1, Info2, OpType, ParticleType, PARTITIONS } from './constants.js';
import { GeoJson } from '../record/index.js';
import { badValue, malformed } from './errors.js';
import { fieldString, fieldTaskId, fieldUint, readDigestArray, readPartitionIds, readUtf8 } from './fields.js';
import type { MsgView } from './message.js';
import { readParticle } from './particles.js';
import type { AsValue } from './values.js';

export interface IndexFilter {
  bin: string;
  /** Particle type of the range values: INTEGER, STRING, BLOB or GEOJSON. */
  particle: number;
  begin: AsValue;
  end: AsValue;
  /** Field 26: 0 default, 1 list, 2 map keys, 3 map values. */
  collection: number;
  /** Field 23: the context of the indexed element, raw MessagePack (undefined when absent). */
  context?: Buffer;
  /** Field 21. */
  indexName?: string;
}

export interface ScanRequest {
  ns: string;
  /** Undefined: the whole namespace. */
  set?: string;
  taskId?: string;
  recordsPerSecond: number;
  /** Partitions to read from the start. */
  partitions: number[];
  /** Partitions to resume, each after the digest given. */
  resume: Buffer[];
  /** 0: no cap. */
  maxRecords: number;
  /** Bin names to return; undefined: all bins. */
  bins?: string[];
  /** Only metadata (info1 NO_BIN_DATA). */
  noBins: boolean;
  filter?: IndexFilter;
  /** A background job (info2 WRITE): the ops or UDF it applies to every record. */
  background: boolean;
  /** Field types the server may not implement: UDF calls (30..33), filter expressions (43), index expressions (24). */
  udf: boolean;
  expression: boolean;
  /** True when the client asked for partition-done markers (info3 PARTITION_DONE). */
  partitionDone: boolean;
}

/** Field 22: count (1), bin-name length, bin name, particle type, then begin and end each as a 4-byte length and bytes. */
export function readIndexRange(buf: Buffer, start: number, end: number): Omit<IndexFilter, 'collection'> {
  let pos = start;
  const need = (n: number) => {
    if (pos + n > end) throw malformed('index range field is truncated');
  };
  need(2);
  const count = buf[pos++]!;
  if (count !== 1) throw badValue(`index range field holds ${count} filters; the server takes exactly 1`);
  const nameLen = buf[pos++]!;
  need(nameLen + 1);
  const bin = readUtf8(buf, pos, pos + nameLen, 'index range bin name');
  pos += nameLen;
  const particle = buf[pos++]!;
  need(4);
  const beginLen = buf.readUInt32BE(pos);
  pos += 4;
  need(beginLen);
  const beginStart = pos;
  pos += beginLen;
  need(4);
  const endLen = buf.readUInt32BE(pos);
  pos += 4;
  need(endLen);
  const endStart = pos;
  pos += endLen;
  if (pos !== end) throw malformed(`${end - pos} bytes follow the index range`);
  return { bin, particle, begin: rangeValue(particle, buf, beginStart, beginStart + beginLen), end: rangeValue(particle, buf, endStart, endStart + endLen) };
}

/** A range end: a particle value, except that a GeoJSON query region or point is its bare text (no flags, no cells). */
function rangeValue(particle: number, buf: Buffer, start: number, end: number): AsValue {
  if (particle === ParticleType.GEOJSON) return new GeoJson(readUtf8(buf, start, end, 'GeoJSON query text'));
  return readParticle(particle, buf, start, end);
}

/** Reads the scan or query that `view` (a decoded AS_MSG without a digest) asks for. */
export function readScanRequest(view: MsgView): ScanRequest {
  const { fields, body } = view;
  const ns = fieldString(fields, body, FieldType.NAMESPACE, 'namespace');
  if (ns === undefined) throw malformed('scan or query has no namespace field');
  const req: ScanRequest = {
    ns,
    recordsPerSecond: fieldUint(fields, body, FieldType.RECORDS_PER_SECOND, 'records per second') ?? 0,
    partitions: [],
    resume: [],
    maxRecords: fieldUint(fields, body, FieldType.MAX_RECORDS, 'max records') ?? 0,
    noBins: (view.info1 & Info1.NO_BIN_DATA) !== 0,
    background: (view.info2 & Info2.WRITE) !== 0,
    udf: fields.has(FieldType.UDF_OP) || fields.has(FieldType.UDF_PACKAGE_NAME) || fields.has(FieldType.UDF_FUNCTION),
    expression: fields.has(FieldType.FILTER) || fields.has(FieldType.INDEX_EXPRESSION),
    partitionDone: (view.info3 & 0x04) !== 0,
  };
  const set = fieldString(fields, body, FieldType.SET, 'set');
  if (set !== undefined && set.length > 0) req.set = set;
  const taskId = fieldTaskId(fields, body, FieldType.TASK_ID);
  if (taskId !== undefined) req.taskId = taskId;
  if (fields.has(FieldType.PID_ARRAY)) req.partitions = readPartitionIds(body, fields.start[FieldType.PID_ARRAY]!, fields.end[FieldType.PID_ARRAY]!, PARTITIONS);
  if (fields.has(FieldType.DIGEST_ARRAY)) req.resume = readDigestArray(body, fields.start[FieldType.DIGEST_ARRAY]!, fields.end[FieldType.DIGEST_ARRAY]!);
  if (!fields.has(FieldType.PID_ARRAY) && !fields.has(FieldType.DIGEST_ARRAY)) {
    // No partition selection (older clients, background jobs): every partition.
    for (let pid = 0; pid < PARTITIONS; pid++) req.partitions.push(pid);
  }
  if (fields.has(FieldType.INDEX_RANGE)) {
    const range = readIndexRange(body, fields.start[FieldType.INDEX_RANGE]!, fields.end[FieldType.INDEX_RANGE]!);
    const filter: IndexFilter = { ...range, collection: fieldUint(fields, body, FieldType.INDEX_TYPE, 'index type') ?? 0 };
    if (fields.has(FieldType.INDEX_CONTEXT)) filter.context = body.subarray(fields.start[FieldType.INDEX_CONTEXT]!, fields.end[FieldType.INDEX_CONTEXT]!);
    const indexName = fieldString(fields, body, FieldType.INDEX_NAME, 'index name');
    if (indexName !== undefined) filter.indexName = indexName;
    req.filter = filter;
  }
  if (!req.background) {
    const names: string[] = [];
    const ops = view.ops;
    for (let i = 0; i < ops.length; i++) {
      if (ops.opType[i] !== OpType.READ) throw badValue(`a foreground scan or query takes READ ops (bin names), not op type ${ops.opType[i]}`);
      names.push(readUtf8(body, ops.nameStart[i]!, ops.nameStart[i]! + ops.nameLen[i]!, 'bin name'));
    }
    if (names.length > 0) req.bins = names;
  }
  return req;
}
