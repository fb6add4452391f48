// Active-active replication between two real regions (Engine + Kafka each, in
// this process, from the shipped configs): writes flow both ways, conflicting
// writes converge, poison goes to the DLQ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaBrokers } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';
import { NS, QUICK_PACE, converged, dump, inProcessRegions, receiveStatsOf } from '../../../helpers/two-regions/index.js';

test('writes in either region appear in the other, with identical metadata', async (t) => {
  const { tokyo, virginia, route } = await inProcessRegions(t, { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') }, { pace: QUICK_PACE });
  for (let i = 0; i < 40; i++) await tokyo.engine.put({ ns: NS, set: 'users', key: `t${i}` }, { name: `tokyo ${i}`, n: i, big: 2 ** 40 + i, raw: new Uint8Array([i]) });
  for (let i = 0; i < 40; i++) await virginia.engine.put({ ns: NS, set: 'users', key: `v${i}` }, { name: `virginia ${i}`, list: [i, 'x', { deep: true }] });
  for (let i = 0; i < 10; i++) await tokyo.engine.remove({ ns: NS, set: 'users', key: `t${i}` });
  await waitFor(() => converged(tokyo, virginia), { timeoutMs: 30_000, what: 'both regions to hold the same 80 records' });
  const got = await virginia.engine.get({ ns: NS, set: 'users', key: 't20' });
  assert.equal(got?.bins.name, 'tokyo 20');
  assert.equal(got?.bins.big, 2 ** 40 + 20);
  assert.equal(await virginia.engine.get({ ns: NS, set: 'users', key: 't3' }), null, 'a delete replicates as a tombstone');
  assert.equal((await tokyo.engine.get({ ns: NS, set: 'users', key: 'v7' }))?.bins.name, 'virginia 7');
  assert.equal((await dump(tokyo.engine)).length, 80);
  const recv = receiveStatsOf(virginia, route(tokyo, virginia));
  assert.equal(recv.dead_lettered, 0);
  // t0..t9 were put and removed; a batch holding both ships only the tombstone (hot-key coalescing).
  assert.ok(recv.applied >= 40, `applied ${recv.applied}`);
  // Nothing is shipped back to where it came from: tokyo applied only virginia's 40.
  const back = receiveStatsOf(tokyo, route(virginia, tokyo));
  assert.equal(back.applied + back.rejected_identical + back.rejected_older, 40);
});

import type { Engine } from '../../../../engine/index.js';
import { kafkaClient } from '../../../helpers/kafka.js';
import { routeTopic } from '../../../../replication-protocol/index.js';
import { mulberry32 } from '../../../helpers/seeded-random.js';

async function increment(engine: Engine, key: string, bin: string, delta: number): Promise<void> {
  await engine.operate({ ns: NS, set: 'c', key }, [{ op: 'incr', bin, value: delta }]);
}

async function chaos(engine: Engine, seed: number, ops: number): Promise<number> {
  const random = mulberry32(seed);
  let counted = 0;
  for (let i = 0; i < ops; i++) {
    const key = `k${Math.floor(random() * 12)}`;
    const r = random();
    if (r < 0.45) await engine.put({ ns: NS, set: 'c', key }, { [random() < 0.5 ? 'a' : 'b']: `${seed}:${i}` });
    else if (r < 0.6) await engine.remove({ ns: NS, set: 'c', key });
    else if (r < 0.8) await increment(engine, key, 'cnt', 1 + Math.floor(random() * 3));
    else {
      const d = 1 + Math.floor(random() * 5);
      await increment(engine, 'counter', 'hits', d);
      counted += d;
    }
    // Let the other region's writes and the pipeline interleave with ours.
    if (i % 7 === 0) await new Promise((res) => setImmediate(res));
  }
  return counted;
}

for (const resolver of ['lww', 'bin-lww'] as const) {
  test(`concurrent conflicting writes, deletes and increments end identical (${resolver})`, async (t) => {
    const seed = Number(process.env.XDRGATE_TEST_SEED ?? Date.now() % 1e9);
    t.diagnostic(`seed ${seed} (XDRGATE_TEST_SEED replays it)`);
    const { tokyo, virginia } = await inProcessRegions(t, { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') }, { pace: QUICK_PACE, resolver });
    const [sumTokyo, sumVirginia] = await Promise.all([chaos(tokyo.engine, seed, 300), chaos(virginia.engine, seed + 1, 300)]);
    await waitFor(() => converged(tokyo, virginia), { timeoutMs: 40_000, what: `both regions identical under ${resolver} (seed ${seed})` });
    // Only increments touch this key, so under either resolver its counter must be
    // the exact sum made in both regions (counters merge per contributor under lww too).
    const hits = await tokyo.engine.get({ ns: NS, set: 'c', key: 'counter' });
    assert.equal(hits?.bins.hits, sumTokyo + sumVirginia, `seed ${seed}`);
    for (const r of [tokyo, virginia]) for (const s of r.replication.stats().receive) assert.equal(s.dead_lettered, 0);
  });
}

test('a poison message lands in the dead-letter topic with its reason; the next messages apply', async (t) => {
  const brokers = { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') };
  const { tokyo, virginia, route } = await inProcessRegions(t, brokers, { pace: QUICK_PACE });
  const tv = route(tokyo, virginia);
  const topic = routeTopic(tv);
  const kafka = kafkaClient(brokers.tokyo, 'poison-test');
  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());
  await producer.send({ topic, messages: [{ key: 'x', value: Buffer.from('definitely not msgpack'), partition: 0 }, { value: Buffer.from([0x81, 0xa1, 0x76, 0x07]), partition: 1 }] });
  await tokyo.engine.put({ ns: NS, set: 's', key: 'after-poison' }, { ok: true });
  await waitFor(async () => (await virginia.engine.get({ ns: NS, set: 's', key: 'after-poison' })) !== null, { timeoutMs: 20_000, what: 'the write after the poison to apply' });
  await waitFor(() => receiveStatsOf(virginia, tv).dead_lettered === 2, { what: 'two dead letters counted' });

  const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  t.after(() => consumer.disconnect());
  await consumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
  const letters: Array<{ value: string; reason: string; offset: string }> = [];
  await consumer.run({ eachMessage: async ({ message }) => void letters.push({ value: String(message.value), reason: String(message.headers?.['xdr-reason']), offset: String(message.headers?.['xdr-source-offset']) }) });
  await waitFor(() => letters.length === 2, { timeoutMs: 20_000, what: 'both dead letters readable from the DLQ topic' });
  const garbage = letters.find((l) => l.value === 'definitely not msgpack')!;
  assert.match(garbage.reason, /^RECV_ERR_UNDECODABLE: WIRE_ERR_/);
  assert.match(letters.find((l) => l !== garbage)!.reason, /^RECV_ERR_UNDECODABLE: WIRE_ERR_VERSION/);
  assert.match(garbage.offset, /^[0-9]+$/);
});
