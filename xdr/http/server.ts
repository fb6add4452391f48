/**
 * The gateway's fastify server: OpenAPI at /docs, bearer-token auth, strict
 * validation (no coercion, unknown fields refused), and every error rendered as
 * { code, message } with its status from the error table (error-reply.ts).
 */
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { timingSafeEqual } from 'node:crypto';
import { XdrError } from '../errors.js';
import type { HttpDeps, HttpOptions } from './deps.js';
import { notFoundError, toErrorReply } from './error-reply.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerIndexRoutes, registerQueryRoutes } from './routes-query.js';
import { registerRecordRoutes } from './routes-records.js';
import { HttpLatency } from './request-latency.js';

// /metrics and /dashboard show figures only (no records), and scrapers and browsers send no bearer token.
const OPEN_PATHS = ['/healthz', '/readyz', '/docs', '/metrics', '/dashboard'];
// What a starting gateway answers: liveness, readiness (503 "starting") and its API docs.
const STARTING_PATHS = ['/healthz', '/readyz', '/docs'];

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

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
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        ...(options.authToken ? { security: [{ bearer: [] }] } : {}),
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
  const token = options.authToken;
  if (token) {
    app.addHook('onRequest', (req, _reply, done) => {
      const path = req.url.split('?')[0]!;
      if (OPEN_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return done();
      if (!tokenMatches(req.headers.authorization, token)) {
        return done(new XdrError('XDR_ERR_UNAUTHORIZED', 'missing or wrong bearer token; send Authorization: Bearer <auth-token>'));
      }
      done();
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
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
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
