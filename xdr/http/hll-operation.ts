/**
 * The HTTP form of a HyperLogLog operation:
 *   {"op": "hll", "bin": "visitors", "call": "add", "elements": ["alice", 7], "indexBits": 12}
 * `call` names the operation (HLL_CALLS); `elements` are JSON scalars, packed
 * the way Aerospike clients pack them so an element added over HTTP is the
 * same element to the sketch as one added by a client; `sketches` are
 * {"$hll": "<base64>"} values; `flags` names write flags.
 */
import { ByteWriter, writeMsgpack } from '../../aerospike-protocol/index.js';
import { HllOp, HllWriteFlags, type HllStep, type Operation } from '../../engine/index.js';
import { HllValue } from '../../record/index.js';
import { XdrError } from '../errors.js';
import { decodeValue } from './codec.js';

export const HLL_CALLS: Readonly<Record<string, number>> = {
  init: HllOp.INIT,
  add: HllOp.ADD,
  'set-union': HllOp.SET_UNION,
  'refresh-count': HllOp.REFRESH_COUNT,
  fold: HllOp.FOLD,
  count: HllOp.COUNT,
  'get-union': HllOp.GET_UNION,
  'union-count': HllOp.UNION_COUNT,
  'intersect-count': HllOp.INTERSECT_COUNT,
  similarity: HllOp.SIMILARITY,
  describe: HllOp.DESCRIBE,
  'may-contain': HllOp.MAY_CONTAIN,
};

const FLAG_NAMES: Readonly<Record<string, number>> = {
  'create-only': HllWriteFlags.CREATE_ONLY,
  'update-only': HllWriteFlags.UPDATE_ONLY,
  'no-fail': HllWriteFlags.NO_FAIL,
  'allow-fold': HllWriteFlags.ALLOW_FOLD,
};

/** Most elements or sketches one HTTP step may carry (the body limit bounds it too). */
const HLL_ITEMS_MAX = 10_000;

export const HLL_FIELDS = ['bin', 'call', 'elements', 'sketches', 'indexBits', 'minhashBits', 'flags'] as const;

function bad(path: string, message: string): XdrError {
  return new XdrError('XDR_ERR_BAD_REQUEST', `${path}: ${message}`, { path });
}

function list(raw: unknown, path: string): unknown[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > HLL_ITEMS_MAX) throw bad(path, `must be a non-empty array of at most ${HLL_ITEMS_MAX} items`);
  return raw;
}

function packElement(raw: unknown, path: string): Uint8Array {
  const value = decodeValue(raw, path);
  if (value === null || typeof value === 'object' && !(value instanceof Uint8Array)) throw bad(path, 'an element must be a string, number, boolean or {"$bytes": ...}');
  const w = new ByteWriter(256);
  writeMsgpack(w, value);
  return new Uint8Array(w.take());
}

function bits(raw: unknown, path: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) throw bad(path, 'must be an integer');
  return raw;
}

export function decodeHllOperation(fields: Record<string, unknown>, path: string): Operation {
  const { bin, call } = fields;
  if (typeof bin !== 'string' || bin.length === 0) throw bad(`${path}.bin`, 'must be a non-empty string');
  if (typeof call !== 'string' || !Object.hasOwn(HLL_CALLS, call)) throw bad(`${path}.call`, `must be one of: ${Object.keys(HLL_CALLS).join(', ')}`);
  const step: HllStep = { code: HLL_CALLS[call]! };
  if (fields.elements !== undefined) step.elements = list(fields.elements, `${path}.elements`).map((e, i) => packElement(e, `${path}.elements[${i}]`));
  if (fields.sketches !== undefined) {
    step.sketches = list(fields.sketches, `${path}.sketches`).map((s, i) => {
      const value = decodeValue(s, `${path}.sketches[${i}]`);
      if (!(value instanceof HllValue)) throw bad(`${path}.sketches[${i}]`, 'must be {"$hll": "<base64>"}');
      return value.bytes;
    });
  }
  if (fields.indexBits !== undefined) step.indexBits = bits(fields.indexBits, `${path}.indexBits`);
  if (fields.minhashBits !== undefined) step.minhashBits = bits(fields.minhashBits, `${path}.minhashBits`);
  if (fields.flags !== undefined) {
    if (!Array.isArray(fields.flags)) throw bad(`${path}.flags`, `must be an array of: ${Object.keys(FLAG_NAMES).join(', ')}`);
    step.flags = fields.flags.reduce<number>((acc, name, i) => {
      if (typeof name !== 'string' || !Object.hasOwn(FLAG_NAMES, name)) throw bad(`${path}.flags[${i}]`, `must be one of: ${Object.keys(FLAG_NAMES).join(', ')}`);
      return acc | FLAG_NAMES[name]!;
    }, 0);
  }
  return { op: 'hll', bin, step };
}
