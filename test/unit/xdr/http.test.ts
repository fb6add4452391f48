import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { InjectOptions } from 'fastify';
import { buildHttpServer } from '../../../xdr/http/index.js';
import { memoryEngine, recordCount } from '../../helpers/memory-engine.js';
import { FakeRoutes } from './fake-routes.js';
import { hllCats } from '../../helpers/hll.js';

async function setup(t: { after: (fn: () => Promise<void> | void) => void }, options: { authToken?: string; bodyLimitBytes?: number } = {}) {
  const engine = await memoryEngine(t);
  const routes = new FakeRoutes();
  const { app, counters } = await buildHttpServer(
    {
      region: { name: 'tokyo', id: 1 },
      engine,
      routes,
      namespaceLimit: (ns) => (ns === 'user_data' ? { maxRecordSizeBytes: 128 * 1024 } : { maxRecordSizeBytes: 1024 * 1024 }),
      lag: () => ({ routes: [] }),
      stats: () => ({ region: 'tokyo' }),
      readiness: () => ({ ready: true, checks: { engine: true } }),
      logger: pino({ level: 'silent' }),
    },
    { docs: true, ...options },
  );
  t.after(() => app.close());
  return { app, engine, routes, counters };
}

test('put then get a record, with bytes and int64 wrappers round-tripping', async (t) => {
  const { app } = await setup(t);
  const bins = { name: 'Ada', views: 3, blob: { $bytes: Buffer.from('hi').toString('base64') }, big: { $int: '9007199254740993' }, tags: ['a', 'b'], prefs: { dark: true } };
  const put = await app.inject({ method: 'PUT', url: '/v1/records/user_data/profiles/u1', payload: { bins, ttl: 60 } });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().generation, 1);
  const get = await app.inject({ method: 'GET', url: '/v1/records/user_data/profiles/u1' });
  assert.equal(get.statusCode, 200);
  const body = get.json();
  assert.deepEqual(body.bins, bins);
  assert.deepEqual(Object.keys(body).sort(), ['bins', 'generation', 'lut', 'region', 'ttl']);
  const some = await app.inject({ method: 'GET', url: '/v1/records/user_data/profiles/u1?bins=name,views' });
  assert.deepEqual(some.json().bins, { name: 'Ada', views: 3 });
});

test('null inside lists and maps is stored and read back as null; a bin of null is removed', async (t) => {
  const { app } = await setup(t);
  const url = '/v1/records/user_data/profiles/nils';
  const bins = { padded: [1, null, { a: null }], m: { x: null, y: 1 } };
  assert.equal((await app.inject({ method: 'PUT', url, payload: { bins } })).statusCode, 200);
  assert.deepEqual((await app.inject({ method: 'GET', url })).json().bins, bins);
  assert.equal((await app.inject({ method: 'PUT', url, payload: { bins: { m: null } } })).statusCode, 200);
  assert.deepEqual((await app.inject({ method: 'GET', url })).json().bins, { padded: [1, null, { a: null }] });
});

test('integer and bytes keys are chosen with keyType and are distinct from string keys', async (t) => {
  const { app } = await setup(t);
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/42?keyType=integer', payload: { bins: { v: 'int' } } });
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/42', payload: { bins: { v: 'str' } } });
  await app.inject({ method: 'PUT', url: `/v1/records/user_data/s/${Buffer.from([1, 2, 3]).toString('base64url')}?keyType=bytes`, payload: { bins: { v: 'bytes' } } });
  assert.equal((await app.inject({ method: 'GET', url: '/v1/records/user_data/s/42?keyType=integer' })).json().bins.v, 'int');
  assert.equal((await app.inject({ method: 'GET', url: '/v1/records/user_data/s/42' })).json().bins.v, 'str');
  assert.equal((await app.inject({ method: 'GET', url: '/v1/records/user_data/s/AQID?keyType=bytes' })).json().bins.v, 'bytes');
  const bad = await app.inject({ method: 'GET', url: '/v1/records/user_data/s/4x2?keyType=integer' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'XDR_ERR_BAD_REQUEST');
  const badType = await app.inject({ method: 'GET', url: '/v1/records/user_data/s/42?keyType=float' });
  assert.equal(badType.statusCode, 400);
});

test('absent records are 404 with an engine code; delete is 204 then 404', async (t) => {
  const { app } = await setup(t);
  const miss = await app.inject({ method: 'GET', url: '/v1/records/user_data/s/nobody' });
  assert.equal(miss.statusCode, 404);
  assert.equal(miss.json().code, 'ENGINE_ERR_RECORD_NOT_FOUND');
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: 1 } } });
  assert.equal((await app.inject({ method: 'DELETE', url: '/v1/records/user_data/s/k' })).statusCode, 204);
  assert.equal((await app.inject({ method: 'DELETE', url: '/v1/records/user_data/s/k' })).statusCode, 404);
});

