// Secrets pass through to the clients that need them and nowhere else: TLS and
// SASL from the config reach the kafkajs options, the Redis password reaches
// ioredis, and the gateway's logger masks all of them (and the bearer token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { parseConfig } from '../../../../xdr/config/index.js';
import { kafkaConfig } from '../../../../xdr/replication/index.js';
import { gatewayLoggerOptions, redactConfig, redactUrl } from '../../../../xdr/security/index.js';

const TOKEN = 'tok-SECRET-0123456789abcdef';
const KAFKA_PW = 'kafkapw-SECRET-42';
const REDIS_PW = 'redispw-SECRET-77';

const yaml = (extra = '') => `
region: { name: tokyo, id: 1 }
auth-token: ${TOKEN}
redis-url: redis://:${REDIS_PW}@127.0.0.1:6390
namespaces: { user_data: { durability: buffered, storage: { engine: memory } } }
regions:
  - name: tokyo
    id: 1
    kafka: { brokers: ["127.0.0.1:9092"], ssl: true, sasl: { mechanism: scram-sha-512, username: xdr, password: ${KAFKA_PW} } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:9093"] } }
${extra}`;

test('Kafka TLS and SASL settings from the config reach the kafkajs client options', () => {
  const config = parseConfig(yaml(), { env: {} });
  const options = kafkaConfig(config.regions[0]!, pino({ level: 'silent' }), 'test');
  assert.equal(options.ssl, true);
  assert.deepEqual(options.sasl, { mechanism: 'scram-sha-512', username: 'xdr', password: KAFKA_PW });
  const plain = kafkaConfig(config.regions[1]!, pino({ level: 'silent' }), 'test');
  assert.equal(plain.ssl, undefined);
  assert.equal(plain.sasl, undefined);
});

test('a bad SASL block is refused with its path', () => {
  assert.throws(() => parseConfig(yaml().replace('scram-sha-512', 'md5'), { env: {} }), (err: Error & { details?: { problems?: Array<{ path: string }> } }) => {
    assert.ok(err.details?.problems?.some((p) => p.path === 'regions[0].kafka.sasl.mechanism'), JSON.stringify(err.details?.problems));
    return true;
  });
});

test('the Redis password in redis-url reaches ioredis; rediss:// turns TLS on', () => {
  const config = parseConfig(yaml(), { env: {} });
  const client = new Redis(config.redisUrl, { lazyConnect: true });
  assert.equal(client.options.password, REDIS_PW);
  client.disconnect();
  const tls = new Redis(`rediss://:${REDIS_PW}@127.0.0.1:6390`, { lazyConnect: true });
  assert.ok(tls.options.tls);
  tls.disconnect();
});

test('the gateway listens on loopback unless the config says otherwise', () => {
  assert.equal(parseConfig(yaml(), { env: {} }).listen.host, '127.0.0.1');
  assert.equal(parseConfig(`${yaml()}\nlisten: 0.0.0.0:4100\n`, { env: {} }).listen.host, '0.0.0.0');
});

test('the gateway logger masks the token, SASL passwords and Redis passwords wherever the code logs them', () => {
  const config = parseConfig(yaml(), { env: {} });
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = pino(gatewayLoggerOptions('debug'), sink).child({ module: 'test' });
  logger.warn({ redis: config.redisUrl }, 'Redis not reachable');
  logger.info({ redisUrl: config.redisUrl, config: { authToken: TOKEN, regions: config.regions } }, 'config');
  logger.info({ req: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'request');
  logger.debug({ kafka: kafkaConfig(config.regions[0]!, pino({ level: 'silent' }), 'x') }, 'kafka options');
  logger.info({ region: config.regions[0] }, 'region');
  const text = lines.join('');
  for (const secret of [TOKEN, KAFKA_PW, REDIS_PW]) assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
  assert.match(text, /127\.0\.0\.1:6390/, 'the Redis host stays visible');
});

test('redactConfig and redactUrl mask credentials only', () => {
  const config = parseConfig(yaml(), { env: {} });
  const shown = JSON.stringify(redactConfig(config));
  for (const secret of [TOKEN, KAFKA_PW, REDIS_PW]) assert.ok(!shown.includes(secret));
  assert.match(shown, /"username":"xdr"/);
  assert.equal(redactUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
  assert.equal(redactUrl('redis://u:p@h:1/0'), 'redis://u:redacted@h:1/0');
  assert.equal(redactUrl('not a url'), 'not a url');
});
