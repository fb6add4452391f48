/**
 * CDT (list and map) operations: the value of a CDT_READ or CDT_MODIFY op is
 * a MessagePack array `[op-code, arg...]`, or, for an element inside nested
 * collections, `[0xff, [ctx-type, ctx-value, ...], [op-code, arg...]]`.
 * Op codes 0..63 are list operations, 64..127 map operations.
 */
import { badValue } from './errors.js';
import { MsgpackReader, describe } from './msgpack.js';
import type { AsValue } from './values.js';

/** Most arguments of one CDT operation (the largest official op takes 5). */
const CDT_ARGS_MAX = 8;
/** Deepest context path accepted. */
export const CDT_CONTEXT_DEPTH_MAX = 32;
const CTX_MARKER = 0xff;

/** One step of a context path: which element of the collection at this level. */
export interface CdtContextStep {
  /** Context type (record/'s CTX codes: the element selector, OR'ed create flags in the top bits). */
  type: number;
  value: AsValue;
}

export interface CdtCall {
  code: number;
  args: AsValue[];
  ctx: CdtContextStep[];
}

function readOpArray(r: MsgpackReader, ctx: CdtContextStep[]): CdtCall {
  const n = r.arrayHeader();
  if (n === 0) throw badValue('a CDT operation is an empty array; it needs an op code');
  if (n - 1 > CDT_ARGS_MAX) throw badValue(`a CDT operation has ${n - 1} arguments; at most ${CDT_ARGS_MAX}`);
  const code = r.int();
  const args: AsValue[] = [];
  for (let i = 1; i < n; i++) args.push(r.value(1));
  return { code, args, ctx };
}

/** Decodes a CDT op value in buf[start, end). */
export function decodeCdtCall(buf: Buffer, start: number, end: number): CdtCall {
  const r = new MsgpackReader(buf, start, end);
  const n = r.arrayHeader();
  if (n === 0) throw badValue('a CDT operation is an empty array; it needs an op code');
  const first = r.value(1);
  let call: CdtCall;
  if (first === CTX_MARKER && n === 3 && r.nextIsArray()) {
    const ctxItems = r.value(1);
    if (!Array.isArray(ctxItems) || ctxItems.length % 2 !== 0) throw badValue('a CDT context is a list of (type, value) pairs');
    if (ctxItems.length / 2 > CDT_CONTEXT_DEPTH_MAX) throw badValue(`a CDT context is ${ctxItems.length / 2} levels deep; at most ${CDT_CONTEXT_DEPTH_MAX}`);
    const ctx: CdtContextStep[] = [];
    for (let i = 0; i < ctxItems.length; i += 2) {
      const type = ctxItems[i];
      if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > 0xff) throw badValue(`CDT context type ${describe(type!)} is not a byte`);
      ctx.push({ type, value: ctxItems[i + 1]! });
    }
    call = readOpArray(r, ctx);
  } else {
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 0) throw badValue(`CDT op code ${describe(first)} is not a non-negative integer`);
    if (n - 1 > CDT_ARGS_MAX) throw badValue(`a CDT operation has ${n - 1} arguments; at most ${CDT_ARGS_MAX}`);
    const args: AsValue[] = [];
    for (let i = 1; i < n; i++) args.push(r.value(1));
    call = { code: first, args, ctx: [] };
  }
  if (!r.atEnd()) throw badValue('bytes follow the CDT operation');
  return call;
}

/** Decodes a bare context list (the secondary-index context field 23). */
export function decodeCdtContext(buf: Buffer, start: number, end: number): CdtContextStep[] {
  const r = new MsgpackReader(buf, start, end);
  const items = r.value(0);
  if (!Array.isArray(items) || items.length % 2 !== 0) throw badValue('a CDT context is a list of (type, value) pairs');
  const ctx: CdtContextStep[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const type = items[i];
    if (typeof type !== 'number' || !Number.isInteger(type)) throw badValue('CDT context type is not an integer');
    ctx.push({ type, value: items[i + 1]! });
  }
  return ctx;
}
