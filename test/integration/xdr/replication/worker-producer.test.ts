// The shipping producer in a worker thread (producer-worker.ts, from the
// TypeScript sources here): bytes arrive exactly as given (key, partition,
// timestamp), failures come back as the worker's SHIP_ERR_SEND_FAILED, and a
// dead worker is replaced by the next send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { isShipError } from '../../../../shipper/index.js';
import { WorkerShipTransport } from '../../../../xdr/replication/index.js';
import { createTopic, kafkaBrokers, kafkaClient, randomTopic } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';

test('sends through the worker arrive byte for byte; a dead worker is replaced', async (t) => {
  const brokers = await kafkaBrokers('tokyo');
  const topic = await createTopic(brokers, randomTopic('worker-producer'), { numPartitions: 2 });
  const kafka = kafkaClient(brokers, 'worker-producer-test');
  const admin = kafka.admin();
  t.after(() => admin.disconnect());
  const transport = new WorkerShipTransport({ region: { name: 'tokyo', id: 1, kafka: { brokers } }, admin, logger: pino({ level: 'silent' }), clientSuffix: 'test' });
  t.after(() => transport.close());

  assert.equal(await transport.partitionCount(topic), 2);
  const key = Buffer.alloc(20, 7);
  // Near now: Kafka 4 refuses timestamps more than an hour ahead.
  const t0 = Date.now() - 60_000;
  await transport.send(topic, [
    { key, value: Buffer.from([1, 2, 3]), partition: 1, timestampMs: t0 },
    { key: Buffer.alloc(0), value: Buffer.from('hb'), partition: 0, timestampMs: t0 + 1 },
  ]);
  // Kill the worker under the transport: the next send starts a new one.
  await ((transport as unknown as { worker: Worker }).worker).terminate();
  await transport.send(topic, [{ key, value: Buffer.from([4]), partition: 1, timestampMs: t0 + 2 }]);
  const missing = 'no-such-topic-' + Date.now();
  await assert.rejects(transport.send(missing, [{ key, value: Buffer.from([5]), partition: 0, timestampMs: 1 }]), (err) => {
    // The worker's KafkaShipTransport error, as thrown there: its message, details and kafkajs cause.
    assert.ok(isShipError(err, 'SHIP_ERR_SEND_FAILED'));
    assert.match(err.message, new RegExp(`^Kafka did not acknowledge 1 messages to ${missing}: `));
    assert.deepEqual(err.details, { topic: missing, records: 1 });
    assert.ok(err.cause instanceof Error && typeof (err.cause as { retriable?: unknown }).retriable === 'boolean');
    return true;
  });

  const consumer = kafka.consumer({ groupId: `worker-producer-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  t.after(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: Array<{ partition: number; key: string | null; value: string; ts: string }> = [];
  await consumer.run({ eachMessage: async ({ partition, message }) => void got.push({ partition, key: message.key?.toString('hex') ?? null, value: message.value!.toString('hex'), ts: message.timestamp }) });
  await waitFor(() => got.length === 3, { timeoutMs: 20_000, what: 'three messages consumed' });
  got.sort((a, b) => Number(a.ts) - Number(b.ts));
  assert.deepEqual(got, [
    { partition: 1, key: key.toString('hex'), value: '010203', ts: String(t0) },
    { partition: 0, key: null, value: Buffer.from('hb').toString('hex'), ts: String(t0 + 1) },
    { partition: 1, key: key.toString('hex'), value: '04', ts: String(t0 + 2) },
  ]);
});
