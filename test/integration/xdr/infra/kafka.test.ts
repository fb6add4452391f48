// The infrastructure every integration test stands on: a real KRaft broker that
// kafkajs can produce to and consume from, that keeps its data across a restart
// on the same port, and a Redis that ensureRedis finds or starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import net from 'node:net';
import { pino } from 'pino';
import { KafkaBroker, ensureRedis, freePort, pingRedis, type KafkaBrokerOptions } from '../../../../xdr/infra/index.js';
import { createTopic, kafkaBrokers, kafkaClient, randomTopic, startDedicatedBroker } from '../../../helpers/kafka.js';
import { redisUrl } from '../../../helpers/redis.js';
import { isXdrError } from '../../../../xdr/index.js';
import { waitFor } from '../../../helpers/wait.js';
import { defer, type CleanupScope } from '../../../helpers/cleanup.js';

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the topic from the beginning until `count` values arrived. */
async function consume(t: CleanupScope, kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: randomTopic('group'), maxWaitTimeInMs: 100 });
  defer(t, () => consumer.disconnect());
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(message.value?.toString('utf8') ?? '');
    },
  });
  await waitFor(() => seen.length >= count, { timeoutMs: 30_000, what: `${count} messages on ${topic} (have ${seen.length})` });
  return seen;
}

test('kafkajs produces to and consumes from the region broker', async (t) => {
  const brokers = await kafkaBrokers('tokyo');
  const kafka = kafkaClient(brokers);
  const topic = await createTopic(brokers, randomTopic('infra'), { numPartitions: 2 });
  const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
  await produce(kafka, topic, values);
  const seen = await consume(t, kafka, topic, values.length);
  assert.deepEqual([...seen].sort(), [...values].sort());
});

test('the two region brokers are different clusters', async () => {
  const [tokyo, virginia] = await Promise.all([kafkaBrokers('tokyo'), kafkaBrokers('virginia')]);
  assert.notDeepEqual(tokyo, virginia);
  const topic = await createTopic(tokyo, randomTopic('infra-only-tokyo'));
  const admin = kafkaClient(virginia).admin();
  await admin.connect();
  try {
    assert.equal((await admin.listTopics()).includes(topic), false);
  } finally {
    await admin.disconnect();
  }
});

test('a broker stopped and started again keeps its port and its data', async (t) => {
  const broker = await startDedicatedBroker(t);
  const { port, dataDir } = broker;
  const kafka = kafkaClient(broker.brokers);
  const topic = await createTopic(broker.brokers, randomTopic('infra-restart'));
  await produce(kafka, topic, ['before-1', 'before-2']);

  await broker.stop();
  assert.equal(broker.running, false);
  await broker.start();
  assert.equal(broker.running, true);
  assert.equal(broker.port, port);
  assert.equal(broker.dataDir, dataDir);

  await produce(kafka, topic, ['after-1']);
  const seen = await consume(t, kafka, topic, 3);
  assert.deepEqual(seen, ['before-1', 'before-2', 'after-1']);
});

test('a killed broker restarts on the same port with the acknowledged data', async (t) => {
  const broker = await startDedicatedBroker(t);
  const kafka = kafkaClient(broker.brokers);
  const topic = await createTopic(broker.brokers, randomTopic('infra-kill'));
  await produce(kafka, topic, ['acked']);
  await broker.kill();
  assert.equal(broker.running, false);
  await broker.restart();
  assert.deepEqual(await consume(t, kafka, topic, 1), ['acked']);
});

test('a port the broker picked but found taken is picked again; a port given in the options fails the start before any JVM runs', async (t) => {
  // Something else listens on the port the broker "picked" (the race between freePort and the JVM's bind).
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen({ port: 0, host: '127.0.0.1' }, resolve));
  defer(t, () => new Promise<void>((resolve) => taken.close(() => resolve())));
  const takenPort = (taken.address() as net.AddressInfo).port;

  // An unstarted broker (the constructor is private to keep callers on start()), its picked port set to the taken one.
  const unstarted = KafkaBroker as unknown as new (o: KafkaBrokerOptions) => KafkaBroker;
  const broker = new unstarted({ name: 'repick', logger: pino({ level: 'silent' }) });
  defer(t, () => broker.close());
  (broker as unknown as { controllerPortValue: number }).controllerPortValue = takenPort;
  await broker.start();
  assert.notEqual(broker.controllerPort, takenPort);
  const brokers = broker.brokers;
  const topic = await createTopic(brokers, randomTopic('repick'));
  await produce(kafkaClient(brokers, 'repick'), topic, ['after-repick']);

  await assert.rejects(
    KafkaBroker.start({ name: 'given', controllerPort: takenPort, logger: pino({ level: 'silent' }) }),
    (err) => isXdrError(err, 'XDR_ERR_ADDRESS_IN_USE') && new RegExp(`controller port\\) cannot listen on 127\\.0\\.0\\.1:${takenPort}`).test(err.message),
  );
});

test('ensureRedis uses a Redis that answers', async () => {
  const url = await redisUrl();
  const handle = await ensureRedis(url);
  assert.equal(handle.started, false);
  assert.equal(handle.url, new URL(url).href);
  await handle.stop();
  const { hostname, port } = new URL(url);
  assert.equal(await pingRedis(hostname, Number(port || 6379)), true);
});

test('ensureRedis starts a redis-server when pointed at a free port, and stop() ends it', async (t) => {
  const port = await freePort();
  const handle = await ensureRedis(`redis://127.0.0.1:${port}`);
  defer(t, () => handle.stop());
  assert.equal(handle.started, true);
  assert.equal(handle.url, `redis://127.0.0.1:${port}`);
  assert.equal(await pingRedis('127.0.0.1', port), true);
  await handle.stop();
  assert.equal(await pingRedis('127.0.0.1', port), false);
});
