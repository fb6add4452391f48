// A starting gateway already listens (so a second gateway on its address fails
// before joining any consumer group) but serves nothing yet: every request other
// than /healthz, /readyz and /docs is 503 XDR_ERR_NOT_READY until the start is
// complete, and nothing reaches the engine or the routes meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpServer } from '../../../xdr/http/index.js';
import { memoryEngine, recordCount } from '../../helpers/memory-engine.js';
import { testHttpDeps } from './http-deps.js';

test('while starting, only liveness, readiness and docs answer; then everything does', async (t) => {
  let started = false;
  const engine = await memoryEngine(t);
  const { app } = await buildHttpServer(
    testHttpDeps(engine, { readiness: () => (started ? { ready: true, checks: { gateway: true } } : { ready: false, checks: { gateway: 'starting' } }) }),
    { docs: true, accepting: () => started },
  );
  t.after(() => app.close());

  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.deepEqual(ready.json().checks, { gateway: 'starting' });
  assert.equal((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode, 200);
  for (const [method, url] of [['PUT', '/v1/records/user_data/s/k'], ['GET', '/v1/records/user_data/s/k'], ['GET', '/v1/xdr/routes'], ['GET', '/v1/stats'], ['GET', '/metrics'], ['GET', '/healthzz']] as const) {
    const res = await app.inject({ method, url, ...(method === 'PUT' ? { payload: { bins: { a: 1 } } } : {}) });
    assert.equal(res.statusCode, 503, `${method} ${url}`);
    assert.equal(res.json().code, 'XDR_ERR_NOT_READY');
    assert.match(res.json().message, /starting/);
  }
  assert.equal(await recordCount(engine), 0, 'the refused write reached nothing');

  started = true;
  assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'PUT', url: '/v1/records/user_data/s/k', payload: { bins: { a: 1 } } })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/records/user_data/s/k' })).statusCode, 200);
  assert.equal(await recordCount(engine), 1);
});
