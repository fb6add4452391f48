/**
 * Admin endpoints: live routes, replication lag, stats, health and readiness.
 */
import type { FastifyInstance } from 'fastify';
import { ROUTE_NAME_PATTERN } from '../../replication-protocol/index.js';
import { NAMESPACE_NAME_PATTERN, parseDurationMs, routeSchema } from '../config/index.js';
import { XdrError } from '../errors.js';
import type { HttpDeps } from './deps.js';
import { errorSchema, routeStatusSchema } from './schemas.js';

const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: ROUTE_NAME_PATTERN } } } as const;
const errors = { 400: errorSchema, 404: errorSchema, 409: errorSchema } as const;
/** Digests in one re-ship request: the shipper's reshipDigestsMax default, so a request is one bounded pass of its loop. */
export const RESHIP_DIGESTS_MAX = 1000;

/** `since` as ISO time or unix ms, or `ago` as a duration ("10m"); nothing = from the beginning. */
export function rewindSinceMs(body: { since?: string | number; ago?: string | number } | undefined, nowMs: number): number {
  if (!body || (body.since === undefined && body.ago === undefined)) return 0;
  if (body.since !== undefined && body.ago !== undefined) throw new XdrError('XDR_ERR_BAD_REQUEST', 'give since or ago, not both');
  if (body.ago !== undefined) {
    const ms = parseDurationMs(body.ago);
    if (ms === null) throw new XdrError('XDR_ERR_BAD_REQUEST', `ago: '${body.ago}' is not a duration (e.g. 10m, 2h, 30s)`);
    return Math.max(0, nowMs - ms);
  }
  const ms = typeof body.since === 'number' ? body.since : Date.parse(String(body.since));
  if (!Number.isFinite(ms) || ms < 0) throw new XdrError('XDR_ERR_BAD_REQUEST', `since: '${body.since}' is neither an ISO-8601 time nor unix milliseconds`);
  return ms;
}

export function registerAdminRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const find = (name: string) => {
    const route = deps.routes.get(name);
    if (!route) throw new XdrError('XDR_ERR_ROUTE_NOT_FOUND', `no route named '${name}'; GET /v1/xdr/routes lists them`, { route: name });
    return route;
  };

  app.get('/v1/xdr/routes', { schema: { tags: ['xdr'], summary: 'List routes', response: { 200: { type: 'object', properties: { routes: { type: 'array', items: routeStatusSchema } } } } } }, async () => ({
    routes: deps.routes.list(),
  }));

  app.get<{ Params: { name: string } }>(
    '/v1/xdr/routes/:name',
    { schema: { tags: ['xdr'], summary: 'One route', params: nameParams, response: { 200: routeStatusSchema, ...errors } } },
    async (req) => find(req.params.name),
  );

  const { name: _name, ...routeBodyProps } = routeSchema('camel', false).properties;
  app.put<{ Params: { name: string }; Body: Record<string, unknown> }>(
    '/v1/xdr/routes/:name',
    {
      schema: {
        tags: ['xdr'],
        summary: 'Create or replace a route whose source is this region (live: no restart anywhere)',
        params: nameParams,
        body: { ...routeSchema('camel', false), properties: routeBodyProps },
        response: { 200: routeStatusSchema, 201: routeStatusSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { route, created, warnings } = await deps.routes.put(req.params.name, req.body);
      return reply.code(created ? 201 : 200).send(warnings.length > 0 ? { ...route, warnings } : route);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/xdr/routes/:name',
    { schema: { tags: ['xdr'], summary: 'Remove a route', params: nameParams, response: errors } },
    async (req, reply) => {
      find(req.params.name);
      await deps.routes.remove(req.params.name);
      return reply.code(204).send();
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { name: string } }>(
      `/v1/xdr/routes/:name/${action}`,
      { schema: { tags: ['xdr'], summary: `${action === 'pause' ? 'Pause' : 'Resume'} shipping on a route`, params: nameParams, response: { 200: routeStatusSchema, ...errors } } },
      async (req) => {
        find(req.params.name);
        return deps.routes[action](req.params.name);
      },
    );
  }

  app.post<{ Params: { name: string }; Body: { since?: string | number; ago?: string | number; includeOrigin?: boolean } | undefined }>(
    '/v1/xdr/routes/:name/rewind',
    {
      schema: {
        tags: ['xdr'],
        summary: 'Re-ship every record changed since a time (ISO or unix ms), or within the last `ago`; '
          + '`includeOrigin` also re-ships the records that originated at the destination (to restore a region that lost its data)',
        params: nameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { since: { type: ['string', 'integer'] }, ago: { type: ['string', 'integer'] }, includeOrigin: { type: 'boolean' } },
        },
        response: { 200: { type: 'object', properties: { route: { type: 'string' }, sinceMs: { type: 'number' }, includeOrigin: { type: 'boolean' } } }, ...errors },
      },
    },
    async (req) => {
      find(req.params.name);
      const sinceMs = rewindSinceMs(req.body, Date.now());
      const includeOrigin = req.body?.includeOrigin ?? false;
      await deps.routes.rewind(req.params.name, sinceMs, { includeOrigin });
      return { route: req.params.name, sinceMs, includeOrigin };
    },
  );

  app.post<{ Params: { name: string }; Body: { ns: string; digests: string[] } }>(
    '/v1/xdr/routes/:name/reship',
    {
      schema: {
        tags: ['xdr'],
        summary: 'Re-ship the current version of the given records (hex digests; tombstones too, and records that originated at the destination) on a route '
          + 'this region ships; answers once Kafka acknowledged them. Anti-entropy and `xdrgate verify --repair` use it.',
        params: nameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['ns', 'digests'],
          properties: {
            ns: { type: 'string', pattern: NAMESPACE_NAME_PATTERN },
            digests: { type: 'array', minItems: 1, maxItems: RESHIP_DIGESTS_MAX, items: { type: 'string', pattern: '^[0-9a-fA-F]{40}$' } },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { route: { type: 'string' }, ns: { type: 'string' }, requested: { type: 'integer' }, shipped: { type: 'integer' }, notFound: { type: 'integer' }, filteredOut: { type: 'integer' }, abandoned: { type: 'integer' } },
          },
          ...errors,
          429: errorSchema,
        },
      },
    },
    async (req) => {
      find(req.params.name);
      const result = await deps.routes.reship(req.params.name, req.body.ns, req.body.digests);
      return { route: req.params.name, ns: req.body.ns, ...result };
    },
  );

  app.get('/v1/xdr/lag', { schema: { tags: ['xdr'], summary: 'Replication lag per route' } }, async () => deps.lag());
  app.get('/v1/stats', { schema: { tags: ['ops'], summary: 'Engine, replication and HTTP statistics' } }, async () => deps.stats());
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Liveness: the process answers' } }, async () => ({ ok: true, region: deps.region.name }));
  app.get('/readyz', { schema: { tags: ['ops'], summary: 'Readiness: engine open, replication running, not shutting down' } }, async (_req, reply) => {
    const r = deps.readiness();
    return reply.code(r.ready ? 200 : 503).send({ ready: r.ready, region: deps.region.name, checks: r.checks });
  });
}
