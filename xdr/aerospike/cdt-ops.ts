/**
 * CDT (list and map) operations of the wire → engine `cdt` steps. The engine
 * runs Aerospike's op codes itself (engine/operations/steps/cdt/); here the codec's values
 * become engine values: interval ends become the engine's, and what the engine
 * cannot hold (maps keyed by non-strings) is refused.
 */
import { AsSpecial, type AsValue, type CdtCall } from '../../aerospike-protocol/index.js';
import { CdtSpecial, isCdtRead, isKnownCdtCode, type CdtArg, type Operation } from '../../engine/index.js';
import { badRequest, unsupportedFeature } from './errors.js';

function toArg(v: AsValue, path: string): CdtArg {
  if (v instanceof AsSpecial) return v === AsSpecial.INF ? CdtSpecial.INF : CdtSpecial.WILDCARD;
  if (v instanceof Map) throw unsupportedFeature(`${path}: map keys other than strings are not supported; use string keys`);
  if (Array.isArray(v)) return v.map((item, i) => toArg(item, `${path}[${i}]`)) as CdtArg;
  return v as CdtArg;
}

export function cdtOperation(bin: string, call: CdtCall, modify: boolean): Operation {
  if (!isKnownCdtCode(call.code)) throw badRequest(`CDT op code ${call.code} is not a list or map operation`);
  if (isCdtRead(call.code) === modify) {
    throw badRequest(`CDT op code ${call.code} is a ${isCdtRead(call.code) ? 'read' : 'modify'} operation but came as a CDT ${modify ? 'modify' : 'read'} op`);
  }
  return {
    op: 'cdt',
    bin,
    step: {
      code: call.code,
      args: call.args.map((a, i) => toArg(a, `argument ${i + 1}`)),
      ctx: call.ctx.map((c, i) => ({ type: c.type, value: toArg(c.value, `context ${i}`) })),
    },
  };
}
