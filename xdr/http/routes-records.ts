/**
 * Record endpoints: CRUD, operate and batch get. Every input is decoded and
 * checked completely before the engine is called, so a refused request writes
 * nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { RecordKey, WritePolicy } from '../../engine/index.js';
import { EngineError } from '../../engine/index.js';
import { XdrError } from '../errors.js';
import { approxBinsBytes, decodeBins, decodeKey, encodeValue, recordView, type KeyType } from './codec.js';
import type { HttpDeps } from './deps.js';
import { decodeOperations } from './operations.js';
import { batchBody, deleteQuery, errorSchema, getQuery, keyQuery, metaSchema, operateBody, putBody, recordParams, recordSchema } from './schemas.js';

interface RecordParams {
  ns: string;
  set: string;
  key: string;
}

interface PolicyBody {
  ttl?: number;
  exists?: WritePolicy['exists'];
  generation?: number;
  generationPolicy?: 'eq' | 'gt';
}

/** Namespaces are fixed when the engine opens; one Set per engine saves an array per request. */
const namespaceSets = new WeakMap<object, Set<string>>();

export function checkNamespace(deps: HttpDeps, ns: string): void {
  let known = namespaceSets.get(deps.engine);
  if (!known) namespaceSets.set(deps.engine, (known = new Set(deps.engine.namespaces())));
  if (!known.has(ns)) {
    throw new EngineError('ENGINE_ERR_NAMESPACE_NOT_FOUND', `namespace '${ns}' is not configured in region ${deps.region.name}; configured: ${deps.engine.namespaces().join(', ')}`, { ns });
  }
}

export function recordKey(deps: HttpDeps, params: RecordParams, keyType: KeyType | undefined): RecordKey {
  checkNamespace(deps, params.ns);
  return { ns: params.ns, set: params.set, key: decodeKey(params.key, keyType ?? 'string') };
}

function writePolicy(body: PolicyBody): WritePolicy {
  const policy: WritePolicy = {};
  if (body.ttl !== undefined) policy.ttl = body.ttl;
  if (body.exists !== undefined) policy.exists = body.exists;
  if (body.generation !== undefined) policy.generation = { mode: body.generationPolicy ?? 'eq', value: body.generation };
  else if (body.generationPolicy !== undefined) throw new XdrError('XDR_ERR_BAD_REQUEST', 'generationPolicy: needs generation as well');
  return policy;
}

function checkSize(deps: HttpDeps, ns: string, bytes: number): void {
  const limit = deps.namespaceLimit(ns)?.maxRecordSizeBytes;
  if (limit !== undefined && bytes > limit) {
    throw new EngineError('ENGINE_ERR_RECORD_TOO_BIG', `the record is about ${bytes} bytes; namespace ${ns} takes at most ${limit} (max-record-size)`, { ns, bytes, limit });
  }
}

const errors = { 400: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema } as const;

export function registerRecordRoutes(app: FastifyInstance, deps: HttpDeps, batchKeysMax: number): void {
  app.put<{ Params: RecordParams; Querystring: { keyType?: KeyType }; Body: PolicyBody & { bins: Record<string, unknown> } }>(
    '/v1/records/:ns/:set/:key',
    { schema: { tags: ['records'], summary: 'Write a record (bins merge into an existing one)', params: recordParams, querystring: keyQuery, body: putBody, response: { 200: metaSchema, ...errors } } },
    async (req) => {
      const key = recordKey(deps, req.params, req.query.keyType);
      const bins = decodeBins(req.body.bins);
      checkSize(deps, key.ns, approxBinsBytes(bins));
      return deps.engine.put(key, bins, writePolicy(req.body));
    },
  );

  app.get<{ Params: RecordParams; Querystring: { keyType?: KeyType; bins?: string } }>(
    '/v1/records/:ns/:set/:key',
    { schema: { tags: ['records'], summary: 'Read a record', params: recordParams, querystring: getQuery, response: { 200: recordSchema, ...errors } } },
    async (req) => {
      const key = recordKey(deps, req.params, req.query.keyType);
      const bins = req.query.bins?.split(',').map((b) => b.trim()).filter(Boolean);
      const record = await deps.engine.get(key, bins ? { bins } : {});
      if (!record) throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', `no record ${key.ns}/${key.set}/${req.params.key}`, { ns: key.ns, set: key.set });
      return recordView(record);
    },
  );

  app.delete<{ Params: RecordParams; Querystring: { keyType?: KeyType; durable?: 'true' | 'false' } }>(
    '/v1/records/:ns/:set/:key',
    { schema: { tags: ['records'], summary: 'Delete a record (durable: a tombstone that replicates)', params: recordParams, querystring: deleteQuery, response: { ...errors } } },
    async (req, reply) => {
      const key = recordKey(deps, req.params, req.query.keyType);
      const removed = await deps.engine.remove(key, { durable: req.query.durable !== 'false' });
      if (!removed) throw new EngineError('ENGINE_ERR_RECORD_NOT_FOUND', `no record ${key.ns}/${key.set}/${req.params.key}`, { ns: key.ns, set: key.set });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: RecordParams; Querystring: { keyType?: KeyType }; Body: PolicyBody & { ops: unknown[] } }>(
    '/v1/records/:ns/:set/:key/operate',
    {
      schema: {
        tags: ['records'],
        summary: 'Run several operations on one record atomically',
        params: recordParams,
        querystring: keyQuery,
        body: operateBody,
        response: { 200: { type: 'object', properties: { results: { type: 'array' }, ...metaSchema.properties } }, ...errors },
      },
    },
    async (req) => {
      const key = recordKey(deps, req.params, req.query.keyType);
      const ops = decodeOperations(req.body.ops);
      const result = await deps.engine.operate(key, ops, writePolicy(req.body));
      return { results: result.results.map(encodeValue), generation: result.generation, ttl: result.ttl, lut: result.lut, region: result.region };
    },
  );

  app.post<{ Body: { keys: Array<{ ns: string; set: string; key: string | number; keyType?: KeyType }>; bins?: string[] } }>(
    '/v1/batch/get',
    {
      schema: {
        tags: ['records'],
        summary: `Read up to ${batchKeysMax} records; absent ones come back as null`,
        body: batchBody,
        response: { 200: { type: 'object', properties: { records: { type: 'array', items: { anyOf: [{ type: 'null' }, recordSchema] } } } }, ...errors },
      },
    },
    async (req) => {
      if (req.body.keys.length > batchKeysMax) throw new XdrError('XDR_ERR_BAD_REQUEST', `keys: ${req.body.keys.length} keys; at most ${batchKeysMax} per batch`);
      const keys = req.body.keys.map((k, i) => {
        checkNamespace(deps, k.ns);
        return { ns: k.ns, set: k.set, key: decodeKey(String(k.key), k.keyType ?? (typeof k.key === 'number' ? 'integer' : 'string'), `keys[${i}].key`) };
      });
      const records = await deps.engine.batchGet(keys, req.body.bins ? { bins: req.body.bins } : {});
      return { records: records.map((r) => (r ? recordView(r) : null)) };
    },
  );
}
