// docker-compose.yml cannot be run here (no Docker engine), so it is checked
// against the Compose Specification's JSON schema (test/fixtures/compose-spec,
// source noted there), and its gateways are checked to deploy the very config
// files `xdrgate up` and the integration tests run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { loadConfig } from '../../../xdr/config/index.js';
import { UP_CONFIG_FILES } from '../../../xdr/cli/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

/** The schema names draft-07 by its https URL; ajv ships that meta-schema under the http one. */
function composeValidator(options: { allErrors?: boolean } = {}) {
  const schema = JSON.parse(readFileSync(path.join(root, 'test/fixtures/compose-spec/compose-spec.json'), 'utf8'));
  const ajv = new Ajv({ ...options, strict: false, allowUnionTypes: true });
  const draft7 = require('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(schema);
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Record<string, any>;

test('docker-compose.yml is valid against the Compose Specification schema', () => {
  const validate = composeValidator({ allErrors: true });
  const ok = validate(compose);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
});

test('the schema check would catch a broken compose file', () => {
  const validate = composeValidator();
  assert.equal(validate({ services: { web: { image: 'x', healthcheck: { test: 42 } } } }), false);
  assert.equal(validate({ services: { web: { image: 'x', restart_policy: 'always' } } }), false);
});

test('each region has a Kafka broker, a gateway built from the Dockerfile, Redis, health checks and named volumes', () => {
  const services = compose.services as Record<string, any>;
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
  for (const region of ['tokyo', 'virginia']) {
    assert.match(services[`kafka-${region}`]?.image ?? '', /^apache\/kafka:/);
    const gw = services[`gateway-${region}`];
    assert.equal(gw.build.dockerfile, 'Dockerfile');
    assert.ok(gw.healthcheck?.test, `gateway-${region} has a health check`);
    assert.equal(gw.environment[`XDRGATE_KAFKA_${region.toUpperCase()}`], `kafka-${region}:9092`);
    assert.equal(gw.depends_on[`kafka-${region}`].condition, 'service_healthy');
  }
  assert.ok(services.redis?.healthcheck);
  for (const [name, svc] of Object.entries(services)) {
    assert.ok(svc.healthcheck?.test, `${name} has a health check`);
    for (const v of svc.volumes ?? []) if (v.type === 'volume') assert.ok(declaredVolumes.has(v.source), `${name} uses declared named volume ${v.source}`);
  }
});

test('the gateways mount the same config files `xdrgate up` starts, and those files load with the compose environment', () => {
  const services = compose.services as Record<string, any>;
  for (const [region, file] of Object.entries(UP_CONFIG_FILES)) {
    const gw = services[`gateway-${region}`];
    const configArg = gw.command[gw.command.indexOf('--config') + 1];
    const mount = (gw.volumes as any[]).find((v) => v.type === 'bind' && v.target === configArg);
    assert.ok(mount, `gateway-${region} mounts its config at ${configArg}`);
    assert.equal(path.normalize(mount.source), path.normalize(`./${file}`));
    const config = loadConfig(path.join(root, file), { env: gw.environment });
    assert.equal(config.region.name, region);
    assert.equal(config.listen.port, 4100);
    assert.deepEqual(config.regions.find((r) => r.name === 'virginia')!.kafka.brokers, ['kafka-virginia:9092']);
    assert.equal(config.redisUrl, 'redis://redis:6379');
    const published = (gw.ports as string[]).map((p) => p.split(':').at(-1));
    assert.ok(published.includes(String(config.listen.port)), 'the published container port is the one the gateway listens on');
    assert.equal(config.service?.host, '0.0.0.0', 'the service port is reachable from outside the container');
    assert.ok(published.includes(String(config.service?.port)), 'the published container port is the one the service port listens on');
  }
});
