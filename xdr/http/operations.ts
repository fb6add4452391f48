/**
 * JSON operate steps → engine Operations, checked field by field so a bad step
 * is refused (with its index) before any step runs.
 */
import { OPERATIONS_MAX, type Operation } from '../../engine/index.js';
import { type BinValue } from '../../record/index.js';
import { XdrError } from '../errors.js';
import { decodeValue } from './codec.js';
import { HLL_FIELDS, decodeHllOperation } from './hll-operation.js';

type Field = 'bin' | 'value' | 'index' | 'count' | 'descending' | 'key' | 'items' | 'from' | 'to';

/** Required and optional fields of each operation. */
// Aerospike's CDT operations ('cdt') reach the engine through the service port only.
const SHAPES: Record<Exclude<Operation['op'], 'cdt' | 'hll'>, { required: Field[]; optional?: Field[] }> = {
  read: { required: ['bin'] },
  write: { required: ['bin', 'value'] },
  incr: { required: ['bin', 'value'] },
  append: { required: ['bin', 'value'] },
  prepend: { required: ['bin', 'value'] },
  touch: { required: [] },
  'delete-record': { required: [] },
  'delete-bin': { required: ['bin'] },
  'list-append': { required: ['bin', 'value'] },
  'list-insert': { required: ['bin', 'index', 'value'] },
  'list-set': { required: ['bin', 'index', 'value'] },
  'list-remove': { required: ['bin', 'index'], optional: ['count'] },
  'list-get': { required: ['bin', 'index'] },
  'list-get-range': { required: ['bin', 'index'], optional: ['count'] },
  'list-size': { required: ['bin'] },
  'list-sort': { required: ['bin'], optional: ['descending'] },
  'map-put': { required: ['bin', 'key', 'value'] },
  'map-put-items': { required: ['bin', 'items'] },
  'map-get': { required: ['bin', 'key'] },
  'map-remove': { required: ['bin', 'key'] },
  'map-incr': { required: ['bin', 'key', 'value'] },
  'map-size': { required: ['bin'] },
  'map-get-range': { required: ['bin', 'from', 'to'] },
};

export const OPERATION_NAMES = [...Object.keys(SHAPES), 'hll'] as Array<Exclude<Operation['op'], 'cdt'>>;

function bad(path: string, message: string): XdrError {
  return new XdrError('XDR_ERR_BAD_REQUEST', `${path}: ${message}`, { path });
}

function fieldValue(field: Field, raw: unknown, path: string, op: string): unknown {
  switch (field) {
    case 'bin':
    case 'key':
    case 'from':
    case 'to':
      if (typeof raw !== 'string' || raw.length === 0) throw bad(path, 'must be a non-empty string');
      return raw;
    case 'index':
    case 'count':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw bad(path, 'must be an integer');
      if (field === 'count' && raw < 0) throw bad(path, 'must not be negative');
      return raw;
    case 'descending':
      if (typeof raw !== 'boolean') throw bad(path, 'must be true or false');
      return raw;
    case 'items': {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(path, 'must be an object of key → value');
      const out: Record<string, BinValue> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = decodeValue(v, `${path}.${k}`);
      return out;
    }
    case 'value': {
      const value = decodeValue(raw, path);
      if ((op === 'incr' || op === 'map-incr') && typeof value !== 'number' && typeof value !== 'bigint') throw bad(path, `must be a number for ${op}`);
      if ((op === 'append' || op === 'prepend') && typeof value !== 'string' && !(value instanceof Uint8Array)) throw bad(path, `must be a string or {"$bytes": ...} for ${op}`);
      return value;
    }
  }
}

export function decodeOperations(raw: unknown): Operation[] {
  if (!Array.isArray(raw) || raw.length === 0) throw bad('ops', 'must be a non-empty array of operations');
  // The engine's limit, checked here too so an oversized request is refused before any step is decoded.
  if (raw.length > OPERATIONS_MAX) throw bad('ops', `has ${raw.length} operations; at most ${OPERATIONS_MAX} per request`);
  return raw.map((step, i) => {
    const path = `ops[${i}]`;
    if (step === null || typeof step !== 'object' || Array.isArray(step)) throw bad(path, 'must be an object like {"op": "incr", "bin": "views", "value": 1}');
    const { op, ...rest } = step as Record<string, unknown>;
    if (op === 'hll') {
      for (const name of Object.keys(rest)) if (!(HLL_FIELDS as readonly string[]).includes(name)) throw bad(`${path}.${name}`, `is not a field of hll (fields: ${HLL_FIELDS.join(', ')})`);
      return decodeHllOperation(rest, path);
    }
    const shape = typeof op === 'string' && Object.hasOwn(SHAPES, op) ? SHAPES[op as keyof typeof SHAPES] : undefined;
    if (!shape) throw bad(`${path}.op`, `must be one of: ${OPERATION_NAMES.join(', ')}`);
    const allowed = [...shape.required, ...(shape.optional ?? [])] as string[];
    const out: Record<string, unknown> = { op };
    for (const name of Object.keys(rest)) if (!allowed.includes(name)) throw bad(`${path}.${name}`, `is not a field of ${String(op)} (fields: ${allowed.join(', ') || 'none'})`);
    for (const field of shape.required) {
      if (!(field in rest)) throw bad(`${path}.${field}`, `is required for ${String(op)}`);
      out[field] = fieldValue(field, rest[field], `${path}.${field}`, String(op));
    }
    for (const field of shape.optional ?? []) if (field in rest) out[field] = fieldValue(field, rest[field], `${path}.${field}`, String(op));
    return out as Operation;
  });
}
