// The Gateway class in this process on a real engine (temp dir), without Kafka:
// readiness, the record API over a real socket, ordered stop, and data kept
// across a stop and a new start on the same data dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalGatewayOn } from '../../helpers/local-gateway.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gateway } from '../../../xdr/gateway.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const start = (dataDir: string) => startLocalGatewayOn(dataDir, 'tokyo');

async function json(res: Response): Promise<any> {
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

test('a gateway serves records, stops in order, and keeps its data and routes across a restart', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-gateway-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));

  const first = await start(dataDir);
  t.after(() => first.stop());
  assert.equal((await fetch(`${first.url}/readyz`)).status, 200);
  const put = await fetch(`${first.url}/v1/records/user_data/people/ada`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bins: { name: 'Ada', n: 1 } }) });
  assert.equal(put.status, 200, await put.text());
  // sessions acknowledges once shipped (durability: shipped); nothing ships here, so it refuses before applying.
  const mem = await fetch(`${first.url}/v1/records/sessions/s/tok`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bins: { u: 'ada' }, ttl: 600 }) });
  assert.equal(mem.status, 503);
  assert.equal((await json(mem)).code, 'XDR_ERR_NOT_SHIPPED');
  assert.equal((await fetch(`${first.url}/v1/records/sessions/s/tok`)).status, 404, 'the refused write was not applied');
  const pause = await fetch(`${first.url}/v1/xdr/routes/tokyo-virginia-user-data/pause`, { method: 'POST' });
  assert.equal((await json(pause)).state, 'paused');
  const stats = await json(await fetch(`${first.url}/v1/stats`));
  assert.equal(stats.namespaces.user_data.objects, 1);
  assert.equal(stats.region.name, 'tokyo');

  await Promise.all([first.stop('test'), first.stop('twice')]);
  assert.equal(first.readiness().ready, false);
  await assert.rejects(fetch(`${first.url}/healthz`), 'the socket is closed after stop');

  const second = await start(dataDir);
  t.after(() => second.stop());
  const got = await json(await fetch(`${second.url}/v1/records/user_data/people/ada`));
  assert.deepEqual(got.bins, { name: 'Ada', n: 1 });
  assert.equal(got.generation, 1);
  const routes = await json(await fetch(`${second.url}/v1/xdr/routes/tokyo-virginia-user-data`));
  assert.equal(routes.state, 'paused', 'a live route edit survives the restart');
  const saved = JSON.parse(await readFile(path.join(dataDir, 'routes.json'), 'utf8'));
  assert.equal(saved.version, 1);
});
