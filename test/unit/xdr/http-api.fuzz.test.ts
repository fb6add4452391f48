// Fuzzing the HTTP API (fastify inject) against a real engine in a temp dir:
// random methods, paths, query strings, content types and bodies never crash
// the server and never get a 5xx; every refusal is a 4xx with a stable code;
// a refused write leaves nothing behind, an accepted one reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../../engine/index.js';
import { buildHttpServer, type HttpDeps } from '../../../xdr/http/index.js';
import { enginePartitionSource, registerPartitionRoutes } from '../../../xdr/verify/index.js';
import { FakeRoutes } from './fake-routes.js';
import { defer, type CleanupScope } from '../../helpers/cleanup.js';
import { tmpDir } from '../../helpers/tmp.js';
import { fuzzAssert } from '../../helpers/fuzz.js';

const CODE = /^[A-Z]+_ERR_[A-Z0-9_]+$/;

async function server(t: CleanupScope): Promise<FastifyInstance> {
  const engine = await Engine.open({
    dataDir: await tmpDir(t, 'xdrgate-fuzz-http-'),
    regionId: 1,
    namespaces: [{ name: 'user_data', filesize: 16 * 1024 * 1024 }, { name: 'sessions', storageEngine: 'memory' }],
  });
  defer(t, () => engine.close());
  const deps: HttpDeps = {
    region: { name: 'tokyo', id: 1 },
    engine: engine as unknown as HttpDeps['engine'],
    routes: new FakeRoutes(),
    namespaceLimit: (ns) => (['user_data', 'sessions'].includes(ns) ? { maxRecordSizeBytes: 64 * 1024 } : undefined),
    lag: () => ({ routes: [] }),
    stats: () => ({}),
    readiness: () => ({ ready: true, checks: {} }),
    logger: pino({ level: 'silent' }),
  };
  const source = enginePartitionSource(engine)!;
  const { app } = await buildHttpServer(deps, { docs: false, bodyLimitBytes: 256 * 1024, routes: [(a) => registerPartitionRoutes(a, { region: 'tokyo', source })] });
  defer(t, () => app.close());
  return app;
}

function assertRefusalShape(status: number, body: string, what: string): void {
  assert.ok(status < 500, `${what} → ${status} ${body.slice(0, 300)}`);
  if (status >= 400 && status !== 404 && body.length > 0) {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    assert.match(String(parsed.code), CODE, `${what} → ${status} without a code: ${body.slice(0, 300)}`);
    assert.equal(typeof parsed.message, 'string');
  }
}