test('write policies map to 409 with their codes', async (t) => {
  const { app } = await setup(t);
  const url = '/v1/records/user_data/s/p';
  assert.equal((await app.inject({ method: 'PUT', url, payload: { bins: { a: 1 }, exists: 'create' } })).statusCode, 200);
  const again = await app.inject({ method: 'PUT', url, payload: { bins: { a: 2 }, exists: 'create' } });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'ENGINE_ERR_RECORD_EXISTS');
  const gen = await app.inject({ method: 'PUT', url, payload: { bins: { a: 2 }, generation: 7 } });
  assert.equal(gen.statusCode, 409);
  assert.equal(gen.json().code, 'ENGINE_ERR_GENERATION_MISMATCH');
  const upd = await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/none', payload: { bins: { a: 1 }, exists: 'update' } });
  assert.equal(upd.statusCode, 404);
});

test('bad input gets 4xx with a code and writes nothing', async (t) => {
  const { app, engine } = await setup(t);
  const cases: Array<{ name: string; req: InjectOptions; status: number; code: string }> = [
    { name: 'malformed JSON', req: { method: 'PUT', url: '/v1/records/user_data/s/k', headers: { 'content-type': 'application/json' }, payload: '{"bins": {' }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'missing bins', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { ttl: 5 } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'bins not an object', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: [1, 2] } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'ttl as a string', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: 1 }, ttl: '60' } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'unknown field', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: 1 }, colour: 'red' } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'bad base64', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: { $bytes: '!!!' } } } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'int64 overflow', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: { $int: '99999999999999999999' } } } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'unknown namespace', req: { method: 'PUT', url: '/v1/records/nope/s/k', payload: { bins: { a: 1 } } }, status: 404, code: 'ENGINE_ERR_NAMESPACE_NOT_FOUND' },
    { name: 'oversized record', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: 'x'.repeat(200 * 1024) } } }, status: 413, code: 'ENGINE_ERR_RECORD_TOO_BIG' },
    { name: 'bin name too long', req: { method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a_very_long_bin_name: 1 } } }, status: 400, code: 'ENGINE_ERR_BIN_NAME_TOO_LONG' },
    { name: 'text body', req: { method: 'PUT', url: '/v1/records/user_data/s/k', headers: { 'content-type': 'text/plain' }, payload: 'hello' }, status: 415, code: 'XDR_ERR_UNSUPPORTED_MEDIA_TYPE' },
    { name: 'unknown op', req: { method: 'POST', url: '/v1/records/user_data/s/k/operate', payload: { ops: [{ op: 'explode', bin: 'a' }] } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'op missing a field', req: { method: 'POST', url: '/v1/records/user_data/s/k/operate', payload: { ops: [{ op: 'write', bin: 'a', value: 1 }, { op: 'incr', bin: 'v' }] } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'incr by text', req: { method: 'POST', url: '/v1/records/user_data/s/k/operate', payload: { ops: [{ op: 'incr', bin: 'v', value: 'one' }] } }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { name: 'no such endpoint', req: { method: 'GET', url: '/v1/nothing' }, status: 404, code: 'XDR_ERR_NOT_FOUND' },
  ];
  for (const c of cases) {
    const res = await app.inject(c.req);
    assert.equal(res.statusCode, c.status, `${c.name}: ${res.body}`);
    assert.equal(res.json().code, c.code, c.name);
    assert.equal(typeof res.json().message, 'string', c.name);
  }
  assert.equal(await recordCount(engine), 0, 'no refused request may write anything');
});

test('a body over body-limit is 413', async (t) => {
  const { app } = await setup(t, { bodyLimitBytes: 2048 });
  const res = await app.inject({ method: 'PUT', url: '/v1/records/sessions/s/k', payload: { bins: { a: 'x'.repeat(4096) } } });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'XDR_ERR_PAYLOAD_TOO_LARGE');
});

