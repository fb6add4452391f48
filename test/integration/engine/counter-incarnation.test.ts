// A start that lost acknowledged changes books counter increments under the
// region's next incarnation (engine/counter-incarnation.ts), so they are not
// swallowed by the larger count its peers hold under the old key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeDigest, Engine } from '../../../engine/index.js';
import { openEngine, smallNamespace, track } from './helpers.js';

const key = { ns: 'mem', set: 's', key: 'c' };
const digest = computeDigest(key.set, key.key);

async function contributions(engine: Engine): Promise<Record<string, number> | undefined> {
  return (await engine.readVersion('mem', digest))?.counters?.n?.p;
}

test('a memory namespace restarted without its data counts under a new incarnation; a clean restart keeps its key', async (t) => {
  const namespaces = [smallNamespace('mem', { storageEngine: 'memory', persist: true }), smallNamespace('dev')];
  const { engine, dir, options } = await openEngine(t, { regionId: 3, namespaces });
  await engine.operate(key, [{ op: 'incr', bin: 'n', value: 2 }]);
  assert.deepEqual(await contributions(engine), { 3: 2 });
  await engine.close();

  // A clean stop keeps the data (persist) and the key.
  const clean = track(t, await Engine.open(options));
  assert.equal(clean.startReport('mem').lost, undefined);
  await clean.operate(key, [{ op: 'incr', bin: 'n', value: 1 }]);
  assert.deepEqual(await contributions(clean), { 3: 3 });
  await clean.close();

  // As after a crash: no saved image, no clean-shutdown marker; the change log remembers there was data.
  fs.rmSync(path.join(dir, 'mem', 'memory-namespace.dat'));
  fs.rmSync(path.join(dir, 'mem', 'clean-shutdown.json'));
  const crashed = track(t, await Engine.open(options));
  assert.equal(crashed.startReport('mem').lost?.everything, true);
  await crashed.operate(key, [{ op: 'incr', bin: 'n', value: 5 }]);
  assert.deepEqual(await contributions(crashed), { '3.1': 5 }, 'booked under incarnation 1, not under 3 where peers hold 3');
  // The device namespace lost nothing: its key stays the region id.
  assert.equal(crashed.startReport('dev').lost, undefined);
  await crashed.operate({ ns: 'dev', set: 's', key: 'c' }, [{ op: 'incr', bin: 'n', value: 1 }]);
  assert.deepEqual((await crashed.readVersion('dev', digest))?.counters?.n?.p, { 3: 1 });
  await crashed.close();
  // The incarnation is durable: a later clean restart keeps counting under 3.1.
  const again = track(t, await Engine.open(options));
  await again.operate(key, [{ op: 'incr', bin: 'n', value: 1 }]);
  assert.deepEqual(await contributions(again), { '3.1': 6 });
});
