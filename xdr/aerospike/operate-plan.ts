/**
 * An AS_MSG's ops → engine operate steps, and which results the reply carries.
 * Built synchronously from the message view (which the connection reuses for
 * the next message), so nothing here may keep a reference to the view.
 */
import { Info2, OpType, ParticleType, decodeCdtCall, decodeHllCall, opName, opValue, type MsgView } from '../../aerospike-protocol/index.js';
import { OPERATIONS_MAX, isReadingStep, type Operation } from '../../engine/index.js';
import { cdtOperation } from './cdt-ops.js';
import { hllOperation } from './hll-ops.js';
import { badRequest, unsupportedFeature } from './errors.js';
import { toBinValue } from './values.js';

export interface OperatePlan {
  /** One engine step per op of the message, in order. */
  steps: Operation[];
  /** Per step: the bin name its result is reported under. */
  names: string[];
  /** Per step: whether its result is reported when the client did not ask for every op's result. */
  reported: boolean[];
  /** A READ op without a bin name: the reply carries every bin (after the writes). */
  readAll: boolean;
  /** The client wants one result per op (info2 RESPOND_ALL_OPS). */
  respondAll: boolean;
  /** Some step changes the record. */
  writes: boolean;
}

export function isWriteStep(step: Operation): boolean {
  return !isReadingStep(step);
}

export function planOperate(view: MsgView): OperatePlan {
  const { ops, body } = view;
  // The engine's limit, checked before any op is decoded.
  if (ops.length > OPERATIONS_MAX) throw badRequest(`a message carries at most ${OPERATIONS_MAX} ops, got ${ops.length}; split the work`);
  const plan: OperatePlan = { steps: [], names: [], reported: [], readAll: false, respondAll: (view.info2 & Info2.RESPOND_ALL_OPS) !== 0, writes: false };
  for (let i = 0; i < ops.length; i++) {
    const type = ops.opType[i]!;
    const name = opName(ops, body, i);
    let step: Operation;
    let reported = false;
    switch (type) {
      case OpType.READ:
        if (name === '') {
          plan.readAll = true;
          continue;
        }
        step = { op: 'read', bin: name };
        reported = true;
        break;
      case OpType.WRITE:
        step = { op: 'write', bin: name, value: toBinValue(opValue(ops, body, i), `bin ${name}`) };
        break;
      case OpType.INCR: {
        const particle = ops.particle[i]!;
        const value = opValue(ops, body, i);
        if ((particle !== ParticleType.INTEGER && particle !== ParticleType.DOUBLE) || (typeof value !== 'number' && typeof value !== 'bigint')) {
          throw badRequest(`op ${i}: increment of bin ${name} takes an integer or a double`);
        }
        step = { op: 'incr', bin: name, value };
        break;
      }
      case OpType.APPEND:
      case OpType.PREPEND: {
        const value = opValue(ops, body, i);
        if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw badRequest(`op ${i}: ${type === OpType.APPEND ? 'append' : 'prepend'} takes a string or bytes`);
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
      case OpType.CDT_MODIFY: {
        const call = decodeCdtCall(body, ops.valueStart[i]!, ops.valueEnd[i]!);
        step = cdtOperation(name, call, type === OpType.CDT_MODIFY);
        reported = true;
        break;
      }
      case OpType.EXP_READ:
      case OpType.EXP_MODIFY:
        throw unsupportedFeature('expression operations are not supported');
      case OpType.BIT_READ:
      case OpType.BIT_MODIFY:
        throw unsupportedFeature('bitwise operations are not supported');
      case OpType.HLL_READ:
      case OpType.HLL_MODIFY: {
        const call = decodeHllCall(body, ops.valueStart[i]!, ops.valueEnd[i]!);
        step = hllOperation(name, call, type === OpType.HLL_MODIFY);
        reported = true;
        break;
      }
      default:
        throw badRequest(`op ${i} has type ${type}, which is not an operation`);
    }
    plan.steps.push(step);
    plan.names.push(name);
    plan.reported.push(reported);
    if (isWriteStep(step)) plan.writes = true;
  }
  return plan;
}
