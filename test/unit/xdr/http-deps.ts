/** What buildHttpServer needs, for HTTP unit tests: Tokyo on the given engine, fake routes, always ready; override any part. */
import pino from 'pino';
import type { HttpDeps } from '../../../xdr/http/index.js';
import { FakeRoutes } from './fake-routes.js';

export function testHttpDeps(engine: HttpDeps['engine'], overrides: Partial<HttpDeps> = {}): HttpDeps {
  return {
    region: { name: 'tokyo', id: 1 },
    engine,
    routes: new FakeRoutes(),
    namespaceLimit: () => ({ maxRecordSizeBytes: 1024 * 1024 }),
    lag: () => ({ routes: [] }),
    stats: () => ({}),
    readiness: () => ({ ready: true, checks: {} }),
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}
