/**
 * Scans and secondary-index queries (an AS_MSG without a digest). Foreground:
 * the records of the partitions the client names, partition by partition in
 * digest order, as frames of records, a PARTITION_DONE marker after each
 * partition (when asked for), then LAST; at most max-records records, so a
 * client can page. Background (info2 WRITE with write ops): a job applies the
 * ops to every record found; the reply is LAST at once, progress via
 * `query-show`.
 */
import {
  FieldType, Info3, ParticleType, ResultCode, beginFrame, endFrame, readScanRequest, writeBinOp, writeFieldBytes, writeFieldString, writeKeyField, writeLastReply,
  writeMsgHeader, type ByteWriter, type MsgView, type ScanRequest,
} from '../../aerospike-protocol/index.js';
import { EngineError, type IndexContextStep, type Operation, type PartitionScanOptions, type QueryFilter, type SecondaryIndexCollection, type SecondaryIndexSpec, type StoredRecord } from '../../engine/index.js';
import { collectionByCode, contextFromMsgpack } from './index-target.js';
import type { CommandContext } from './context.js';
import { badRequest, unsupportedFeature } from './errors.js';
import type { JobRegistry } from './jobs.js';
import { planOperate } from './operate-plan.js';
import type { StreamReply, StreamSink } from './pipeline.js';
import { voidTimeOf } from './record-reply.js';
import { writePolicyOf, type CommandOutcome } from './record-command.js';
import { resultCodeFor } from '../../errors/index.js';
import type { ServiceCommand } from './stats.js';
import { GeoJson, parseGeoJson } from '../../record/index.js';

/** A frame of records is sent once it holds about this much. */
const FRAME_BYTES = 64 * 1024;

/** The engine's query filter for a wire index range; throws for what the engine cannot index. */
export function engineFilter(req: ScanRequest, indexes: (ns: string) => SecondaryIndexSpec[]): QueryFilter | undefined {
  const f = req.filter;
  if (f === undefined) return undefined;
  const target: { bin: string; collection?: SecondaryIndexCollection; context?: IndexContextStep[] } = { bin: f.bin };
  if (f.indexName !== undefined && f.bin === '') {
    // A query by index name (whereWithIndexName): the index says which bin, collection and path.
    const spec = indexes(req.ns).find((s) => s.name === f.indexName);
    if (spec === undefined) throw new EngineError('ENGINE_ERR_SINDEX_NOT_FOUND', `no secondary index named "${f.indexName}" in namespace "${req.ns}"`, { name: f.indexName });
    target.bin = spec.bin;
    if (spec.collection !== undefined) target.collection = spec.collection;
    if (spec.context !== undefined) target.context = spec.context;
  } else {
    const collection = collectionByCode(f.collection);
    if (collection !== undefined) target.collection = collection;
    if (f.context !== undefined) target.context = contextFromMsgpack(f.context);
  }
  if (f.particle === ParticleType.INTEGER) {
    const begin = f.begin as number | bigint;
    const end = f.end as number | bigint;
    return begin === end ? { ...target, equals: begin } : { ...target, between: [begin, end] };
  }
  if (f.particle === ParticleType.STRING) {
    if (f.begin !== f.end) throw unsupportedFeature('string range queries are not supported; query one value');
    return { ...target, equals: f.begin as string };
  }
  if (f.particle === ParticleType.GEOJSON && f.begin instanceof GeoJson) {
    // As Aerospike: the query's own geometry says which query it is (a point: regions containing it; a region: points within it).
    const geometry = parseGeoJson(f.begin.text);
    if (!('error' in geometry) && geometry.kind === 'point') return { ...target, geoContains: f.begin.text };
    return { ...target, geoWithin: f.begin.text };
  }
  if (f.particle === ParticleType.BLOB) {
    const begin = f.begin as Uint8Array;
    if (!Buffer.from(begin).equals(f.end as Uint8Array)) throw unsupportedFeature('blob range queries are not supported; query one value');
    return { ...target, equals: begin };
  }
  throw unsupportedFeature(`queries on particle type ${f.particle} are not supported`);
}

function writeRecordRow(w: ByteWriter, rec: StoredRecord, ns: string, set: string, nowMs: number): void {
  let nBins = 0;
  for (const _ in rec.bins) nBins++;
  const nFields = rec.key === undefined ? 3 : 4;
  writeMsgHeader(w, 0, 0, rec.generation, voidTimeOf(rec.ttl, nowMs), 0, nFields, nBins);
  writeFieldBytes(w, FieldType.DIGEST, rec.digest);
  writeFieldString(w, FieldType.NAMESPACE, ns);
  writeFieldString(w, FieldType.SET, set);
  if (rec.key !== undefined) writeKeyField(w, rec.key);
  for (const name in rec.bins) writeBinOp(w, name, rec.bins[name]!);
}

