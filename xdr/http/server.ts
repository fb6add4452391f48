/**
 * The gateway's fastify server: OpenAPI at /docs, auth (auth.ts: the bearer
 * token and the service users), strict
 * validation (no coercion, unknown fields refused), and every error rendered as
 * { code, message } with its status from the error table (error-reply.ts).
 */
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { XdrError } from '../errors.js';
import type { HttpDeps, HttpOptions } from './deps.js';
import { notFoundError, toErrorReply } from './error-reply.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerIndexRoutes, registerQueryRoutes } from './routes-query.js';
import { registerRecordRoutes } from './routes-records.js';
import { HttpLatency } from './request-latency.js';
import { HttpAuth, basicCredentials, encodeSession } from './auth.js';

// /metrics and /dashboard show figures only (no records), and scrapers and browsers send no bearer token.
const OPEN_PATHS = ['/healthz', '/readyz', '/docs', '/metrics', '/dashboard'];
// What a starting gateway answers: liveness, readiness (503 "starting") and its API docs.
const STARTING_PATHS = ['/healthz', '/readyz', '/docs'];

export interface HttpCounters {
  requests: number;
  errors4xx: number;
  errors5xx: number;
}

export async function buildHttpServer(deps: HttpDeps, options: HttpOptions = {}): Promise<{ app: FastifyInstance; counters: HttpCounters; latency: HttpLatency }> {
  const counters: HttpCounters = { requests: 0, errors4xx: 0, errors5xx: 0 };
  const latency = new HttpLatency();
  const app = fastify({
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    // One log line per request would be per record at info level; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: with the redaction every gateway logger has,
    // creating one cost ~6 % of a put's CPU. Failures are logged with method and URL.
    childLoggerFactory: (logger) => logger,
    bodyLimit: options.bodyLimitBytes ?? 8 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false, allowUnionTypes: true } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  if (options.docs !== false) {
    await app.register(swagger, {
      openapi: {
        info: { title: 'xdrgate region gateway', version: '0.1.0', description: 'Aerospike-style records replicated across regions through Kafka. Errors are {code, message}; codes in docs/errors.md.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } } },
        ...(options.authToken || options.users ? { security: [{ bearer: [] }, ...(options.users ? [{ basic: [] }] : [])] } : {}),
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  // JSON only: a text body is refused with 415 instead of reaching a route as a string.
  app.removeContentTypeParser('text/plain');

  // Callback-style hooks: an async hook costs a promise per request on the hot path.
  const accepting = options.accepting;
  app.addHook('onRequest', (req, _reply, done) => {
    counters.requests += 1;
    if (accepting !== undefined && !accepting() && !STARTING_PATHS.some((p) => req.url === p || req.url.startsWith(`${p}/`) || req.url.startsWith(`${p}?`))) {
      return done(new XdrError('XDR_ERR_NOT_READY', 'the gateway is starting (replication and routes are not up yet); retry shortly, GET /readyz says when it is ready'));
    }
    done();
  });
  const auth = new HttpAuth({ ...(options.authToken ? { token: options.authToken } : {}), ...(options.users ? { users: options.users } : {}) });
  if (auth.required) {
    app.addHook('onRequest', (req, _reply, done) => {
      const path = req.url.split('?')[0]!;
      if (OPEN_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return done();
      const refuse = () => done(new XdrError('XDR_ERR_UNAUTHORIZED', `missing or wrong credentials; ${auth.howTo}`));
      const ok = auth.check(req.headers.authorization);
      if (ok === true) return done();
      if (ok === false) return refuse();
      ok.then((good) => (good ? done() : refuse()), refuse);
    });
  }
  const users = options.users;
  if (users !== undefined) {
    // A session for the user of the Basic header (the hook above checked it): the token the service port's login gives.
    app.post('/v1/login', { schema: { tags: ['auth'], summary: 'A session token for a service.users user (send Basic auth)', response: { 200: { type: 'object', properties: { user: { type: 'string' }, token: { type: 'string' }, ttlSec: { type: 'integer' } } } } } }, async (req) => {
      const basic = basicCredentials(req.headers.authorization);
      if (basic === undefined) throw new XdrError('XDR_ERR_UNAUTHORIZED', 'POST /v1/login takes Authorization: Basic <user:password> of a service.users user');
      const session = users.issueSession(basic.user);
      return { user: basic.user, token: encodeSession(basic.user, session.token), ttlSec: session.ttlSec };
    });
  }

  // Every answered request, errors and 404s included; elapsedTime is fastify's own clock from onRequest.
  app.addHook('onResponse', (req, reply, done) => {
    latency.record(req.method, req.routeOptions.url, reply.elapsedTime);
    done();
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body, internal } = toErrorReply(err);
    if (internal) {
      counters.errors5xx += 1;
      req.log.error({ err, method: req.method, url: req.url }, 'request failed');
    } else counters.errors4xx += 1;
    if (status === 401) void reply.header('www-authenticate', auth.challenge);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    counters.errors4xx += 1;
    const err = notFoundError(req.method, req.url);
    return reply.code(404).send({ code: err.code, message: err.message });
  });

  registerRecordRoutes(app, deps, options.batchKeysMax ?? 5000);
  registerQueryRoutes(app, deps);
  registerIndexRoutes(app, deps);
  registerAdminRoutes(app, deps);
  for (const add of options.routes ?? []) add(app);
  await app.ready();
  return { app, counters, latency };
}
