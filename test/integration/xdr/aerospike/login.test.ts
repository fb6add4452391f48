// Login on the service port, with the official Node client (aerospike 6.7.1,
// the C client's login and session code) against a real `xdrgate serve`
// whose config lists users: the right password works on every connection the
// client opens, a wrong password, an unknown user and no login at all are
// refused with Aerospike's codes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteGateway, type SuiteGateway } from '../../../../scripts/aerospike-suite/gateway.js';
import { officialClient, type AerospikeModule } from '../../../helpers/aerospike-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const USER = { name: 'bidder', password: 'a long passphrase' };

describe('service port login (official client)', { timeout: 120_000 }, () => {
  let gw: SuiteGateway;
  let Aerospike: AerospikeModule;
  let hosts: string;

  before(async () => {
    Aerospike = officialClient();
    gw = await startSuiteGateway(root, { users: [USER] });
    hosts = `127.0.0.1:${gw.servicePort}`;
  });
  after(async () => {
    await gw?.stop();
    // A refused connect leaves the client's event loop registered; released, the test process can exit.
    Aerospike?.releaseEventLoop();
  });

  it('the configured user and password: put, get, batch and info work', async () => {
    const client = await Aerospike.connect({ hosts, user: USER.name, password: USER.password });
    try {
      const keys = [1, 2, 3].map((i) => new Aerospike.Key('test', 'login', `k${i}`));
      // Several commands at once: the client opens more connections, each authenticated with the session token.
      await Promise.all(keys.map((key, i) => client.put(key, { n: i })));
      assert.deepEqual((await client.get(keys[2])).bins, { n: 2 });
      const rows = await client.batchRead(keys.map((key) => ({ key, readAllBins: true })));
      assert.deepEqual(rows.map((r: { record: { bins: unknown } }) => r.record.bins), [{ n: 0 }, { n: 1 }, { n: 2 }]);
      assert.match(await client.infoAny('namespaces'), /test/);
    } finally {
      await client.close();
    }
  });

  it('xdrgate info asks the service port, logging in with --user', () => {
    const info = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'info', '--host', '127.0.0.1', '--port', String(gw.servicePort), ...args], {
      encoding: 'utf8',
      env: { ...process.env, XDRGATE_FROM_SOURCE: '1', XDRGATE_SERVICE_PASSWORD: USER.password },
    });
    const ok = info('--user', USER.name, 'namespaces', 'edition');
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, 'namespaces\ttest\nedition\tAerospike Community Edition\n');
    const anonymous = info('namespaces');
    assert.equal(anonymous.status, 1);
    assert.match(anonymous.stdout, /^ERROR:80:not authenticated/);
    const wrong = info('--user', USER.name, '--password', 'nope', 'namespaces');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /login as bidder refused: INVALID_CREDENTIAL \(65\)/);
  });

  const refusals: Array<[string, Record<string, string>, string]> = [
    ['a wrong password', { user: USER.name, password: 'wrong' }, 'INVALID_CREDENTIAL'],
    ['an unknown user', { user: 'mallory', password: USER.password }, 'INVALID_USER'],
    ['no login at all', {}, 'NOT_AUTHENTICATED'],
  ];
  for (const [what, credentials, status] of refusals) {
    it(`${what} is refused with ${status}`, async () => {
      await assert.rejects(Aerospike.connect({ hosts, connTimeoutMs: 2000, ...credentials }), (err: { code?: number }) => {
        assert.equal(err.code, Aerospike.status[status], `${what}: ${String(err)}`);
        return true;
      });
    });
  }
});
