/**
 * JSON schemas shared by the HTTP routes. Validation runs with
 * additionalProperties honoured as errors (not silently stripped) and without
 * type coercion, so a wrong type is a 400, never a guess.
 */
import { ROUTE_STATES } from '../route-health/index.js';

export const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string', description: 'stable error code (docs/errors.md)' }, message: { type: 'string' } },
} as const;

export const recordParams = {
  type: 'object',
  required: ['ns', 'set', 'key'],
  properties: {
    ns: { type: 'string', minLength: 1, maxLength: 31, description: 'namespace' },
    set: { type: 'string', minLength: 1, maxLength: 63, description: 'set name' },
    key: { type: 'string', minLength: 1, maxLength: 1024, description: 'user key (see keyType)' },
  },
} as const;

export const keyTypeProperty = {
  enum: ['string', 'integer', 'bytes'],
  description: 'how to read the key: string (default), integer (64-bit decimal) or bytes (base64/base64url)',
} as const;

export const keyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { keyType: keyTypeProperty },
} as const;

export const getQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { keyType: keyTypeProperty, bins: { type: 'string', description: 'comma-separated bin names to return (all when absent)' } },
} as const;

export const deleteQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    keyType: keyTypeProperty,
    durable: { enum: ['true', 'false'], description: 'leave a replicated tombstone (default true)' },
  },
} as const;

const binsProperty = {
  type: 'object',
  description: 'bin name → value; null removes a bin; bytes as {"$bytes":"<base64>"}, int64 beyond ±2^53 as {"$int":"<decimal>"}',
  additionalProperties: true,
} as const;

const writePolicyProperties = {
  ttl: { type: 'integer', minimum: -1, maximum: 315360000, description: 'seconds; 0 = namespace default-ttl, -1 = never expires' },
  exists: { enum: ['upsert', 'create', 'update', 'replace', 'create-or-replace'], description: 'default upsert' },
  generation: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'expected generation (see generationPolicy)' },
  generationPolicy: { enum: ['eq', 'gt'], description: 'eq (default): generation must equal; gt: given value must be greater' },
} as const;

export const putBody = {
  type: 'object',
  additionalProperties: false,
  required: ['bins'],
  properties: { bins: binsProperty, ...writePolicyProperties },
} as const;

export const operateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ops'],
  properties: {
    ops: {
      type: 'array',
      minItems: 1,
      maxItems: 256,
      items: { type: 'object', required: ['op'], properties: { op: { type: 'string' } }, additionalProperties: true },
      description: 'steps run in order, atomically, e.g. {"op":"incr","bin":"views","value":1}',
    },
    ...writePolicyProperties,
  },
} as const;

export const metaSchema = {
  type: 'object',
  properties: {
    generation: { type: 'integer' },
    ttl: { type: 'integer', description: 'seconds to live; -1 = never expires' },
    lut: { type: 'number', description: 'last-update time (hybrid logical clock: ms × 1024 + logical)' },
    region: { type: 'integer', description: 'id of the region that made the last change' },
  },
} as const;

export const recordSchema = {
  type: 'object',
  properties: { bins: { type: 'object', additionalProperties: true }, ...metaSchema.properties },
} as const;

export const batchBody = {
  type: 'object',
  additionalProperties: false,
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ns', 'set', 'key'],
        properties: { ns: { type: 'string', minLength: 1 }, set: { type: 'string', minLength: 1 }, key: { type: ['string', 'integer'] }, keyType: keyTypeProperty },
      },
    },
    bins: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const;

export const queryBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filter: {
      type: 'object',
      additionalProperties: false,
      required: ['bin'],
      properties: {
        bin: { type: 'string', minLength: 1 },
        equals: { type: ['string', 'integer', 'object'] },
        between: { type: 'array', minItems: 2, maxItems: 2, items: { type: ['integer', 'object'] } },
        geoWithin: { type: ['object', 'string'] },
        geoContains: { type: ['object', 'string'] },
      },
      description:
        'secondary-index filter: {"bin","equals"}, {"bin","between":[lo,hi]}, {"bin","geoWithin":<GeoJSON region>} (points inside it) or {"bin","geoContains":<GeoJSON point>} (regions holding it); absent = scan the set',
    },
    bins: { type: 'array', items: { type: 'string', minLength: 1 } },
    limit: { type: 'integer', minimum: 1, maximum: 100000000 },
  },
} as const;

/** An error as route states show it: a stable code (docs/errors.md), the message, and when (unix ms). */
export const errorNoteSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, at_ms: { type: 'number' } },
} as const;

const nullableErrorNote = { ...errorNoteSchema, type: ['object', 'null'] } as const;

/** A route with its health (docs/http-api.md, "Routes"; states: xdr/route-health). */
export const routeStatusSchema = {
  type: 'object',
  properties: {
    spec: { type: 'object', additionalProperties: true },
    state: { enum: [...ROUTE_STATES] },
    intent: { enum: ['running', 'paused', 'disabled'] },
    role: { enum: ['source', 'destination', 'none'] },
    updatedAtMs: { type: 'number' },
    reason: { type: ['string', 'null'] },
    error: nullableErrorNote,
    scan: { type: ['object', 'null'], additionalProperties: true },
    destination: { type: ['object', 'null'], additionalProperties: true },
    warnings: { type: 'array', items: errorNoteSchema },
  },
} as const;
