// Compressed routes on real Kafka: a route that changes its compression
// (lz4, zstd, gzip, none) leaves batches of every codec in one topic, and the
// destination, which compresses nothing itself, applies all of them in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaBrokers } from '../../../helpers/kafka.js';
import { waitFor } from '../../../helpers/wait.js';
import type { RouteCompression } from '../../../../replication-protocol/index.js';
import { NS, QUICK_PACE, converged, inProcessRegions, receiveStatsOf } from '../../../helpers/two-regions/index.js';

test('a route switching between lz4, zstd, gzip and none ships into one topic that an uncompressed receiver applies whole', async (t) => {
  const { tokyo, virginia, route } = await inProcessRegions(t, { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') }, { pace: QUICK_PACE });
  const codecs: RouteCompression[] = ['lz4', 'zstd', 'gzip', 'none'];
  let written = 0;
  for (const [step, compression] of codecs.entries()) {
    // Both ends learn the route as the route catalog tells them; only the source compresses.
    for (const [source, destination] of [[tokyo, virginia], [virginia, tokyo]] as const) {
      const r = { ...route(source, destination), compression };
      await source.replication.upsertRoute(r);
      await destination.replication.upsertRoute(r);
    }
    // The same keys again at every step: a record's later versions arrive under another codec and must win.
    for (let i = 0; i < 30; i++) {
      await tokyo.engine.put({ ns: NS, set: 'profiles', key: `p${i}` }, { name: `user-${i}`, plan: 'premium', step, compression });
      await virginia.engine.put({ ns: NS, set: 'profiles', key: `v${i}` }, { name: `user-${i}`, plan: 'free', step, compression });
      written++;
    }
    await waitFor(() => converged(tokyo, virginia), { timeoutMs: 30_000, what: `both regions identical after the ${compression} step` });
  }
  for (const [region, key] of [[virginia, 'p7'], [tokyo, 'v7']] as const) {
    const got = await region.engine.get({ ns: NS, set: 'profiles', key });
    assert.equal(got?.bins.compression, 'none', `${key}: the last step's version`);
    assert.equal(got?.bins.step, codecs.length - 1);
  }
  for (const [from, to] of [[tokyo, virginia], [virginia, tokyo]] as const) {
    const recv = receiveStatsOf(to, route(from, to));
    assert.equal(recv.dead_lettered, 0);
    assert.equal(recv.retries, 0);
    assert.equal(recv.applied, written, `${to.config.region.name} applied every version of every step`);
  }
});
