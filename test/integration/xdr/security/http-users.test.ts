// One set of users for both doors of a real `xdrgate serve` whose config lists
// service.users: HTTP refuses a request without credentials, accepts Basic
// user:password and a session from POST /v1/login, and what a user writes
// over HTTP the same user reads with the official Node client (aerospike
// 6.7.1) logged in on the service port, and the other way round.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteGateway, type SuiteGateway } from '../../../../scripts/aerospike-suite/gateway.js';
import { officialClient, type AerospikeModule } from '../../../helpers/aerospike-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const USER = { name: 'bidder', password: 'a long passphrase' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('HTTP and the service port share service.users', { timeout: 120_000 }, () => {
  let gw: SuiteGateway;
  let Aerospike: AerospikeModule;
  let base: string;

  before(async () => {
    Aerospike = officialClient();
    gw = await startSuiteGateway(root, { users: [USER] });
    base = `http://127.0.0.1:${gw.httpPort}`;
  });
  after(async () => {
    await gw?.stop();
    Aerospike?.releaseEventLoop();
  });

  it('HTTP: no credentials and a wrong password are 401; Basic and a session from /v1/login work; health and metrics stay open', async () => {
    const none = await fetch(`${base}/v1/records/test/http/a`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Basic realm="xdrgate", Bearer');
    assert.equal(((await none.json()) as { code: string }).code, 'XDR_ERR_UNAUTHORIZED');
    assert.equal((await fetch(`${base}/v1/stats`, { headers: { authorization: basic(USER.name, 'wrong') } })).status, 401);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await fetch(`${base}/metrics`)).status, 200);

    const put = await fetch(`${base}/v1/records/test/http/a`, { method: 'PUT', headers: { authorization: basic(USER.name, USER.password), 'content-type': 'application/json' }, body: JSON.stringify({ bins: { via: 'basic' } }) });
    assert.equal(put.status, 200, await put.text());

    const login = await fetch(`${base}/v1/login`, { method: 'POST', headers: { authorization: basic(USER.name, USER.password) } });
    assert.equal(login.status, 200);
    const session = (await login.json()) as { user: string; token: string; ttlSec: number };
    assert.equal(session.user, USER.name);
    assert.equal(session.ttlSec, 86_400);
    const got = await fetch(`${base}/v1/records/test/http/a`, { headers: { authorization: `Bearer ${session.token}` } });
    assert.equal(got.status, 200);
    assert.deepEqual(((await got.json()) as { bins: unknown }).bins, { via: 'basic' });
  });

  it('the same user on the service port reads what HTTP wrote, and HTTP reads what the client wrote', async () => {
    const client = await Aerospike.connect({ hosts: `127.0.0.1:${gw.servicePort}`, user: USER.name, password: USER.password });
    try {
      const httpWritten = await fetch(`${base}/v1/records/test/http/b`, { method: 'PUT', headers: { authorization: basic(USER.name, USER.password), 'content-type': 'application/json' }, body: JSON.stringify({ bins: { n: 1 } }) });
      assert.equal(httpWritten.status, 200);
      assert.deepEqual((await client.get(new Aerospike.Key('test', 'http', 'b'))).bins, { n: 1 });
      await client.put(new Aerospike.Key('test', 'http', 'c'), { from: 'client' });
      const read = await fetch(`${base}/v1/records/test/http/c`, { headers: { authorization: basic(USER.name, USER.password) } });
      assert.equal(read.status, 200);
      assert.deepEqual(((await read.json()) as { bins: unknown }).bins, { from: 'client' });
    } finally {
      await client.close();
    }
  });
});
