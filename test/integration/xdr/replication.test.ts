// Active-active replication between two real regions (Engine + Kafka each):
// writes flow both ways, conflicting writes converge, poison goes to the DLQ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaBrokers } from '../../helpers/kafka.js';
import { waitFor } from '../../helpers/wait.js';
import { NS, converged, dump, twoRegions } from './regions.js';

test('writes in either region appear in the other, with identical metadata', async (t) => {
  const { tokyo, virginia } = await twoRegions(t, { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') });
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
  const recv = virginia.replication.stats().receive[0]!;
  assert.equal(recv.dead_lettered, 0);
  // t0..t9 were put and removed; a batch holding both ships only the tombstone (hot-key coalescing).
  assert.ok(recv.applied >= 40, `applied ${recv.applied}`);
  // Nothing is shipped back to where it came from: tokyo applied only virginia's 40.
  const back = tokyo.replication.stats().receive[0]!;
  assert.equal(back.applied + back.rejected_identical + back.rejected_older, 40);
});
