/**
 * Single-record commands (an AS_MSG with a digest): put, get (all bins,
 * selected bins, header only), exists, delete, touch and operate, each one
 * engine call. Everything is read out of the message view synchronously (the
 * connection reuses the view for the next message); the engine call then runs
 * and its outcome becomes a reply encoder.
 */
import {
  FieldType, Info1, Info2, Info3, Info4, OpType, ResultCode, fieldDigest, fieldString, fieldUserKey, opName, opValue, writeStatusReply, type MsgView,
} from '../../aerospike-protocol/index.js';
import type { Operation, RecordKey, RecordMetaView, StoredRecord, WritePolicy } from '../../engine/index.js';
import type { Bins } from '../../record/index.js';
import type { CommandContext } from './context.js';
import { badRequest, unsupportedFeature } from './errors.js';
import { planOperate, type OperatePlan } from './operate-plan.js';
import type { ReplyEncoder } from './pipeline.js';
import { voidTimeOf, writeOpResultsReply, writeRecordReply } from './record-reply.js';
import type { ServiceCommand } from './stats.js';
import { setBin, toBinValue } from './values.js';

export interface CommandOutcome {
  resultCode: number;
  encode: ReplyEncoder;
}

export interface RecordCommand {
  command: ServiceCommand;
  run: Promise<CommandOutcome>;
}

/** Fields a single-record request may carry; any other asks for something this server does not do. */
const RECORD_FIELDS = new Set<number>([FieldType.NAMESPACE, FieldType.SET, FieldType.KEY, FieldType.DIGEST, FieldType.SOCKET_TIMEOUT]);

/**
 * The record's address: namespace, set, digest, and the user key when sent.
 * A write keeps the digest in the version it stores, so it gets a copy; a
 * read uses it only during the call, so it gets a view of the message.
 */
export function recordKeyOf(view: MsgView, copyDigest = true): RecordKey {
  const { fields, body } = view;
  const ns = fieldString(fields, body, FieldType.NAMESPACE, 'namespace');
  if (ns === undefined) throw badRequest('the request has no namespace field');
  const digest = fieldDigest(fields, body, FieldType.DIGEST);
  if (digest === undefined) throw badRequest('the request has no digest field');
  const key: RecordKey = { ns, set: fieldString(fields, body, FieldType.SET, 'set') ?? '', digest: copyDigest ? new Uint8Array(digest) : digest };
  const userKey = fieldUserKey(fields, body, FieldType.KEY);
  if (userKey !== undefined) key.key = userKey;
  return key;
}

function refuseUnsupported(view: MsgView): void {
  for (const type of view.fields.presentTypes()) {
    if (RECORD_FIELDS.has(type)) continue;
    if (type === FieldType.FILTER) throw unsupportedFeature('filter expressions are not supported');
    if (type === FieldType.TXN_ID || type === FieldType.TXN_DEADLINE || type === FieldType.RECORD_VERSION) throw unsupportedFeature('transactions are not supported');
    if (type >= FieldType.UDF_PACKAGE_NAME && type <= FieldType.UDF_OP) throw unsupportedFeature('UDF execution is not supported (modules can be registered, not run)');
    throw badRequest(`field type ${type} has no meaning in a single-record request`);
  }
  if ((view.info4 & (Info4.TXN_VERIFY_READ | Info4.TXN_ROLL_FORWARD | Info4.TXN_ROLL_BACK | Info4.TXN_ON_LOCKING_ONLY)) !== 0) {
    throw unsupportedFeature('transactions are not supported');
  }
}

/** The engine write policy a message asks for. */
export function writePolicyOf(info2: number, info3: number, generation: number, ttl: number, sendKey: boolean): WritePolicy {
  const policy: WritePolicy = { sendKey };
  if ((info2 & Info2.CREATE_ONLY) !== 0) policy.exists = 'create';
  else if ((info3 & Info3.UPDATE_ONLY) !== 0) policy.exists = 'update';
  else if ((info3 & Info3.REPLACE_ONLY) !== 0) policy.exists = 'replace';
  else if ((info3 & Info3.CREATE_OR_REPLACE) !== 0) policy.exists = 'create-or-replace';
  if ((info2 & Info2.GENERATION) !== 0) policy.generation = { mode: 'eq', value: generation };
  else if ((info2 & Info2.GENERATION_GT) !== 0) policy.generation = { mode: 'gt', value: generation };
  if (ttl !== 0) policy.ttl = ttl;
  return policy;
}