/** Waits as long as `rps` (records per second) requires after `sent` records since `startedMs`. */
async function throttle(rps: number, sent: number, startedMs: number): Promise<void> {
  if (rps <= 0) return;
  const dueMs = startedMs + (sent * 1000) / rps;
  const waitMs = dueMs - performance.now();
  if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

function foreground(ctx: CommandContext, req: ScanRequest, filter: QueryFilter | undefined): StreamReply {
  return async (sink: StreamSink) => {
    const w = sink.writer;
    const engine = ctx.engine;
    if (engine.scanPartitions === undefined) throw unsupportedFeature('this engine cannot scan by partition');
    const options: PartitionScanOptions = { partitions: req.partitions, resumeAfter: req.resume.map((d) => new Uint8Array(d)), noBins: req.noBins, signal: sink.signal };
    if (req.set !== undefined) options.set = req.set;
    if (req.bins !== undefined) options.bins = req.bins;
    if (filter !== undefined) options.filter = filter;
    const startedMs = performance.now();
    let frame = beginFrame(w);
    let sent = 0;
    let resultCode: number = ResultCode.OK;
    try {
      for await (const item of engine.scanPartitions(req.ns, options)) {
        if (item.done === true) {
          if (req.partitionDone) writeMsgHeader(w, Info3.PARTITION_DONE, 0, item.pid, 0, 0, 0, 0);
        } else {
          if (req.maxRecords > 0 && sent >= req.maxRecords) break;
          writeRecordRow(w, item.record, req.ns, item.set, ctx.nowMs());
          sent++;
        }
        if (w.since(frame) >= FRAME_BYTES) {
          endFrame(w, frame);
          await sink.flush();
          await throttle(req.recordsPerSecond, sent, startedMs);
          frame = beginFrame(w);
        }
      }
    } catch (err) {
      if (sink.signal.aborted) return;
      const mapped = resultCodeFor(err);
      if (!mapped.known) ctx.logger.error({ err }, 'scan failed with an unmapped error');
      resultCode = mapped.resultCode;
    }
    writeMsgHeader(w, Info3.LAST, resultCode, 0, 0, 0, 0, 0);
    endFrame(w, frame);
    ctx.stats.countResult(resultCode);
    await sink.flush().catch(() => undefined);
  };
}

function background(ctx: CommandContext, jobs: JobRegistry, view: MsgView, req: ScanRequest, filter: QueryFilter | undefined): CommandOutcome {
  const plan = planOperate(view);
  if (plan.steps.length === 0 || !plan.writes) throw badRequest('a background scan or query needs write ops');
  const policy = writePolicyOf(view.info2, view.info3, 0, view.ttl, false);
  const steps: Operation[] = plan.steps;
  const engine = ctx.engine;
  const scan = engine.scanPartitions;
  if (scan === undefined) throw unsupportedFeature('this engine cannot scan by partition');
  const trid = req.taskId ?? String(Date.now());
  const started = jobs.start(trid, filter === undefined ? 'scan' : 'query', req.ns, req.set ?? '', async (job, signal) => {
    const options: PartitionScanOptions = { partitions: req.partitions, noBins: true, signal };
    if (req.set !== undefined) options.set = req.set;
    if (filter !== undefined) options.filter = filter;
    for await (const item of scan.call(engine, req.ns, options)) {
      if (item.done === true) continue;
      try {
        await engine.operate({ ns: req.ns, set: req.set ?? '', digest: item.record.digest }, steps, policy);
        job.recordsDone++;
      } catch {
        job.recordsFailed++;
      }
    }
  });
  const code = started ? ResultCode.OK : ResultCode.KEY_BUSY;
  return { resultCode: code, encode: (w) => writeLastReply(w, code) };
}

export type ScanCommand = { command: ServiceCommand; stream: StreamReply } | { command: ServiceCommand; outcome: CommandOutcome };

/** Reads the scan or query of `view` and returns how to answer it. Throws (synchronously) on a request that cannot run. */
export function runScanCommand(ctx: CommandContext, jobs: JobRegistry, view: MsgView): ScanCommand {
  const req = readScanRequest(view);
  if (req.udf) throw unsupportedFeature('UDF execution is not supported (modules can be registered, not run)');
  if (req.expression) throw unsupportedFeature('filter expressions are not supported');
  const filter = engineFilter(req, (ns) => (ctx.engine.namespaces().includes(ns) ? ctx.engine.listIndexes(ns) : []));
  if (req.background) return { command: 'background', outcome: background(ctx, jobs, view, req, filter) };
  return { command: filter === undefined ? 'scan' : 'query', stream: foreground(ctx, req, filter) };
}
