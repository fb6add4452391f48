/**
 * Batch requests (field 41, the batch-any form): reads, exists, selected bins,
 * operate reads, writes and removes. A batch of plain reads only is one
 * engine call (batch-reads.ts); any other runs row by row: every row's engine
 * call starts when the batch arrives, in row order (so rows touching one
 * record apply in the order sent). The reply lists each row's outcome under
 * its row index, in frames of at most ~128 KiB, then a LAST header.
 */
import {
  FieldType, Info1, Info2, OpType, ResultCode, beginFrame, decodeBatch, decodeCdtCall, decodeHllCall, endFrame, opName, opValue, writeBinOp, writeLastReply, writeMsgHeader,
  type BatchRowEntry, type ByteWriter, type MsgView,
} from '../../aerospike-protocol/index.js';
import type { Operation, RecordKey } from '../../engine/index.js';
import type { BinValue, Bins } from '../../record/index.js';
import type { CommandContext } from './context.js';
import { badRequest, unsupportedFeature } from './errors.js';
import { isWriteStep } from './operate-plan.js';
import { cdtOperation } from './cdt-ops.js';
import { runPlainReadBatch } from './batch-reads.js';
import { hllOperation } from './hll-ops.js';
import { voidTimeOf, writeRecordBody } from './record-reply.js';
import { writePolicyOf, type CommandOutcome } from './record-command.js';
import { resultCodeFor } from '../../errors/index.js';
import { selectBins, toBinValue } from './values.js';

/** Reply frames are cut at about this size, so a client never buffers one huge frame. */
const FRAME_BYTES = 128 * 1024;

interface RowOutcome {
  resultCode: number;
  generation: number;
  voidTime: number;
  bins: Bins | null;
  /** Operate results: (name, value) pairs instead of `bins`. */
  names?: string[];
  values?: BinValue[];
}

const ROW_NOT_FOUND: RowOutcome = { resultCode: ResultCode.NOT_FOUND, generation: 0, voidTime: 0, bins: null };

function rowError(err: unknown, ctx: CommandContext): RowOutcome {
  const { resultCode, known } = resultCodeFor(err);
  if (!known) ctx.logger.error({ err }, 'batch row failed with an unmapped error');
  return { resultCode, generation: 0, voidTime: 0, bins: null };
}

/** The engine steps and reply plan of a row's ops (reads with CDT ops, or writes). */
function rowSteps(row: BatchRowEntry, buf: Buffer): { steps: Operation[]; names: string[]; reported: boolean[]; writes: boolean } {
  const ops = row.template.ops;
  const steps: Operation[] = [];
  const names: string[] = [];
  const reported: boolean[] = [];
  let writes = false;
  for (let i = 0; i < ops.length; i++) {
    const type = ops.opType[i]!;
    const name = opName(ops, buf, i);
    let step: Operation;
    let report = false;
    switch (type) {
      case OpType.READ:
        step = { op: 'read', bin: name };
        report = true;
        break;
      case OpType.WRITE:
        step = { op: 'write', bin: name, value: toBinValue(opValue(ops, buf, i), `bin ${name}`) };
        break;
      case OpType.INCR: {
        const value = opValue(ops, buf, i);
        if (typeof value !== 'number' && typeof value !== 'bigint') throw badRequest(`increment of bin ${name} takes an integer or a double`);
        step = { op: 'incr', bin: name, value };
        break;
      }
      case OpType.APPEND:
      case OpType.PREPEND: {
        const value = opValue(ops, buf, i);
        if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw badRequest('append and prepend take a string or bytes');
        step = { op: type === OpType.APPEND ? 'append' : 'prepend', bin: name, value };
        break;
      }
      case OpType.TOUCH:
        step = { op: 'touch' };
        break;
      case OpType.DELETE:
        step = { op: 'delete-record' };
        break;
      case OpType.CDT_READ:
      case OpType.CDT_MODIFY:
        step = cdtOperation(name, decodeCdtCall(buf, ops.valueStart[i]!, ops.valueEnd[i]!), type === OpType.CDT_MODIFY);
        report = true;
        break;
      case OpType.HLL_READ:
      case OpType.HLL_MODIFY:
        step = hllOperation(name, decodeHllCall(buf, ops.valueStart[i]!, ops.valueEnd[i]!), type === OpType.HLL_MODIFY);
        report = true;
        break;
      default:
        throw unsupportedFeature(`op type ${type} is not supported in a batch`);
    }
    steps.push(step);
    names.push(name);
    reported.push(report);
    if (isWriteStep(step)) writes = true;
  }
  return { steps, names, reported, writes };
}