function statusReply(resultCode: number, generation = 0, voidTime = 0): CommandOutcome {
  return { resultCode, encode: (w) => writeStatusReply(w, resultCode, generation, voidTime) };
}

function metaReply(ctx: CommandContext, meta: RecordMetaView): CommandOutcome {
  return statusReply(ResultCode.OK, meta.generation, voidTimeOf(meta.ttl, ctx.nowMs()));
}

function recordReply(ctx: CommandContext, rec: StoredRecord, bins: Bins | null): CommandOutcome {
  const generation = rec.generation;
  const voidTime = voidTimeOf(rec.ttl, ctx.nowMs());
  return { resultCode: ResultCode.OK, encode: (w) => writeRecordReply(w, ResultCode.OK, generation, voidTime, bins) };
}

const NOT_FOUND: CommandOutcome = statusReply(ResultCode.NOT_FOUND);

/**
 * Read-touch (clients' readTouchTtlPercent, header ttl 1..100 on reads): a
 * record read when less than that share of its TTL is left is touched, so hot
 * records do not expire. The touch is applied before the read's reply goes
 * out, so the client's next read sees it.
 */
function readTouch(ctx: CommandContext, key: RecordKey, rec: { ttl: number; lut: number }, percent: number): void {
  if (percent <= 0 || percent > 100 || rec.ttl < 0) return;
  const nowSec = Math.floor(ctx.nowMs() / 1000);
  const writtenSec = Math.floor(rec.lut / 1024 / 1000);
  const originalTtl = nowSec + rec.ttl - writtenSec;
  if (originalTtl <= 0 || rec.ttl * 100 >= originalTtl * percent) return;
  // A write keeps its digest: copy it out of the read's message.
  const owned: RecordKey = { ...key, digest: new Uint8Array(key.digest!) };
  ctx.engine.touch(owned, originalTtl).catch((err: unknown) => ctx.logger.warn({ err }, 'read-touch failed'));
}

function runGet(ctx: CommandContext, view: MsgView, key: RecordKey): RecordCommand {
  const { ops, body } = view;
  const touchPercent = view.ttl;
  if (ops.length === 0) {
    if ((view.info1 & Info1.NO_BIN_DATA) !== 0 || (view.info1 & Info1.GET_ALL) === 0) {
      const run = ctx.engine.exists(key).then((meta) => {
        if (meta === null) return NOT_FOUND;
        readTouch(ctx, key, meta, touchPercent);
        return metaReply(ctx, meta);
      });
      return { command: 'exists', run };
    }
    const run = ctx.engine.get(key).then((rec) => {
      if (rec === null) return NOT_FOUND;
      readTouch(ctx, key, rec, touchPercent);
      return recordReply(ctx, rec, rec.bins);
    });
    return { command: 'read', run };
  }
  const names: string[] = [];
  for (let i = 0; i < ops.length; i++) names.push(opName(ops, body, i));
  const run = ctx.engine.get(key, { bins: names }).then((rec) => {
    if (rec === null) return NOT_FOUND;
    readTouch(ctx, key, rec, touchPercent);
    return recordReply(ctx, rec, (view.info1 & Info1.NO_BIN_DATA) !== 0 ? null : rec.bins);
  });
  return { command: 'read', run };
}

function runPut(ctx: CommandContext, view: MsgView, key: RecordKey): RecordCommand {
  const { ops, body } = view;
  const bins: Bins = {};
  for (let i = 0; i < ops.length; i++) {
    const name = opName(ops, body, i);
    setBin(bins, name, toBinValue(opValue(ops, body, i), `bin ${name}`));
  }
  const policy = writePolicyOf(view.info2, view.info3, view.generation, view.ttl, key.key !== undefined);
  if (policy.ttl === -2) {
    // Keep-the-expiry writes go through operate, whose TTL rules know "don't update".
    const steps: Operation[] = Object.keys(bins).map((bin) => ({ op: 'write', bin, value: bins[bin]! }));
    return { command: 'write', run: ctx.engine.operate(key, steps, policy).then((meta) => metaReply(ctx, meta)) };
  }
  return { command: 'write', run: ctx.engine.put(key, bins, policy).then((meta) => metaReply(ctx, meta)) };
}

