/**
 * The common batch: every row a plain read (all bins, named bins or header
 * only) of a configured namespace, with no filter, UDF or transaction field.
 * Such a batch is one engine call (batchGet: one promise, every record read
 * synchronously) instead of one call and one promise per row, and its reply
 * is written straight from the records read, row by row, with no outcome
 * object per row. Anything else (writes, operate reads, read-touch) takes the
 * per-row path of batch-command.ts.
 */
import {
  Info1, OpType, ResultCode, beginFrame, endFrame, opName, writeMsgHeader, type BatchRequest, type BatchRowEntry, type BatchTemplate, type ByteWriter,
} from '../../aerospike-protocol/index.js';
import type { BatchKey, StoredRecord } from '../../engine/index.js';
import type { CommandContext } from './context.js';
import type { CommandOutcome } from './record-command.js';
import { voidTimeOf, writeRecordBody } from './record-reply.js';
import { selectBins } from './values.js';

/** Reply frames are cut at about this size, so a client never buffers one huge frame (as batch-command.ts). */
const FRAME_BYTES = 128 * 1024;

/** What a template asks of each row it covers: every bin (null), these bins, or none (header only). */
type Wanted = null | string[] | 'header';

/** What the rows of `template` want, or undefined when they are not plain reads (the per-row path serves them). */
function wantedOf(t: BatchTemplate, buf: Buffer): Wanted | undefined {
  if (t.info2 !== 0 || t.otherFields.length > 0) return undefined;
  // Read-touch (ttl 1..100 on a read) writes: the per-row path does it.
  if (t.ttl > 0 && t.ttl <= 100) return undefined;
  const ops = t.ops;
  for (let i = 0; i < ops.length; i++) if (ops.opType[i] !== OpType.READ || ops.nameLen[i]! === 0) return undefined;
  if ((t.info1 & Info1.NO_BIN_DATA) !== 0 || (ops.length === 0 && (t.info1 & Info1.GET_ALL) === 0)) return 'header';
  if (ops.length === 0) return null;
  const names: string[] = [];
  for (let i = 0; i < ops.length; i++) names.push(opName(ops, buf, i));
  return names;
}

/**
 * Runs `batch` as one engine read when every row is a plain read of a known
 * namespace; undefined otherwise. When the engine call fails (a record
 * failing its checks fails the whole call) the batch runs `perRow` instead,
 * which answers the failing row alone with its error.
 */
export function runPlainReadBatch(ctx: CommandContext, batch: BatchRequest, known: ReadonlySet<string>, perRow: () => Promise<CommandOutcome>): Promise<CommandOutcome> | undefined {
  const rows = batch.rows;
  const wanted: Wanted[] = new Array(rows.length);
  const keys: BatchKey[] = new Array(rows.length);
  let template: BatchTemplate | null = null;
  let want: Wanted | undefined = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    // REPEAT rows share their template's object: decide once per template.
    if (row.template !== template) {
      template = row.template;
      if (!known.has(template.ns)) return undefined;
      want = wantedOf(template, batch.buf);
      if (want === undefined) return undefined;
    }
    wanted[i] = want!;
    // Reads use the digest only during the call: a view of the message is enough.
    keys[i] = { ns: template.ns, set: template.set, digest: row.digest };
  }
  const now = ctx.nowMs();
  return ctx.engine.batchGet(keys).then(
    (records) => {
      for (let i = 0; i < records.length; i++) if (records[i] === null) ctx.stats.countResult(ResultCode.NOT_FOUND);
      return { resultCode: ResultCode.OK, encode: (w: ByteWriter) => writeReadRows(w, rows, wanted, records, now) };
    },
    perRow,
  );
}

function writeReadRows(w: ByteWriter, rows: readonly BatchRowEntry[], wanted: readonly Wanted[], records: ReadonlyArray<StoredRecord | null>, nowMs: number): void {
  let frame = beginFrame(w);
  for (let i = 0; i < rows.length; i++) {
    const rec = records[i]!;
    const index = rows[i]!.index;
    const want = wanted[i]!;
    if (rec === null) writeMsgHeader(w, 0, ResultCode.NOT_FOUND, 0, 0, index, 0, 0);
    else writeRecordBody(w, 0, ResultCode.OK, rec.generation, voidTimeOf(rec.ttl, nowMs), index, want === 'header' ? null : selectBins(rec.bins, want));
    if (w.since(frame) > FRAME_BYTES) {
      endFrame(w, frame);
      frame = beginFrame(w);
    }
  }
  writeMsgHeader(w, 0x01, 0, 0, 0, 0, 0, 0);
  endFrame(w, frame);
}