test('operate runs steps in order and returns results', async (t) => {
  const { app } = await setup(t);
  const url = '/v1/records/user_data/s/counter/operate';
  const res = await app.inject({ method: 'POST', url, payload: { ops: [{ op: 'incr', bin: 'views', value: 2 }, { op: 'incr', bin: 'views', value: 3 }, { op: 'read', bin: 'views' }, { op: 'list-append', bin: 'log', value: { $bytes: 'AQ==' } }] } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().results, [null, null, 5, 1]);
  const mismatch = await app.inject({ method: 'POST', url, payload: { ops: [{ op: 'incr', bin: 'log', value: 1 }] } });
  assert.equal(mismatch.statusCode, 400);
  assert.equal(mismatch.json().code, 'ENGINE_ERR_BIN_TYPE_MISMATCH');
});

test('batch get returns null for absent keys and refuses oversized batches', async (t) => {
  const { app } = await setup(t);
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/a', payload: { bins: { v: 1 } } });
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/7?keyType=integer', payload: { bins: { v: 7 } } });
  const res = await app.inject({
    method: 'POST',
    url: '/v1/batch/get',
    payload: { keys: [{ ns: 'user_data', set: 's', key: 'a' }, { ns: 'user_data', set: 's', key: 'zz' }, { ns: 'user_data', set: 's', key: 7 }] },
  });
  assert.equal(res.statusCode, 200, res.body);
  const records = res.json().records;
  assert.equal(records[0].bins.v, 1);
  assert.equal(records[1], null);
  assert.equal(records[2].bins.v, 7);
  const keys = Array.from({ length: 5001 }, (_, i) => ({ ns: 'user_data', set: 's', key: `k${i}` }));
  const big = await app.inject({ method: 'POST', url: '/v1/batch/get', payload: { keys } });
  assert.equal(big.statusCode, 400);
});

test('scans and queries stream NDJSON ending with a $done line', async (t) => {
  const { app } = await setup(t);
  for (let i = 0; i < 5; i++) await app.inject({ method: 'PUT', url: `/v1/records/user_data/people/p${i}`, payload: { bins: { age: 20 + i, city: i % 2 ? 'tokyo' : 'paris' } } });
  await app.inject({ method: 'PUT', url: '/v1/records/user_data/other/x', payload: { bins: { age: 99 } } });
  const scan = await app.inject({ method: 'POST', url: '/v1/query/user_data/people', payload: {} });
  assert.equal(scan.statusCode, 200);
  assert.match(String(scan.headers['content-type']), /application\/x-ndjson/);
  const lines = scan.body.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 6);
  assert.deepEqual(lines.at(-1), { $done: true, records: 5 });
  assert.equal(lines[0].keyType, 'string');

  const noIndex = await app.inject({ method: 'POST', url: '/v1/query/user_data/people', payload: { filter: { bin: 'age', between: [21, 23] } } });
  assert.equal(noIndex.statusCode, 404, 'a query without an index fails before streaming');
  assert.equal(noIndex.json().code, 'ENGINE_ERR_SINDEX_NOT_FOUND');
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/indexes/user_data/age_idx', payload: { bin: 'age', type: 'integer' } })).statusCode, 201);
  const q = await app.inject({ method: 'POST', url: '/v1/query/user_data/people', payload: { filter: { bin: 'age', between: [21, 23] } } });
  const found = q.body.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(found.slice(0, -1).map((r) => r.bins.age).sort(), [21, 22, 23]);
  const whole = await app.inject({ method: 'GET', url: '/v1/scan/user_data?limit=2' });
  assert.deepEqual(whole.body.trim().split('\n').map((l) => JSON.parse(l)).at(-1), { $done: true, records: 2 });
  const listed = await app.inject({ method: 'GET', url: '/v1/indexes/user_data' });
  assert.equal(listed.json().indexes[0].name, 'age_idx');
});

