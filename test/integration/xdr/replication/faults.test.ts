// Faults mid-stream: restarting the shipper or the receiver, and a source Kafka
// broker stopped and restarted. Nothing may be lost and no duplicate may be
// visible (both regions end with identical versions, generations included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaBrokers, startDedicatedBroker } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';
import { NS, QUICK_PACE, converged, dump, inProcessRegions, shipStatsOf, type InProcessRegion as Region } from '../../../helpers/two-regions/index.js';

function received(region: Region): number {
  return region.replication.stats().receive.reduce((n, s) => n + s.applied + s.rejected_identical + s.rejected_older, 0);
}

async function writeStream(region: Region, prefix: string, count: number, pauseEveryN = 10): Promise<void> {
  for (let i = 0; i < count; i++) {
    await region.engine.put({ ns: NS, set: 's', key: `${prefix}${i}` }, { i, at: prefix });
    if (i % pauseEveryN === 0) await sleep(5);
  }
}

async function assertAllThere(tokyo: Region, virginia: Region, prefix: string, count: number): Promise<void> {
  await waitFor(() => converged(tokyo, virginia), { timeoutMs: 60_000, what: 'both regions identical after the fault' });
  const versions = await dump(virginia.engine);
  const keys = new Set(versions.map((v) => v.key));
  for (let i = 0; i < count; i++) assert.ok(keys.has(`${prefix}${i}`), `${prefix}${i} missing in virginia`);
  // Every record was written once: a re-applied duplicate would show as a different version somewhere.
  assert.ok(versions.every((v) => v.generation === 1));
}

test('restarting the shipper and then the receiver mid-stream loses and duplicates nothing visible', async (t) => {
  const regions = await inProcessRegions(t, { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') }, { pace: QUICK_PACE });
  const { tokyo, virginia } = regions;
  const tv = regions.route(tokyo, virginia);
  const writing = writeStream(tokyo, 'r', 400);
  await waitFor(() => received(virginia) >= 60, { timeoutMs: 20_000, what: 'replication under way' });
  await regions.restart(tokyo);
  await waitFor(() => received(virginia) >= 60 + 100 || shipStatsOf(tokyo, tv).success >= 150, { timeoutMs: 20_000, what: 'shipping again after the shipper restart' });
  await regions.restart(virginia);
  await writing;
  await assertAllThere(tokyo, virginia, 'r', 400);
});

test('a source broker stopped and restarted mid-stream loses nothing; shipping resumes by itself', async (t) => {
  const broker = await startDedicatedBroker(t);
  const { tokyo, virginia, route } = await inProcessRegions(t, { tokyo: broker.brokers, virginia: await kafkaBrokers('virginia') }, { pace: QUICK_PACE });
  const tv = route(tokyo, virginia);
  const writing = writeStream(tokyo, 'b', 300, 5);
  await waitFor(() => received(virginia) >= 40, { timeoutMs: 20_000, what: 'replication under way' });
  await broker.stop();
  // Writes made while the broker is down wait in the change log; their sends fail and are retried (a
  // refused heartbeat is not a retry, so the first stream may have shipped whole before the stop).
  const whileDown = writeStream(tokyo, 'c', 50, 5);
  // kafkajs retries underneath first (5 attempts, connection timeouts), so this can take a while.
  await waitFor(() => shipStatsOf(tokyo, tv).retries > 0, { timeoutMs: 60_000, what: 'the shipper to notice the broker is gone' });
  await sleep(1000);
  await broker.restart();
  await Promise.all([writing, whileDown]);
  await assertAllThere(tokyo, virginia, 'b', 300);
  await assertAllThere(tokyo, virginia, 'c', 50);
  assert.ok(shipStatsOf(tokyo, tv).retries > 0);
});
