/**
 * Secondary-index queries and scans, streamed as NDJSON: one record per line,
 * then a last line {"$done": true, "records": n}. A stream that ends without
 * that line was cut short (the gateway logs why).
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { QueryFilter, ScanOptions, SecondaryIndexSpec, SecondaryIndexType, StoredRecord } from '../../engine/index.js';
import { XdrError } from '../errors.js';
import { decodeValue, encodeBins, encodeKey } from './codec.js';
import type { HttpDeps } from './deps.js';
import { checkNamespace } from './routes-records.js';
import { errorSchema, queryBody } from './schemas.js';

interface QueryBody {
  filter?: { bin: string; equals?: unknown; between?: unknown[]; geoWithin?: unknown; geoContains?: unknown };
  bins?: string[];
  limit?: number;
}

/** A GeoJSON query geometry: its object, or its text; the engine checks the geometry. */
function geoText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return JSON.stringify(value);
  throw new XdrError('XDR_ERR_BAD_REQUEST', `filter.${field}: must be a GeoJSON object (or its text)`);
}

function decodeFilter(raw: NonNullable<QueryBody['filter']>): QueryFilter {
  const given = (['equals', 'between', 'geoWithin', 'geoContains'] as const).filter((k) => raw[k] !== undefined);
  if (given.length !== 1) throw new XdrError('XDR_ERR_BAD_REQUEST', 'filter: give exactly one of equals, between, geoWithin or geoContains');
  if (raw.geoWithin !== undefined) return { bin: raw.bin, geoWithin: geoText(raw.geoWithin, 'geoWithin') };
  if (raw.geoContains !== undefined) return { bin: raw.bin, geoContains: geoText(raw.geoContains, 'geoContains') };
  const hasEquals = raw.equals !== undefined;
  if (hasEquals) {
    const v = decodeValue(raw.equals, 'filter.equals');
    const what = 'filter.equals: must be a string, an integer or bytes ({"$bytes": "<base64>"})';
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint' && !(v instanceof Uint8Array)) throw new XdrError('XDR_ERR_BAD_REQUEST', what);
    if (typeof v === 'number' && !Number.isInteger(v)) throw new XdrError('XDR_ERR_BAD_REQUEST', what);
    return { bin: raw.bin, equals: v };
  }
  const [lo, hi] = raw.between!.map((x, i) => decodeValue(x, `filter.between[${i}]`));
  for (const [i, v] of [lo, hi].entries()) {
    if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isInteger(v))) throw new XdrError('XDR_ERR_BAD_REQUEST', `filter.between[${i}]: must be an integer`);
  }
  return { bin: raw.bin, between: [lo as number | bigint, hi as number | bigint] };
}

function line(record: StoredRecord): string {
  const key = encodeKey(record.key);
  const view = {
    ...(key ?? {}),
    digest: Buffer.from(record.digest).toString('hex'),
    bins: encodeBins(record.bins),
    generation: record.generation,
    ttl: record.ttl,
    lut: record.lut,
    region: record.region,
  };
  return `${JSON.stringify(view)}\n`;
}

/** Turns a record iterator (whose first step already ran) into NDJSON lines, stopping at `limit` and when the client goes away. */
async function* ndjson(
  it: AsyncIterator<StoredRecord>,
  first: IteratorResult<StoredRecord>,
  limit: number,
  abort: AbortController,
): AsyncGenerator<string> {
  let count = 0;
  try {
    for (let step = first; !step.done && count < limit; step = await it.next()) {
      count += 1;
      yield line(step.value);
    }
    yield `${JSON.stringify({ $done: true, records: count })}\n`;
  } finally {
    abort.abort();
    await it.return?.();
  }
}

/**
 * Opens the NDJSON stream of a query (a filter given) or a scan. The first
 * record is fetched before the response starts, so errors such as a missing
 * index still get their own status instead of a cut stream.
 */
