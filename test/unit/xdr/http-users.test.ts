// HTTP and the service port share one set of users: with service.users, a
// request authenticates with Basic user:password or with a session from
// POST /v1/login (the token a service-port LOGIN gives), alongside the
// bearer auth-token; without either configured the API stays open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHttpServer, encodeSession } from '../../../xdr/http/index.js';
import { ServiceSecurity, credentialOf } from '../../../xdr/aerospike/index.js';
import { memoryEngine } from '../../helpers/memory-engine.js';
import { testHttpDeps } from './http-deps.js';

const TOKEN = 'correct-horse-battery-staple';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function setup(t: { after: (fn: () => Promise<void> | void) => void }, o: { authToken?: string; users?: ServiceSecurity }) {
  const engine = await memoryEngine(t);
  const { app } = await buildHttpServer(testHttpDeps(engine, { stats: () => ({ region: 'tokyo' }) }), { docs: false, ...o });
  t.after(() => app.close());
  return app;
}

test('Basic auth of a service user, a session from /v1/login, and the bearer token all work; anything else is 401', async (t) => {
  let nowMs = 1_000_000;
  // One user by password (hashed at start), one by the credential clients send.
  const users = new ServiceSecurity({ users: [{ name: 'bidder', password: 'pw one' }, { name: 'ops', credential: credentialOf('pw two') }], sessionTtlSec: 60, nowMs: () => nowMs });
  const app = await setup(t, { authToken: TOKEN, users });
  const stats = (authorization?: string) => app.inject({ method: 'GET', url: '/v1/stats', ...(authorization ? { headers: { authorization } } : {}) });

  assert.equal((await stats(`Bearer ${TOKEN}`)).statusCode, 200);
  assert.equal((await stats(basic('bidder', 'pw one'))).statusCode, 200);
  assert.equal((await stats(basic('bidder', 'pw one'))).statusCode, 200); // the second time from the verified-password cache
  assert.equal((await stats(basic('ops', 'pw two'))).statusCode, 200);

  const none = await stats();
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'XDR_ERR_UNAUTHORIZED');
  assert.match(none.json().message, /Basic <user:password>/);
  assert.equal(none.headers['www-authenticate'], 'Basic realm="xdrgate", Bearer');
  for (const bad of [basic('bidder', 'pw two'), basic('mallory', 'pw one'), basic('bidder', ''), 'Basic !!!', 'Bearer nope', 'Bearer Ymlk.ZGVy', 'Digest x']) {
    assert.equal((await stats(bad)).statusCode, 401, bad);
  }

  const login = await app.inject({ method: 'POST', url: '/v1/login', headers: { authorization: basic('bidder', 'pw one') } });
  assert.equal(login.statusCode, 200, login.body);
  const { user, token, ttlSec } = login.json() as { user: string; token: string; ttlSec: number };
  assert.equal(user, 'bidder');
  assert.equal(ttlSec, 60);
  assert.equal((await stats(`Bearer ${token}`)).statusCode, 200);
  // The session is the service port's own: what LOGIN issued there is accepted here, and the other way round.
  const portLogin = users.login(Buffer.from('ops'), Buffer.from(credentialOf('pw two')));
  assert.ok('token' in portLogin);
  assert.equal((await stats(`Bearer ${encodeSession('ops', portLogin.token)}`)).statusCode, 200);
  const [, tokenPart] = token.split('.');
  assert.ok(users.sessionValid('bidder', Buffer.from(tokenPart!, 'base64url')));
  // Another user's name on bidder's token, and an expired session, are refused.
  assert.equal((await stats(`Bearer ${encodeSession('ops', Buffer.from(tokenPart!, 'base64url'))}`)).statusCode, 401);
  nowMs += 61_000;
  assert.equal((await stats(`Bearer ${token}`)).statusCode, 401);

  // /v1/login wants Basic: the bearer token alone names no user.
  assert.equal((await app.inject({ method: 'POST', url: '/v1/login', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 401);
  assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
});

test('users without an auth-token: HTTP requires a user; with neither, no login route and the API is open', async (t) => {
  const users = new ServiceSecurity({ users: [{ name: 'bidder', password: 'pw one' }], sessionTtlSec: 60 });
  const guarded = await setup(t, { users });
  assert.equal((await guarded.inject({ method: 'GET', url: '/v1/stats' })).statusCode, 401);
  assert.equal((await guarded.inject({ method: 'GET', url: '/v1/stats', headers: { authorization: basic('bidder', 'pw one') } })).statusCode, 200);

  const open = await setup(t, {});
  assert.equal((await open.inject({ method: 'GET', url: '/v1/stats' })).statusCode, 200);
  assert.equal((await open.inject({ method: 'POST', url: '/v1/login' })).statusCode, 404);
});
