// A real `xdrgate serve` with a bearer token, a password-protected Redis and a
// Kafka with SASL credentials: every data and admin endpoint answers 401
// without the token (path tricks included), the Redis password works, and no
// secret appears in the process's logs (debug level), /v1/stats, /metrics or
// `serve --check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from '../../../../xdr/infra/index.js';
import { defer } from '../../../helpers/cleanup.js';
import { childEnv } from '../../../helpers/gateway-env.js';
import { spawnTs } from '../../../helpers/spawn.js';
import { tmpDir } from '../../../helpers/tmp.js';
import { waitFor } from '../../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const TOKEN = 'tok-SECRET-5b1f0c9e7d2a4c68';
const REDIS_PW = 'redispw-SECRET-3e8a';
const KAFKA_PW = 'kafkapw-SECRET-91c2';
const SECRETS = [TOKEN, REDIS_PW, KAFKA_PW];

const OPEN = [/^\/healthz$/, /^\/readyz$/, /^\/docs/, /^\/metrics$/, /^\/dashboard/];

test('token required on every data and admin endpoint; secrets in no log, stats or metrics', { timeout: 180_000 }, async (t) => {
  const dir = await tmpDir(t, 'xdrgate-sec-');
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--requirepass', REDIS_PW, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  defer(t, () => void redis.kill('SIGKILL'));
  await waitFor(async () => {
    const probe = new Redis({ port: redisPort, password: REDIS_PW, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } finally {
      probe.disconnect();
    }
  }, { timeoutMs: 20_000, what: 'password-protected redis-server' });

  const port = await freePort();
  const config = path.join(dir, 'gw.yaml');
  await writeFile(config, `
region: { name: tokyo, id: 1 }
listen: 127.0.0.1:${port}
data-dir: ${path.join(dir, 'data')}
log-level: debug
auth-token: ${TOKEN}
redis-url: redis://:${REDIS_PW}@127.0.0.1:${redisPort}
redis-key-prefix: "sec-test:"
namespaces: { user_data: { durability: buffered, storage: { engine: memory } } }
regions:
  # Nothing listens on port 1: the Kafka clients fail (and log) with their SASL settings in hand.
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:1"], sasl: { mechanism: plain, username: xdr, password: ${KAFKA_PW} } } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:1"], sasl: { mechanism: plain, username: xdr, password: ${KAFKA_PW} } } }
routes:
  - { name: tokyo-virginia, source: tokyo, destination: virginia, namespace: user_data }
`);
  const gw = spawnTs(t, path.join(root, 'bin', 'xdrgate.js'), { args: ['serve', '--config', config], env: childEnv() });
  const base = `http://127.0.0.1:${port}`;
  const ready = await waitFor(async () => {
    if (gw.child.exitCode !== null) throw new Error(`gateway exited:\n${gw.stdout().slice(-3000)}${gw.stderr().slice(-3000)}`);
    const res = await fetch(`${base}/readyz`);
    return res.status === 200 ? ((await res.json()) as { checks: Record<string, unknown> }) : undefined;
  }, { timeoutMs: 90_000, intervalMs: 200, what: 'gateway ready' });
  // The password in redis-url authenticated the route catalog's connection.
  await waitFor(async () => ((await (await fetch(`${base}/readyz`)).json()) as { checks: Record<string, unknown> }).checks.routeCatalog === true, { timeoutMs: 20_000, what: `route catalog connected to the password-protected Redis (readyz: ${JSON.stringify(ready)})` });

  // Every endpoint the OpenAPI document lists, with and without the token.
  const spec = (await (await fetch(`${base}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const fill = (p: string) => p.replace('{ns}', 'user_data').replace('{set}', 's').replace('{key}', 'k').replace('{name}', 'tokyo-virginia').replace('{pid}', '0').replace(/\{[^}]+\}/g, 'x');
  let checked = 0;
  for (const [p, methods] of Object.entries(spec.paths)) {
    const url = fill(p);
    for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const body = ['PUT', 'POST'].includes(method) ? '{}' : undefined;
      const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
      const none = await fetch(`${base}${url}`, { method, headers, ...(body ? { body } : {}) });
      const wrong = await fetch(`${base}${url}`, { method, headers: { ...headers, authorization: `Bearer ${TOKEN}x` }, ...(body ? { body } : {}) });
      const right = await fetch(`${base}${url}`, { method, headers: { ...headers, authorization: `Bearer ${TOKEN}` }, ...(body ? { body } : {}) });
      await Promise.all([none.arrayBuffer(), wrong.arrayBuffer(), right.arrayBuffer()]);
      if (OPEN.some((re) => re.test(url))) continue;
      assert.equal(none.status, 401, `${method} ${url} without a token`);
      assert.equal(wrong.status, 401, `${method} ${url} with a wrong token`);
      assert.notEqual(right.status, 401, `${method} ${url} with the token`);
      checked++;
    }
  }
  assert.ok(checked >= 15, `only ${checked} protected endpoints found in /docs/json`);

  // A record behind the token cannot be reached through an open prefix.
  const put = await fetch(`${base}/v1/records/user_data/s/hidden`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ bins: { v: 'PRIVATE-VALUE' } }) });
  assert.equal(put.status, 200);
  for (const trick of ['/docs/../v1/records/user_data/s/hidden', '/healthz/../v1/records/user_data/s/hidden', '/docs/%2e%2e/v1/records/user_data/s/hidden', '/metrics/..%2fv1/stats', '//v1/records/user_data/s/hidden', '/V1/records/user_data/s/hidden', '/v1/records/user_data/s/hidden?x=/healthz', '/dashboard/../v1/stats']) {
    const res = await fetch(`${base}${trick}`);
    const text = await res.text();
    assert.ok(!text.includes('PRIVATE-VALUE') && !/"uptimeSec"/.test(text), `${trick} leaked data (status ${res.status})`);
    assert.notEqual(res.status, 200, `${trick} answered 200 without a token`);
  }

  // Secrets in no output.
  const stats = await (await fetch(`${base}/v1/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const check = spawnTs(t, path.join(root, 'bin', 'xdrgate.js'), { args: ['serve', '--config', config, '--check'], env: childEnv() });
  await check.exited;
  assert.match(check.stdout(), /"username": "xdr"/);
  await gw.stop();
  const logs = gw.stdout() + gw.stderr();
  assert.ok(logs.length > 1000, 'debug logs were captured');
  assert.match(logs, /kafkajs/, 'the Kafka clients logged (with their SASL settings in hand)');
  assert.match(logs, new RegExp(`127\\.0\\.0\\.1:${redisPort}`), 'the Redis address is logged, its password not');
  for (const [what, text] of [['logs', logs], ['/v1/stats', stats], ['/metrics', metrics], ['serve --check', check.stdout()]] as const) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} appears in ${what}`);
  }
  t.diagnostic(`${checked} protected endpoints answer 401 without or with a wrong token; ${logs.split('\n').length} debug log lines, /v1/stats, /metrics and serve --check free of the 3 secrets`);
});