async function openRecordStream(deps: HttpDeps, ns: string, set: string | undefined, body: QueryBody, res: NodeJS.EventEmitter): Promise<Readable> {
  checkNamespace(deps, ns);
  const abort = new AbortController();
  // The response's 'close' fires when the client goes away (or the stream ends): stop scanning then.
  res.once('close', () => abort.abort());
  const options: ScanOptions = { signal: abort.signal, ...(set ? { set } : {}), ...(body.bins ? { bins: body.bins } : {}) };
  const records = body.filter ? deps.engine.query(ns, decodeFilter(body.filter), options) : deps.engine.scan(ns, options);
  const it = records[Symbol.asyncIterator]();
  let first: IteratorResult<StoredRecord>;
  try {
    first = await it.next();
  } catch (err) {
    abort.abort();
    throw err;
  }
  const out = Readable.from(ndjson(it, first, body.limit ?? Number.MAX_SAFE_INTEGER, abort), { objectMode: false });
  out.on('error', (err) => deps.logger.warn({ err, ns, set }, 'query stream ended early'));
  return out;
}

export function registerQueryRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post<{ Params: { ns: string; set: string }; Body: QueryBody | undefined }>(
    '/v1/query/:ns/:set',
    {
      schema: {
        tags: ['query'],
        summary: 'Query a set by a secondary index (or scan it when no filter is given); NDJSON',
        params: { type: 'object', required: ['ns', 'set'], properties: { ns: { type: 'string' }, set: { type: 'string' } } },
        body: queryBody,
        response: { 400: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      const out = await openRecordStream(deps, req.params.ns, req.params.set, body, reply.raw);
      return reply.type('application/x-ndjson').send(out);
    },
  );

  app.get<{ Params: { ns: string }; Querystring: { set?: string; bins?: string; limit?: string } }>(
    '/v1/scan/:ns',
    {
      schema: {
        tags: ['query'],
        summary: 'Scan a namespace or one set; NDJSON',
        params: { type: 'object', required: ['ns'], properties: { ns: { type: 'string' } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { set: { type: 'string', minLength: 1 }, bins: { type: 'string' }, limit: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } },
        },
        response: { 400: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const body: QueryBody = {
        ...(req.query.bins ? { bins: req.query.bins.split(',').filter(Boolean) } : {}),
        ...(req.query.limit ? { limit: Number(req.query.limit) } : {}),
      };
      const out = await openRecordStream(deps, req.params.ns, req.query.set, body, reply.raw);
      return reply.type('application/x-ndjson').send(out);
    },
  );
}

/** Secondary indexes of a namespace: list, create, drop. */
export function registerIndexRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get<{ Params: { ns: string } }>(
    '/v1/indexes/:ns',
    { schema: { tags: ['query'], summary: 'List the secondary indexes of a namespace', params: { type: 'object', properties: { ns: { type: 'string' } } } } },
    async (req) => {
      checkNamespace(deps, req.params.ns);
      return { indexes: deps.engine.listIndexes(req.params.ns) };
    },
  );

  app.put<{ Params: { ns: string; name: string }; Body: { bin: string; type: SecondaryIndexType; set?: string } }>(
    '/v1/indexes/:ns/:name',
    {
      schema: {
        tags: ['query'],
        summary: 'Create a secondary index on an integer, string or GeoJSON (geo2dsphere) bin',
        params: { type: 'object', properties: { ns: { type: 'string' }, name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,63}$' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['bin', 'type'],
          properties: { bin: { type: 'string', minLength: 1, maxLength: 15 }, type: { enum: ['integer', 'string', 'blob', 'geo2dsphere'] }, set: { type: 'string', minLength: 1 } },
        },
        response: { 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      checkNamespace(deps, req.params.ns);
      const spec: SecondaryIndexSpec = { name: req.params.name, ns: req.params.ns, bin: req.body.bin, type: req.body.type, ...(req.body.set ? { set: req.body.set } : {}) };
      await deps.engine.createIndex(spec);
      return reply.code(201).send(spec);
    },
  );

  app.delete<{ Params: { ns: string; name: string } }>(
    '/v1/indexes/:ns/:name',
    { schema: { tags: ['query'], summary: 'Drop a secondary index', params: { type: 'object', properties: { ns: { type: 'string' }, name: { type: 'string' } } } } },
    async (req, reply) => {
      checkNamespace(deps, req.params.ns);
      await deps.engine.dropIndex(req.params.ns, req.params.name);
      return reply.code(204).send();
    },
  );
}
