// The pure parts of xdr/infra: the generated pom, the SLF4J binding choice, the
// broker configuration and cluster ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clusterIdFrom, kafkaPom, log4j2Properties, serverProperties, slf4jBindingArtifact, KAFKA_VERSION_DEFAULT } from '../../../../xdr/infra/index.js';

test('the pom asks for kafka_2.13 and kafka-tools at one version', () => {
  const pom = kafkaPom('4.3.1');
  assert.match(pom, /<artifactId>kafka_2\.13<\/artifactId>\s*<version>4\.3\.1<\/version>/);
  assert.match(pom, /<artifactId>kafka-tools<\/artifactId>\s*<version>4\.3\.1<\/version>/);
  assert.equal(KAFKA_VERSION_DEFAULT, '4.3.1');
});

test('the pom refuses a version that is not one', () => {
  assert.throws(() => kafkaPom('4.3.1</version><x>'), TypeError);
  assert.throws(() => kafkaPom(''), TypeError);
});

test('the SLF4J binding follows the SLF4J major and the log4j-core version', () => {
  assert.equal(
    slf4jBindingArtifact(['kafka_2.13-4.3.1.jar', 'slf4j-api-1.7.36.jar', 'log4j-core-2.25.4.jar', 'log4j-api-2.25.4.jar']),
    'org.apache.logging.log4j:log4j-slf4j-impl:2.25.4',
  );
  assert.equal(slf4jBindingArtifact(['slf4j-api-2.0.17.jar', 'log4j-core-2.24.3.jar']), 'org.apache.logging.log4j:log4j-slf4j2-impl:2.24.3');
  assert.equal(slf4jBindingArtifact(['slf4j-api-1.7.36.jar', 'reload4j-1.2.25.jar']), undefined);
});

test('server.properties describes a one-node KRaft cluster on the given ports', () => {
  const text = serverProperties({ host: '127.0.0.1', port: 9092, controllerPort: 9093, logDir: '/d/logs', numPartitions: 3, overrides: { 'num.io.threads': 2 } });
  const entries = new Map(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(entries.get('process.roles'), 'broker,controller');
  assert.equal(entries.get('listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
  assert.equal(entries.get('controller.quorum.bootstrap.servers'), '127.0.0.1:9093');
  assert.equal(entries.get('offsets.topic.replication.factor'), '1');
  assert.equal(entries.get('transaction.state.log.replication.factor'), '1');
  assert.equal(entries.get('transaction.state.log.min.isr'), '1');
  assert.equal(entries.get('group.initial.rebalance.delay.ms'), '0');
  assert.equal(entries.get('auto.create.topics.enable'), 'false');
  assert.equal(entries.get('num.partitions'), '3');
  assert.equal(entries.get('log.dirs'), '/d/logs');
  assert.equal(entries.get('num.io.threads'), '2', 'overrides win');
});

test('log4j2 config sets the root level', () => {
  assert.match(log4j2Properties('WARN'), /^rootLogger\.level = WARN$/m);
  assert.match(log4j2Properties('DEBUG'), /^rootLogger\.level = DEBUG$/m);
});

test('cluster ids are 22 URL-safe characters that never start with a dash', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const id = clusterIdFrom(bytes);
      assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }),
  );
  assert.throws(() => clusterIdFrom(new Uint8Array(15)), RangeError);
});