function runRow(ctx: CommandContext, row: BatchRowEntry, buf: Buffer, known: ReadonlySet<string>): Promise<RowOutcome> | RowOutcome {
  const t = row.template;
  if (!known.has(t.ns)) return { resultCode: ResultCode.NAMESPACE, generation: 0, voidTime: 0, bins: null };
  // Filter expressions, UDF calls and transaction fields: features this gateway does not have.
  if (t.otherFields.length > 0) return { resultCode: ResultCode.UNSUPPORTED_FEATURE, generation: 0, voidTime: 0, bins: null };
  const key: RecordKey = { ns: t.ns, set: t.set, digest: new Uint8Array(row.digest) };
  if (row.key !== undefined) key.key = row.key;
  const now = ctx.nowMs();
  try {
    if ((t.info2 & Info2.WRITE) !== 0) {
      if ((t.info2 & Info2.DELETE) !== 0) {
        const generation = (t.info2 & Info2.GENERATION) !== 0 ? { mode: 'eq' as const, value: t.generation } : undefined;
        return ctx.engine.remove(key, generation === undefined ? { durable: true } : { durable: true, generation }).then(
          (removed) => (removed ? { resultCode: 0, generation: 0, voidTime: 0, bins: null, names: [], values: [] } : ROW_NOT_FOUND),
          (err: unknown) => rowError(err, ctx),
        );
      }
      const plan = rowSteps(row, buf);
      const policy = writePolicyOf(t.info2, t.info3, t.generation, t.ttl, row.key !== undefined);
      const respondAll = (t.info2 & Info2.RESPOND_ALL_OPS) !== 0;
      return ctx.engine.operate(key, plan.steps, policy).then(
        (res) => {
          const names: string[] = [];
          const values: BinValue[] = [];
          for (let i = 0; i < plan.steps.length; i++) {
            const v = (res.results[i] ?? null) as BinValue;
            if (respondAll || (plan.reported[i]! && v !== null)) {
              names.push(plan.names[i]!);
              values.push(v);
            }
          }
          return { resultCode: 0, generation: res.generation, voidTime: voidTimeOf(res.ttl, now), bins: null, names, values };
        },
        (err: unknown) => rowError(err, ctx),
      );
    }
    const ops = t.ops;
    let plainNames: string[] | null = null;
    let plain = true;
    for (let i = 0; i < ops.length && plain; i++) plain = ops.opType[i] === OpType.READ && ops.nameLen[i]! > 0;
    if (!plain) {
      const plan = rowSteps(row, buf);
      return ctx.engine.operate(key, plan.steps, {}).then(
        (res) => {
          const names: string[] = [];
          const values: BinValue[] = [];
          for (let i = 0; i < plan.steps.length; i++) {
            const v = (res.results[i] ?? null) as BinValue;
            if (plan.reported[i]! && v !== null) {
              names.push(plan.names[i]!);
              values.push(v);
            }
          }
          return { resultCode: 0, generation: res.generation, voidTime: voidTimeOf(res.ttl, now), bins: null, names, values };
        },
        (err: unknown) => rowError(err, ctx),
      );
    }
    if (ops.length > 0) {
      plainNames = [];
      for (let i = 0; i < ops.length; i++) plainNames.push(opName(ops, buf, i));
    }
    const headerOnly = (t.info1 & Info1.NO_BIN_DATA) !== 0 || (ops.length === 0 && (t.info1 & Info1.GET_ALL) === 0);
    const wanted = plainNames;
    return ctx.engine.get(key).then(
      (rec) => {
        if (rec === null) return ROW_NOT_FOUND;
        if (t.ttl > 0 && t.ttl <= 100 && rec.ttl >= 0) {
          const originalTtl = Math.floor(now / 1000) + rec.ttl - Math.floor(rec.lut / 1024 / 1000);
          if (originalTtl > 0 && rec.ttl * 100 < originalTtl * t.ttl) ctx.engine.touch(key, originalTtl).catch((err: unknown) => ctx.logger.warn({ err }, 'read-touch failed'));
        }
        return { resultCode: 0, generation: rec.generation, voidTime: voidTimeOf(rec.ttl, now), bins: headerOnly ? null : selectBins(rec.bins, wanted) };
      },
      (err: unknown) => rowError(err, ctx),
    );
  } catch (err) {
    return rowError(err, ctx);
  }
}

function writeRows(w: ByteWriter, rows: readonly BatchRowEntry[], outcomes: readonly RowOutcome[]): void {
  let frame = beginFrame(w);
  for (let i = 0; i < rows.length; i++) {
    const o = outcomes[i]!;
    if (o.names !== undefined) {
      writeMsgHeader(w, 0, o.resultCode, o.generation, o.voidTime, rows[i]!.index, 0, o.names.length);
      for (let j = 0; j < o.names.length; j++) writeBinOp(w, o.names[j]!, o.values![j]!);
    } else {
      writeRecordBody(w, 0, o.resultCode, o.generation, o.voidTime, rows[i]!.index, o.bins);
    }
    if (w.since(frame) > FRAME_BYTES) {
      endFrame(w, frame);
      frame = beginFrame(w);
    }
  }
  writeMsgHeader(w, 0x01, 0, 0, 0, 0, 0, 0);
  endFrame(w, frame);
}

/** Runs a batch message; the outcome's encoder writes every row and the LAST header. */
export function runBatchCommand(ctx: CommandContext, view: MsgView): Promise<CommandOutcome> {
  const { fields, body } = view;
  if (fields.has(FieldType.FILTER)) {
    return Promise.resolve({ resultCode: ResultCode.UNSUPPORTED_FEATURE, encode: (w) => writeLastReply(w, ResultCode.UNSUPPORTED_FEATURE) });
  }
  if (!fields.has(FieldType.BATCH_INDEX)) {
    if (fields.has(FieldType.BATCH_INDEX_WITH_SET)) throw unsupportedFeature('the old batch format (field 42) is not supported; clients use batch-any with servers ≥ 6.0');
    throw badRequest('a batch request has no batch field (41)');
  }
  const batch = decodeBatch(body, fields.start[FieldType.BATCH_INDEX]!, fields.end[FieldType.BATCH_INDEX]!, {
    keysMax: ctx.limits.batchKeysMax,
    fieldsMax: ctx.limits.fieldsMax,
    opsMax: ctx.limits.opsMax,
  });
  const known = new Set(ctx.engine.namespaces());
  const perRow = () => {
    const pending = batch.rows.map((row) => runRow(ctx, row, batch.buf, known));
    return Promise.all(pending).then((outcomes) => {
      for (const o of outcomes) ctx.stats.countResult(o.resultCode);
      return { resultCode: ResultCode.OK, encode: (w: ByteWriter) => writeRows(w, batch.rows, outcomes) };
    });
  };
  return runPlainReadBatch(ctx, batch, known, perRow) ?? perRow();
}
