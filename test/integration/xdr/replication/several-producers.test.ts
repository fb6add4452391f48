// Several producer threads per region on real Kafka: both regions write the
// same keys at once, each shipping through three producers that split a route's
// batches by partition. Every record's versions must reach its partition in
// order (read back from both route topics), and the regions must converge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerCompressionCodecs } from '../../../../xdr/replication/index.js';
import { decodeMessage, routeTopic } from '../../../../replication-protocol/index.js';
import { kafkaBrokers, kafkaClient } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';
import { NS, QUICK_PACE, converged, inProcessRegions, receiveStatsOf, shipStatsOf } from '../../../helpers/two-regions/index.js';

const KEYS = 24;
const ROUNDS = 12;

test('both regions write the same keys at once through three producer threads each: order per record in Kafka, and they converge', async (t) => {
  const brokers = { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') };
  const { tokyo, virginia, route } = await inProcessRegions(t, brokers, { pace: { ...QUICK_PACE, topics: { partitions: 8 }, producerThreads: { a: 3, b: 3 } } });

  // Concurrent writers in both regions, every key written every round by both.
  const writer = async (region: typeof tokyo, name: string, lane: number): Promise<void> => {
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = lane; k < KEYS; k += 3) await region.engine.put({ ns: NS, set: 'shared', key: `key-${k}` }, { writer: name, round, k });
    }
  };
  await Promise.all([0, 1, 2].flatMap((lane) => [writer(tokyo, 'tokyo', lane), writer(virginia, 'virginia', lane)]));
  await waitFor(() => converged(tokyo, virginia), { timeoutMs: 60_000, what: 'both regions identical' });

  for (const [from, to] of [[tokyo, virginia], [virginia, tokyo]] as const) {
    const r = route(from, to);
    assert.equal(shipStatsOf(from, r).in_queue, 0);
    assert.equal(receiveStatsOf(to, r).dead_lettered, 0);
  }

  // Each route topic read back: per record (Kafka key), luts never go back.
  registerCompressionCodecs();
  for (const [from, to, own] of [[tokyo, virginia, brokers.tokyo], [virginia, tokyo, brokers.virginia]] as const) {
    const topic = routeTopic(route(from, to));
    const kafka = kafkaClient(own, 'several-producers-check');
    const admin = kafka.admin();
    await admin.connect();
    t.after(() => admin.disconnect());
    const ends = await admin.fetchTopicOffsets(topic);
    const expected = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    const consumer = kafka.consumer({ groupId: `several-producers-${Date.now()}-${topic}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    t.after(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const lastLut = new Map<string, number>();
    // Failures are collected, not thrown: kafkajs would treat a throw in eachMessage as a crash and deliver again.
    const outOfOrder: string[] = [];
    let seen = 0;
    let records = 0;
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen++;
        const m = decodeMessage(message.value!);
        if (m.kind !== 'record') return;
        records++;
        const key = `${partition}/${message.key?.toString('hex') ?? 'null'}`;
        const before = lastLut.get(key) ?? 0;
        if (m.version.lut < before) outOfOrder.push(`${key}: lut ${m.version.lut} after ${before} (offset ${message.offset})`);
        lastLut.set(key, Math.max(before, m.version.lut));
      },
    });
    await waitFor(() => seen >= expected, { timeoutMs: 30_000, what: `${topic} read back (${expected} messages)` });
    assert.deepEqual(outOfOrder, [], `${topic}: every record's versions in order`);
    assert.ok(records > 0, `${topic} carried records`);
    // Each key on one partition only (one digest, one partition, one producer). Not every
    // key need be in a topic: a change whose record the other region's version had
    // already overwritten when it was read ships nothing (never back to the origin).
    const keys = new Set([...lastLut.keys()].map((k) => k.split('/')[1]));
    assert.equal(keys.size, lastLut.size, 'no key on two partitions');
    assert.ok(keys.size <= KEYS);
  }
});
