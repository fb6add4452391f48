// The producer worker must connect to Kafka exactly as the main-thread clients
// do: its kafkajs options come from kafkaConfig(), so TLS and SASL cannot diverge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin } from 'kafkajs';
import { pino } from 'pino';
import { WorkerShipTransport, kafkaConfig, workerKafkaOptions } from '../../../xdr/replication/index.js';
import { type RegionSpec } from '../../../replication-protocol/index.js';

const region: RegionSpec = {
  name: 'tokyo',
  id: 1,
  kafka: { brokers: ['127.0.0.1:9092', '127.0.0.1:9094'], clientId: 'gw', ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'xdr', password: 'pw-SECRET' } },
};

function withoutLogCreator(region: RegionSpec, suffix: string) {
  const { logCreator, ...rest } = kafkaConfig(region, pino({ level: 'silent' }), suffix);
  assert.equal(typeof logCreator, 'function');
  return rest;
}

test('the producer worker gets kafkaConfig() options for a region with sasl + ssl (log creator aside)', (t) => {
  const transport = new WorkerShipTransport({ region, admin: {} as Admin, logger: pino({ level: 'silent' }), clientSuffix: 'w' });
  t.after(() => transport.close());
  // The worker starts lazily; its options are fixed at construction.
  const sent = (transport as unknown as { workerData: { kafka: unknown } }).workerData.kafka;
  assert.deepEqual(sent, withoutLogCreator(region, 'w'));
  assert.deepEqual(workerKafkaOptions(region, pino({ level: 'silent' }), 'w'), withoutLogCreator(region, 'w'));
  // Everything handed to the worker must survive the structured clone to the thread.
  assert.deepEqual(structuredClone(sent), sent);
});

test('the producer worker follows the log level kafkaConfig() picks', () => {
  const options = workerKafkaOptions(region, pino({ level: 'debug' }), 'w');
  assert.equal(options.logLevel, kafkaConfig(region, pino({ level: 'debug' }), 'w').logLevel);
});
