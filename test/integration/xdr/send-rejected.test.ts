// A batch Kafka will never take (larger than the topic's max.message.bytes) on a
// real broker with the gateway's own producer settings: the transport reports
// SHIP_ERR_SEND_REJECTED (not retriable) with Kafka's error, and a route
// shipper stops in state failed instead of retrying it forever; after the
// operator raises the limit, resume ships it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { KafkaShipTransport, RouteShipper, isShipError } from '../../../shipper/index.js';
import { createKafka, createShipProducer } from '../../../xdr/replication/index.js';
import { FakeEngine } from '../../helpers/fake-engine.js';
import { createTopic, kafkaBrokers, kafkaClient, randomTopic } from '../../helpers/kafka.js';
import { waitFor } from '../../helpers/wait.js';

const logger = pino({ level: 'silent' });
const MESSAGE_BYTES_MAX = 2048;

test('a batch larger than the topic allows fails the route (SHIP_ERR_SEND_REJECTED) without retries; resume ships it once the topic takes it', async (t) => {
  const brokers = await kafkaBrokers('tokyo');
  const namespace = randomTopic('rejected').replace(/-/g, '_');
  const route = { name: 'tokyo-virginia', source: 'tokyo', destination: 'virginia', namespace, resolver: 'lww' as const, forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true };
  const topic = `xdr.tokyo.virginia.${namespace}`;
  await createTopic(brokers, topic, { numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(MESSAGE_BYTES_MAX) }] });
  const kafka = createKafka({ name: 'tokyo', id: 1, kafka: { brokers } }, logger, 'send-rejected-test');
  const producer = createShipProducer(kafka);
  const admin = kafka.admin();
  t.after(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });
  const transport = new KafkaShipTransport({ producer, admin });

  const big = { key: Buffer.alloc(20, 1), value: Buffer.alloc(4 * MESSAGE_BYTES_MAX, 7), partition: 0, timestampMs: Date.now() };
  await assert.rejects(transport.send(topic, [big]), (err: unknown) => {
    assert.ok(isShipError(err, 'SHIP_ERR_SEND_REJECTED'), String(err));
    assert.equal(err.retriable, false);
    assert.match(err.message, /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
    return true;
  });

  const engine = new FakeEngine({ regionId: 1, namespaces: [namespace] });
  await engine.put({ ns: namespace, set: 's', key: 'big' }, { blob: 'x'.repeat(4 * MESSAGE_BYTES_MAX) });
  const shipper = new RouteShipper({ route, regions: { sourceId: 1, destinationId: 2 }, engine, transport, logger, options: { retryBackoffMinMs: 1, retryBackoffMaxMs: 5, heartbeatIntervalMs: 60_000 } });
  t.after(() => shipper.stop());
  await shipper.start();
  await waitFor(() => shipper.stats().state === 'failed', { timeoutMs: 30_000, what: 'the route failed on the refused batch' });
  const failed = shipper.stats();
  assert.equal(failed.last_error?.code, 'SHIP_ERR_SEND_REJECTED');
  assert.equal(failed.retries, 0);
  assert.equal(failed.success, 0);
  assert.equal(engine.logOf(namespace).cursor('route:tokyo-virginia')!.committed, 0);

  // The operator raises the topic's limit, then resumes: the same record ships from the committed position.
  const alter = kafkaClient(brokers, 'send-rejected-admin').admin();
  await alter.connect();
  try {
    await alter.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'max.message.bytes', value: String(1024 * 1024) }] }] });
  } finally {
    await alter.disconnect();
  }
  shipper.resume();
  await waitFor(() => shipper.stats().success === 1 && shipper.stats().in_queue === 0, { timeoutMs: 30_000, what: 'the record shipped after resume' });
  assert.equal(shipper.stats().state, 'running');
});
