// The receiver's Kafka transport against a real broker: resolved offsets are
// committed at most every commitIntervalMs while consuming (kafkajs's own
// autoCommit commits after every batch), and every resolved offset is
// committed when it stops, so a restart does not redeliver what was applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { KafkaReceiveTransport } from '../../../../receiver/index.js';
import { createKafka, createReceiveConsumer } from '../../../../xdr/replication/index.js';
import { defer } from '../../../helpers/cleanup.js';
import { createTopic, kafkaBrokers, kafkaClient, randomTopic } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';

const logger = pino({ level: 'silent' });

test('offsets are committed at most every commitIntervalMs while consuming, and all of them at stop', async (t) => {
  const brokers = await kafkaBrokers('tokyo');
  const topic = await createTopic(brokers, randomTopic('xdrgate-recv-commits'), { numPartitions: 2 });
  const destination = randomTopic('dest');
  const kafka = createKafka({ name: 'tokyo', id: 1, kafka: { brokers } }, logger, 'test');
  let commits = 0;
  const transport = new KafkaReceiveTransport({
    createConsumer: () => {
      const consumer = createReceiveConsumer(kafka, destination);
      consumer.on(consumer.events.COMMIT_OFFSETS, () => {
        commits++;
      });
      return consumer;
    },
    deadLetterProducer: kafka.producer(),
    logger,
    commitIntervalMs: 500,
  });
  defer(t, () => transport.stop());

  let batches = 0;
  let handled = 0;
  await transport.start([topic], async (batch, control) => {
    batches++;
    for (const m of batch.messages) {
      handled++;
      control.resolveOffset(m.offset);
    }
  });
  const producer = kafkaClient(brokers).producer();
  await producer.connect();
  defer(t, () => producer.disconnect());
  // Twenty small sends spread over ~1 s: the consumer sees them as many small batches.
  const startedMs = Date.now();
  for (let i = 0; i < 20; i++) {
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, j) => ({ value: Buffer.from(`m${i}-${j}`), partition: j % 2 })) });
    await sleep(50);
  }
  await waitFor(() => handled === 200, { timeoutMs: 30_000, what: 'all 200 messages handled' });
  const elapsedMs = Date.now() - startedMs;
  assert.ok(batches >= 10, `expected many small batches, got ${batches}`);
  assert.ok(commits <= Math.ceil(elapsedMs / 500) + 1, `${commits} commits in ${elapsedMs} ms for ${batches} batches: more than one per 500 ms`);

  await transport.stop();
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  defer(t, () => admin.disconnect());
  const [committed] = await admin.fetchOffsets({ groupId: `xdr-${destination}`, topics: [topic] });
  const total = committed!.partitions.reduce((n, p) => n + Number(p.offset), 0);
  assert.equal(total, 200, `committed offsets ${JSON.stringify(committed!.partitions)}`);
});
