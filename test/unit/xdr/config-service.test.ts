// The `service` block: the shipped configs' ports, limits, and the users that
// make clients log in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, parseConfig } from '../../../xdr/config/index.js';
import { redactConfig } from '../../../xdr/security/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CREDENTIAL = '$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa';

const withService = (service: string) => `
region: { name: tokyo, id: 1 }
service: ${service}
namespaces:
  user_data:
    storage: { engine: device, filesize: 64M }
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
`;

function problemsOf(text: string): Array<{ path: string; message: string }> {
  try {
    parseConfig(text, { env: {} });
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

test('the shipped configs serve Aerospike clients on loopback: Tokyo at 3000, Virginia at 3100, no login', () => {
  for (const [file, port] of [['config/tokyo.yaml', 3000], ['config/virginia.yaml', 3100]] as const) {
    const config = loadConfig(path.join(root, file), { env: {} });
    assert.equal(config.service?.host, '127.0.0.1');
    assert.equal(config.service?.port, port);
    assert.equal(config.service?.users, undefined);
  }
});

test('XDRGATE_SERVICE moves the port and keeps the users and limits of the file', () => {
  const text = withService(`{ port: 3000, max-batch-keys: 100, users: [{ name: ada, password: secret-one }] }`);
  const config = parseConfig(text, { env: { XDRGATE_SERVICE: '127.0.0.1:0' } });
  assert.equal(config.service?.port, 0);
  assert.equal(config.service?.batchKeysMax, 100);
  assert.deepEqual(config.service?.users, [{ name: 'ada', password: 'secret-one' }]);
});

test('users take a password or the credential clients send; session-ttl defaults to a day', () => {
  const config = parseConfig(withService(`{ port: 3000, session-ttl: 1h, users: [{ name: ada, password: pw }, { name: bob, credential: "${CREDENTIAL}" }] }`), { env: {} });
  assert.deepEqual(config.service?.users, [{ name: 'ada', password: 'pw' }, { name: 'bob', credential: CREDENTIAL }]);
  assert.equal(config.service?.sessionTtlSec, 3600);
  assert.equal(parseConfig(withService('127.0.0.1:3000'), { env: {} }).service?.sessionTtlSec, 86_400);
  const shown = JSON.stringify(redactConfig(config));
  assert.ok(!shown.includes('"pw"') && !shown.includes(CREDENTIAL), `secrets are redacted: ${shown}`);
});

test('bad users are refused with their path', () => {
  const paths = (s: string) => problemsOf(withService(s)).map((p) => p.path);
  assert.deepEqual(paths(`{ port: 3000, users: [{ name: ada, password: pw, credential: "${CREDENTIAL}" }] }`), ['service.users[0]']);
  assert.deepEqual(paths('{ port: 3000, users: [{ name: ada }] }'), ['service.users[0]']);
  assert.deepEqual(paths('{ port: 3000, users: [{ name: ada, password: a }, { name: ada, password: b }] }'), ['service.users[1].name']);
  assert.ok(paths('{ port: 3000, users: [{ name: ada, credential: not-a-hash }] }').some((p) => p.startsWith('service')));
  assert.deepEqual(paths('{ port: 3000, session-ttl: 10s }'), ['service.session-ttl']);
});
