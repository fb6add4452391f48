// The CLI's data commands (aql's jobs) as a user runs them: the real
// `xdrgate` process against a real gateway on the shipped Virginia config
// (no Kafka: replication is not what this tests). put, batch-get, operate,
// index create/list/drop, query by equality and range, scan of a set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childEnv } from '../../helpers/gateway-env.js';
import { startLocalGateway } from '../../helpers/local-gateway.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

test('query, scan, batch-get, operate and index commands against a gateway', async (t) => {
  const gateway = await startLocalGateway(t);
  const cli = async (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), ...args, '--url', gateway.url], { env: { ...process.env, ...childEnv() }, timeout: 60_000 });

  for (let i = 1; i <= 5; i++) await cli('put', 'user_data', 'profiles', `u${i}`, JSON.stringify({ name: `user ${i}`, plan: i % 2 ? 'gold' : 'free', views: i * 10 }));
  await cli('put', 'user_data', 'other', 'x1', JSON.stringify({ plan: 'gold', views: 20 }));

  const batch = JSON.parse((await cli('batch-get', 'user_data', 'profiles', 'u1', 'nope', 'u3', '--bins', 'views')).stdout);
  assert.equal(batch.records.length, 3);
  assert.deepEqual(batch.records[0].bins, { views: 10 });
  assert.equal(batch.records[1], null);
  assert.deepEqual(batch.records[2].bins, { views: 30 });

  const op = JSON.parse((await cli('operate', 'user_data', 'profiles', 'u2', '[{"op":"incr","bin":"views","value":5},{"op":"read","bin":"views"}]')).stdout);
  assert.deepEqual(op.results.at(-1), 25);

  await cli('index', 'create', 'user_data', 'idx_views', 'views', 'integer');
  await cli('index', 'create', 'user_data', 'idx_plan', 'plan', 'string', '--set', 'profiles');
  const listed = JSON.parse((await cli('index', 'list', 'user_data')).stdout);
  assert.deepEqual(listed.indexes.map((x: { name: string }) => x.name).sort(), ['idx_plan', 'idx_views']);

  const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; bins: Record<string, unknown> });
  const gold = await cli('query', 'user_data', 'profiles', '--where', "plan='gold'");
  assert.deepEqual(lines(gold.stdout).map((r) => r.key).sort(), ['u1', 'u3', 'u5']);
  assert.match(gold.stderr, /^3 records$/m);
  const range = lines((await cli('query', 'user_data', 'profiles', '--where', 'views between 20 and 40', '--bins', 'views')).stdout);
  assert.deepEqual(range.map((r) => [r.key, r.bins.views]).sort(), [['u2', 25], ['u3', 30], ['u4', 40]]);

  const scanned = await cli('scan', 'user_data', 'profiles', '--limit', '4');
  assert.equal(lines(scanned.stdout).length, 4);
  assert.equal(lines((await cli('scan', 'user_data')).stdout).length, 6, 'the whole namespace: both sets');

  await cli('index', 'drop', 'user_data', 'idx_plan');
  // Refusals are the gateway's typed errors on stderr, with exit code 1.
  await assert.rejects(cli('query', 'user_data', 'profiles', '--where', "plan='gold'"), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /^error [A-Z_]+ \(HTTP 404\): /m);
    return true;
  });
  await assert.rejects(cli('query', 'user_data', 'profiles', '--where', 'views > 3'), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /not "bin=value" or "bin between lo and hi"/);
    return true;
  });
});