const segment = fc.oneof(
  fc.constantFrom('v1', 'records', 'user_data', 'sessions', 'nope', 's', 'k', 'operate', 'batch', 'get', 'query', 'xdr', 'routes', 'admin', 'partitions', '0', '4095', '4096', '-1', '..', '%2e%2e', '%00', '%ff', 'pause', 'rewind'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map(encodeURIComponent),
);
const path = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`),
  fc.tuple(fc.constantFrom('user_data', 'sessions', 'nope'), segment, segment).map(([ns, set, key]) => `/v1/records/${ns}/${set}/${key}`),
  fc.tuple(fc.constantFrom('user_data', 'sessions', 'nope'), segment).map(([ns, rest]) => `/v1/admin/partitions/${ns}/${rest}`),
  fc.tuple(fc.constantFrom('user_data', 'sessions', 'nope'), segment).map(([ns, key]) => `/v1/records/${ns}/s/${key}/operate`),
  fc.constantFrom('/v1/batch/get', '/v1/query/user_data/s', '/v1/xdr/routes/r1', '/v1/xdr/routes/r1/rewind', '/v1/admin/partitions/user_data'),
);
const query = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('keyType', 'bins', 'from', 'to', 'liveOnly', 'durable', 'x'), fc.oneof(fc.constantFrom('integer', 'bytes', 'string', 'true', '0', '4095', '99999', '-5', ''), fc.string({ maxLength: 10 })), { maxKeys: 3 })
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((bins) => JSON.stringify({ bins })),
  fc.record({ ops: fc.array(fc.record({ op: fc.constantFrom('incr', 'write', 'read', 'list-append', 'map-put', 'touch', 'bogus'), bin: fc.string({ maxLength: 20 }), value: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), { maxLength: 4 }) }).map((o) => JSON.stringify(o)),
  fc.record({ keys: fc.array(fc.record({ ns: fc.constantFrom('user_data', 'x'), set: fc.string({ maxLength: 5 }), key: fc.oneof(fc.string({ maxLength: 5 }), fc.integer()) }), { maxLength: 3 }) }).map((o) => JSON.stringify(o)),
);

test('random requests never crash the server or get a 5xx; refusals carry a code', { timeout: 120_000 }, async (t) => {
  const app = await server(t);
  await fuzzAssert(
    t,
    fc.asyncProperty(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH'), path, query, body, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined), async (method, p, q, payload, contentType) => {
      const res = await app.inject({ method, url: `${p}${q}`, ...(payload !== undefined ? { payload } : {}), headers: contentType ? { 'content-type': contentType } : {} });
      assertRefusalShape(res.statusCode, res.body, `${method} ${p}${q} ${String(payload).slice(0, 200)}`);
    }),
    { numRunsDefault: 300 },
  );
});

/**
 * Seen failing: bins { '%r;fGH': {} } with ttl 1, accepted, then 404. Void
 * times are whole seconds (now's second + ttl, as Aerospike keeps them), so a
 * ttl-1 record written late in a second expires at the next one, which the
 * read can reach. The server was right; the test now allows 404 exactly when
 * the read may be in the record's void second.
 */
const ttlExamples: Array<[Record<string, fc.JsonValue>, number | string | undefined]> = [[{ '%r;fGH': {} }, 1]];

test('a PUT is all or nothing: refused → the record does not exist; accepted → it reads back as written', { timeout: 120_000 }, async (t) => {
  const app = await server(t);
  let n = 0;
  await fuzzAssert(
    t,
    fc.asyncProperty(fc.dictionary(fc.string({ minLength: 0, maxLength: 18 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), fc.option(fc.oneof(fc.integer({ min: -5, max: 100 }), fc.string({ maxLength: 3 })), { nil: undefined }), async (bins, ttl) => {
      const key = `fz${n++}`;
      const putSec = Math.floor(Date.now() / 1000);
      const put = await app.inject({ method: 'PUT', url: `/v1/records/user_data/s/${key}`, payload: { bins, ...(ttl !== undefined ? { ttl } : {}) } });
      assertRefusalShape(put.statusCode, put.body, `PUT ${JSON.stringify(bins).slice(0, 200)}`);
      const get = await app.inject({ method: 'GET', url: `/v1/records/user_data/s/${key}` });
      const getSec = Math.floor(Date.now() / 1000);
      if (put.statusCode !== 200) {
        assert.equal(get.statusCode, 404, `refused PUT (${put.body}) left a record behind`);
        return;
      }
      // null removes a bin; everything else reads back as written.
      const expected = Object.fromEntries(Object.entries(bins).filter(([, v]) => v !== null));
      if (Object.keys(expected).length === 0) return; // a write of no bins leaves a tombstone (or nothing)
      // Void time = the write's second + ttl: the read may only miss the record once it reached that second.
      const ttlSec = Number(ttl);
      const mayHaveExpired = Number.isFinite(ttlSec) && ttlSec > 0 && getSec >= putSec + ttlSec;
      if (mayHaveExpired && get.statusCode === 404) return;
      assert.equal(get.statusCode, 200);
      assert.deepEqual((get.json() as { bins: unknown }).bins, JSON.parse(JSON.stringify(expected)));
    }),
    { numRunsDefault: 300, examples: ttlExamples },
  );
});
