/**
 * HyperLogLog operations of the wire → engine `hll` steps. Aerospike's
 * arguments are positional, per op code: init [index bits, minhash bits,
 * flags], add [elements, index bits, minhash bits, flags], set-union
 * [sketches, flags], fold [index bits], the union/intersect/similarity reads
 * [sketches], may-contain [elements]. Sketch arguments arrive as blobs whose
 * first payload byte is a type byte, skipped here as the server skips it.
 */
import type { HllCall, HllRawArg, HllRawItem } from '../../aerospike-protocol/index.js';
import { HllOp, isHllRead, isKnownHllCode, type HllStep, type Operation } from '../../engine/index.js';
import { badRequest } from './errors.js';

type Slot = 'elements' | 'sketches' | 'indexBits' | 'minhashBits' | 'flags';

const SLOTS = new Map<number, { min: number; slots: Slot[] }>([
  [HllOp.INIT, { min: 0, slots: ['indexBits', 'minhashBits', 'flags'] }],
  [HllOp.ADD, { min: 1, slots: ['elements', 'indexBits', 'minhashBits', 'flags'] }],
  [HllOp.SET_UNION, { min: 1, slots: ['sketches', 'flags'] }],
  [HllOp.REFRESH_COUNT, { min: 0, slots: [] }],
  [HllOp.FOLD, { min: 1, slots: ['indexBits'] }],
  [HllOp.COUNT, { min: 0, slots: [] }],
  [HllOp.GET_UNION, { min: 1, slots: ['sketches'] }],
  [HllOp.UNION_COUNT, { min: 1, slots: ['sketches'] }],
  [HllOp.INTERSECT_COUNT, { min: 1, slots: ['sketches'] }],
  [HllOp.SIMILARITY, { min: 1, slots: ['sketches'] }],
  [HllOp.DESCRIBE, { min: 0, slots: [] }],
  [HllOp.MAY_CONTAIN, { min: 1, slots: ['elements'] }],
]);

function integer(arg: HllRawArg, what: string): number {
  if (arg.kind !== 'int') throw badRequest(`HyperLogLog ${what} must be an integer`);
  return arg.value;
}

function elements(arg: HllRawArg): Uint8Array[] {
  if (arg.kind !== 'list') throw badRequest('HyperLogLog elements must be a list');
  return arg.items.map((item) => {
    if (item.collection) throw badRequest('a HyperLogLog element is a list or a map; only scalars can be added');
    return item.raw;
  });
}

function sketch(item: HllRawItem): Uint8Array {
  if (item.payload === null || item.payload.length < 2) throw badRequest('a HyperLogLog argument is not a HyperLogLog value (bytes)');
  return item.payload.subarray(1);
}

function sketches(arg: HllRawArg): Uint8Array[] {
  if (arg.kind === 'list') return arg.items.map(sketch);
  if (arg.kind === 'item') return [sketch(arg.item)];
  throw badRequest('a HyperLogLog argument is not a HyperLogLog value (bytes)');
}

export function hllOperation(bin: string, call: HllCall, modify: boolean): Operation {
  const shape = SLOTS.get(call.code);
  if (shape === undefined || !isKnownHllCode(call.code)) throw badRequest(`HyperLogLog op code ${call.code} is not a HyperLogLog operation`);
  if (isHllRead(call.code) === modify) {
    throw badRequest(`HyperLogLog op code ${call.code} is a ${modify ? 'read' : 'modify'} operation but came as an HLL ${modify ? 'modify' : 'read'} op`);
  }
  if (call.args.length < shape.min || call.args.length > shape.slots.length) {
    throw badRequest(`HyperLogLog op code ${call.code} takes ${shape.min}..${shape.slots.length} arguments, got ${call.args.length}`);
  }
  const step: HllStep = { code: call.code };
  call.args.forEach((arg, i) => {
    const slot = shape.slots[i]!;
    if (slot === 'elements') step.elements = elements(arg);
    else if (slot === 'sketches') step.sketches = sketches(arg);
    else if (slot === 'indexBits') step.indexBits = integer(arg, 'index bits');
    else if (slot === 'minhashBits') step.minhashBits = integer(arg, 'minhash bits');
    else step.flags = integer(arg, 'flags');
  });
  return { op: 'hll', bin, step };
}
