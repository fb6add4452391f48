// Route control at runtime through Replication (what the gateway calls):
// pause/resume, rewind, removal, and custom resolver modules loaded from a path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaBrokers } from '../../../helpers/kafka.js';
import { tmpDir } from '../../../helpers/tmp.js';
import { waitFor } from '../../../helpers/wait.js';
import { isReplicationError, loadResolver } from '../../../../xdr/replication/index.js';
import { NS, QUICK_PACE, converged, inProcessRegions, receiveStatsOf, shipStatsOf } from '../../../helpers/two-regions/index.js';

async function brokers() {
  return { tokyo: await kafkaBrokers('tokyo'), virginia: await kafkaBrokers('virginia') };
}

test('pause holds a route back, resume ships the backlog, rewind re-ships, remove with forget drops the cursor', async (t) => {
  const { tokyo, virginia, route } = await inProcessRegions(t, await brokers(), { pace: QUICK_PACE });
  const tv = route(tokyo, virginia);
  await tokyo.replication.pauseRoute(tv.name);
  for (let i = 0; i < 20; i++) await tokyo.engine.put({ ns: NS, set: 's', key: `p${i}` }, { i });
  await waitFor(() => shipStatsOf(tokyo, tv).in_queue === 20, { what: 'a backlog on the paused route' });
  await sleep(300);
  assert.equal(await virginia.engine.get({ ns: NS, set: 's', key: 'p0' }), null);
  const lag = tokyo.replication.lag().find((l) => l.role === 'ship' && l.route === tv.name);
  assert.equal(lag?.role === 'ship' ? lag.in_queue : undefined, 20, 'the lag of the paused route shows its backlog');

  await tokyo.replication.resumeRoute(tv.name);
  await waitFor(() => converged(tokyo, virginia), { timeoutMs: 20_000, what: 'the backlog to arrive after resume' });

  const before = receiveStatsOf(virginia, tv).rejected_identical;
  await tokyo.replication.rewindRoute(tv.name, 0);
  await waitFor(() => receiveStatsOf(virginia, tv).rejected_identical >= before + 20, { timeoutMs: 20_000, what: 'the rewind to re-ship 20 records (identical at the destination)' });
  assert.equal(shipStatsOf(tokyo, tv).recoveries, 1);

  await tokyo.replication.removeRoute(tv.name, { forget: true });
  assert.ok(!tokyo.engine.changeLog(NS).cursorNames().includes(`route:${tv.name}`));
  await assert.rejects(tokyo.replication.pauseRoute(tv.name), (err) => isReplicationError(err, 'XDR_ERR_REPLICATION_UNKNOWN_ROUTE'));
});

test('a custom resolver module decides; one that throws keeps the local record and is counted', async (t) => {
  const dir = await tmpDir(t);
  const keeper = path.join(dir, 'keeper.mjs');
  // Incoming wins, except that a local version holding `pinned: true` is never replaced.
  await writeFile(keeper, `export function resolve(local, incoming) {
    if (local && local.bins.pinned === true) return { action: 'keep-local', reason: 'older' };
    return { action: 'take-incoming' };
  }\n`);
  const thrower = path.join(dir, 'thrower.mjs');
  await writeFile(thrower, 'export default function () { throw new Error("resolver bug"); }\n');
  await writeFile(path.join(dir, 'empty.mjs'), 'export const nothing = 1;\n');

  assert.equal((await loadResolver({ name: 'r', resolver: 'custom', customResolverPath: 'keeper.mjs' }, dir)).name, 'custom:keeper.mjs');
  await assert.rejects(loadResolver({ name: 'r', resolver: 'custom', customResolverPath: 'empty.mjs' }, dir), (err) => isReplicationError(err, 'XDR_ERR_CUSTOM_RESOLVER_LOAD'));
  await assert.rejects(loadResolver({ name: 'r', resolver: 'custom', customResolverPath: 'missing.mjs' }, dir), (err) => isReplicationError(err, 'XDR_ERR_CUSTOM_RESOLVER_LOAD'));

  const { tokyo, virginia, route } = await inProcessRegions(t, await brokers(), { pace: QUICK_PACE, routes: { resolver: 'custom', customResolverPath: keeper } });
  const tv = route(tokyo, virginia);
  await virginia.engine.put({ ns: NS, set: 's', key: 'pinned' }, { pinned: true });
  await waitFor(async () => (await tokyo.engine.get({ ns: NS, set: 's', key: 'pinned' })) !== null, { timeoutMs: 20_000, what: 'pinned record in tokyo' });
  await tokyo.engine.put({ ns: NS, set: 's', key: 'pinned' }, { pinned: false });
  await tokyo.engine.put({ ns: NS, set: 's', key: 'free' }, { x: 1 });
  await waitFor(async () => (await virginia.engine.get({ ns: NS, set: 's', key: 'free' })) !== null, { timeoutMs: 20_000, what: 'free record in virginia' });
  await waitFor(() => receiveStatsOf(virginia, tv).rejected_older >= 1, { what: 'the custom resolver to keep the pinned record' });
  assert.equal((await virginia.engine.get({ ns: NS, set: 's', key: 'pinned' }))?.bins.pinned, true);

  // Swap Virginia's end of the route to the throwing module.
  await virginia.replication.upsertRoute({ ...tv, customResolverPath: thrower }, { paused: false });
  await tokyo.engine.put({ ns: NS, set: 's', key: 'free' }, { x: 2 });
  await waitFor(() => receiveStatsOf(virginia, tv).resolver_errors >= 1, { timeoutMs: 20_000, what: 'the throwing resolver to be counted' });
  assert.equal((await virginia.engine.get({ ns: NS, set: 's', key: 'free' }))?.bins.x, 1);
});