test('a blob index is created over HTTP and answers an equality query by {"$bytes"}', async (t) => {
  const { app } = await setup(t);
  const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
  for (const [k, bytes] of [['a', [1, 2]], ['b', [3]], ['c', [1, 2]]] as const) {
    await app.inject({ method: 'PUT', url: `/v1/records/user_data/blobs/${k}`, payload: { bins: { tag: { $bytes: b64([...bytes]) } } } });
  }
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/indexes/user_data/tag_idx', payload: { bin: 'tag', type: 'blob' } })).statusCode, 201);
  const q = await app.inject({ method: 'POST', url: '/v1/query/user_data/blobs', payload: { filter: { bin: 'tag', equals: { $bytes: b64([1, 2]) } } } });
  assert.equal(q.statusCode, 200, q.body);
  const lines = q.body.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.slice(0, -1).map((r) => r.key).sort(), ['a', 'c']);
});

test('bearer token: 401 without it, 200 with it, health and docs stay open', async (t) => {
  const token = 'correct-horse-battery-staple';
  const { app } = await setup(t, { authToken: token });
  const none = await app.inject({ method: 'GET', url: '/v1/stats' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'XDR_ERR_UNAUTHORIZED');
  const wrong = await app.inject({ method: 'GET', url: '/v1/stats', headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  const ok = await app.inject({ method: 'GET', url: '/v1/stats', headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode, 200);
});

test('admin routes: create, list, pause, resume, rewind, remove', async (t) => {
  const { app, routes } = await setup(t);
  const created = await app.inject({ method: 'PUT', url: '/v1/xdr/routes/t2v-ud', payload: { source: 'tokyo', destination: 'virginia', namespace: 'user_data', hotKeyMs: 5 } });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().spec.resolver, 'lww');
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/xdr/routes/t2v-ud', payload: { source: 'tokyo', destination: 'virginia', namespace: 'user_data' } })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/xdr/routes' })).json().routes.length, 1);
  assert.equal((await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/pause' })).json().state, 'paused');
  assert.equal((await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/resume' })).json().state, 'running');
  const rewind = await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/rewind', payload: { since: '2026-01-01T00:00:00Z' } });
  assert.equal(rewind.statusCode, 200, rewind.body);
  assert.deepEqual(routes.rewinds, [{ name: 't2v-ud', sinceMs: Date.parse('2026-01-01T00:00:00Z') }]);
  assert.equal((await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/rewind', payload: { ago: 'soon' } })).statusCode, 400);
  const withOrigin = await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/rewind', payload: { includeOrigin: true } });
  assert.equal(withOrigin.statusCode, 200, withOrigin.body);
  assert.deepEqual(withOrigin.json(), { route: 't2v-ud', sinceMs: 0, includeOrigin: true });
  assert.deepEqual(routes.rewinds.at(-1), { name: 't2v-ud', sinceMs: 0, includeOrigin: true });
  assert.equal((await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/rewind', payload: { includeOrigin: 'yes' } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'DELETE', url: '/v1/xdr/routes/t2v-ud' })).statusCode, 204);
  const gone = await app.inject({ method: 'POST', url: '/v1/xdr/routes/t2v-ud/pause' });
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json().code, 'XDR_ERR_ROUTE_NOT_FOUND');
});

test('admin routes: the health of a route is served whole, and a route its destination cannot apply is saved with a warning', async (t) => {
  const { app, routes } = await setup(t);
  routes.warnings = [{ code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace sessions does not exist in virginia', at_ms: 1 }];
  const created = await app.inject({ method: 'PUT', url: '/v1/xdr/routes/t2v-s', payload: { source: 'tokyo', destination: 'virginia', namespace: 'sessions' } });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json().warnings, routes.warnings);
  routes.warnings = [];
  const r = routes.routes.get('t2v-s')!;
  Object.assign(r, {
    state: 'erroring',
    reason: 'virginia does not receive it: namespace sessions does not exist in virginia',
    error: routes.warnings[0] ?? { code: 'XDR_ERR_ROUTE_NAMESPACE_MISSING', message: 'namespace sessions does not exist in virginia', at_ms: 1 },
    destination: { region: 'virginia', status: 'not_receiving', reason: 'namespace sessions does not exist in virginia', error: null, reported_at_ms: 2, offset_lag: 0, last_applied_age_ms: -1, errors: { dead_lettered: 0, resolver_errors: 0, apply_retries: 0, last: null }, errors_recent: false },
  });
  const listed = (await app.inject({ method: 'GET', url: '/v1/xdr/routes/t2v-s' })).json();
  assert.equal(listed.state, 'erroring');
  assert.equal(listed.intent, 'running');
  assert.equal(listed.error.code, 'XDR_ERR_ROUTE_NAMESPACE_MISSING');
  assert.equal(listed.destination.status, 'not_receiving');
  assert.equal(listed.destination.errors.dead_lettered, 0);
  assert.equal(listed.scan, null);
  assert.equal(listed.warnings, undefined, 'warnings belong to the answer of the PUT only');
});

test('admin routes: invalid and non-local routes are refused with their codes', async (t) => {
  const { app } = await setup(t);
  const cases = [
    { payload: { source: 'tokyo', destination: 'mars', namespace: 'user_data' }, status: 400, code: 'XDR_ERR_ROUTE_INVALID' },
    { payload: { source: 'virginia', destination: 'tokyo', namespace: 'user_data' }, status: 409, code: 'XDR_ERR_ROUTE_NOT_LOCAL' },
    { payload: { source: 'tokyo', destination: 'virginia', namespace: 'user_data', resolver: 'coin-flip' }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
    { payload: { source: 'tokyo', destination: 'virginia' }, status: 400, code: 'XDR_ERR_BAD_REQUEST' },
  ];
  for (const c of cases) {
    const res = await app.inject({ method: 'PUT', url: '/v1/xdr/routes/r1', payload: c.payload });
    assert.equal(res.statusCode, c.status, res.body);
    assert.equal(res.json().code, c.code);
  }
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/xdr/routes/Bad%20Name', payload: cases[0]!.payload })).statusCode, 400);
});

test('the OpenAPI document lists every endpoint of the issue', async (t) => {
  const { app } = await setup(t);
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  const paths = Object.keys(doc.paths);
  for (const p of ['/v1/records/{ns}/{set}/{key}', '/v1/records/{ns}/{set}/{key}/operate', '/v1/batch/get', '/v1/query/{ns}/{set}', '/v1/xdr/routes', '/v1/xdr/routes/{name}', '/v1/xdr/routes/{name}/pause', '/v1/xdr/routes/{name}/resume', '/v1/xdr/routes/{name}/rewind', '/v1/xdr/lag', '/v1/stats', '/healthz', '/readyz']) {
    assert.ok(paths.includes(p), `missing ${p}`);
  }
});

test('operate runs HyperLogLog steps; a sketch reads back as {"$hll": base64} and unions with what a client built', async (t) => {
  const { app } = await setup(t);
  const url = '/v1/records/user_data/s/visitors/operate';
  const res = await app.inject({
    method: 'POST',
    url,
    payload: {
      ops: [
        { op: 'hll', bin: 'seen', call: 'add', elements: ['jaguar', 'tiger', 'tiger', 'leopard', 'lion'], indexBits: 8 },
        { op: 'hll', bin: 'seen', call: 'count' },
        { op: 'hll', bin: 'seen', call: 'describe' },
        { op: 'read', bin: 'seen' },
      ],
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  const results = res.json().results;
  assert.deepEqual(results.slice(0, 3), [4, 4, [8, 0]]);
  // The elements hash as the official client's strings do: the same sketch Aerospike builds from them.
  assert.deepEqual(Buffer.from(results[3].$hll, 'base64'), Buffer.from(hllCats));
  const union = await app.inject({
    method: 'POST',
    url,
    payload: { ops: [{ op: 'hll', bin: 'seen', call: 'union-count', sketches: [{ $hll: Buffer.from(hllCats).toString('base64') }] }, { op: 'hll', bin: 'seen', call: 'init', indexBits: 10, flags: ['create-only', 'no-fail'] }, { op: 'hll', bin: 'seen', call: 'count' }] },
  });
  assert.equal(union.statusCode, 200, union.body);
  assert.deepEqual(union.json().results, [4, null, 4]);
  const exists = await app.inject({ method: 'POST', url, payload: { ops: [{ op: 'hll', bin: 'seen', call: 'init', indexBits: 10, flags: ['create-only'] }] } });
  assert.equal(exists.json().code, 'ENGINE_ERR_BIN_EXISTS');
  const badCall = await app.inject({ method: 'POST', url, payload: { ops: [{ op: 'hll', bin: 'seen', call: 'explode' }] } });
  assert.equal(badCall.json().code, 'XDR_ERR_BAD_REQUEST');
  const badField = await app.inject({ method: 'POST', url, payload: { ops: [{ op: 'hll', bin: 'seen', call: 'count', value: 1 }] } });
  assert.equal(badField.json().code, 'XDR_ERR_BAD_REQUEST');
});