function runDelete(ctx: CommandContext, view: MsgView, key: RecordKey): RecordCommand {
  if (view.ops.length > 0) throw badRequest('a delete carries no ops');
  // Every delete through the service port is durable (a tombstone that replicates), whatever the
  // client's durableDelete flag says: a delete that does not replicate would undo itself in an
  // active-active topology (docs/aerospike-protocol.md).
  const generation = (view.info2 & Info2.GENERATION) !== 0 ? { mode: 'eq' as const, value: view.generation } : (view.info2 & Info2.GENERATION_GT) !== 0 ? { mode: 'gt' as const, value: view.generation } : undefined;
  const run = ctx.engine.remove(key, generation === undefined ? { durable: true } : { durable: true, generation }).then((removed) => (removed ? statusReply(ResultCode.OK) : NOT_FOUND));
  return { command: 'delete', run };
}

function operateReply(ctx: CommandContext, plan: OperatePlan, meta: RecordMetaView, results: readonly unknown[], all: Bins | null): CommandOutcome {
  const names: string[] = [];
  const values: Bins[string][] = [];
  for (let i = 0; i < plan.steps.length; i++) {
    const value = (results[i] ?? null) as Bins[string];
    if (plan.respondAll || (plan.reported[i]! && value !== null)) {
      names.push(plan.names[i]!);
      values.push(value);
    }
  }
  if (all !== null) {
    for (const name in all) {
      names.push(name);
      values.push(all[name]!);
    }
  }
  const generation = meta.generation;
  const voidTime = voidTimeOf(meta.ttl, ctx.nowMs());
  return { resultCode: ResultCode.OK, encode: (w) => writeOpResultsReply(w, generation, voidTime, names, values) };
}

function runOperate(ctx: CommandContext, view: MsgView, key: RecordKey): RecordCommand {
  const plan = planOperate(view);
  const policy = writePolicyOf(view.info2, view.info3, view.generation, plan.writes ? view.ttl : 0, key.key !== undefined);
  const touchPercent = plan.writes ? 0 : view.ttl;
  if (plan.steps.length === 0) {
    // Only "read all bins": a plain get.
    const run = ctx.engine.get(key).then((rec) => (rec === null ? NOT_FOUND : recordReply(ctx, rec, rec.bins)));
    return { command: 'read', run };
  }
  const run = ctx.engine.operate(key, plan.steps, policy).then(async (result) => {
    if (!plan.writes) readTouch(ctx, key, result, touchPercent);
    let all: Bins | null = null;
    if (plan.readAll) {
      // Every bin after the writes: read once the operate is applied.
      const rec = await ctx.engine.get(key);
      all = rec?.bins ?? {};
    }
    return operateReply(ctx, plan, result, result.results, all);
  });
  return { command: 'operate', run };
}

/** Runs the single-record command `view` asks for. Throws (synchronously) on a request that cannot run. */
export function runRecordCommand(ctx: CommandContext, view: MsgView): RecordCommand {
  refuseUnsupported(view);
  const { ops } = view;
  const writes = (view.info2 & Info2.WRITE) !== 0;
  const key = recordKeyOf(view, writes);
  if (writes) {
    if ((view.info2 & Info2.DELETE) !== 0) return runDelete(ctx, view, key);
    let allWrites = ops.length > 0;
    for (let i = 0; i < ops.length && allWrites; i++) allWrites = ops.opType[i] === OpType.WRITE;
    if (allWrites && (view.info2 & Info2.RESPOND_ALL_OPS) === 0) return runPut(ctx, view, key);
    return runOperate(ctx, view, key);
  }
  let plainReads = true;
  for (let i = 0; i < ops.length && plainReads; i++) plainReads = ops.opType[i] === OpType.READ && ops.nameLen[i]! > 0;
  if (plainReads && (view.info2 & Info2.RESPOND_ALL_OPS) === 0) return runGet(ctx, view, key);
  return runOperate(ctx, view, key);
}
