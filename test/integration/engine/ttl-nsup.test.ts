import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest, type ChangeEvent } from '../../../engine/index.js';
import { openEngine, smallNamespace } from './helpers.js';

const key = (k: string | number) => ({ ns: 'test', set: 's', key: k });

test('an expired record is invisible at once; nsup removes and counts it', async (t) => {
  const { engine, clock } = await openEngine(t);
  await engine.put(key('short'), { a: 1 }, { ttl: 10 });
  await engine.put(key('long'), { a: 1 }, { ttl: 1000 });
  await engine.put(key('forever'), { a: 1 }, { ttl: -1 });
  assert.equal((await engine.get(key('short')))?.ttl, 10);
  clock.advance(11_000);
  assert.equal(await engine.get(key('short')), null);
  assert.equal(await engine.exists(key('short')), null);
  assert.equal(await engine.readVersion('test', computeDigest('s', 'short')), null);
  assert.equal((await engine.get(key('long')))?.ttl, 989);
  // Writing an expired record creates it anew (generation 1).
  const r = await engine.runNsup('test');
  assert.deepEqual(r, { expired: 1, tombstonesCollected: 0, evicted: 0 });
  const s = engine.stats('test');
  assert.equal(s.expired_objects, 1);
  assert.equal(s.objects, 2);
  assert.equal((await engine.put(key('short'), { b: 1 })).generation, 1);
});

test('default-ttl applies to writes with ttl 0', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [smallNamespace('test', { defaultTtl: 60 })] });
  assert.equal((await engine.put(key('d'), { a: 1 })).ttl, 60);
  assert.equal((await engine.put(key('n'), { a: 1 }, { ttl: -1 })).ttl, -1);
  clock.advance(61_000);
  assert.equal(await engine.get(key('d')), null);
  assert.notEqual(await engine.get(key('n')), null);
});

test('tombstones are collected after tombstone-grace-sec, not before', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [smallNamespace('test', { tombstoneGraceSec: 3600 })] });
  await engine.put(key('x'), { a: 1 });
  await engine.remove(key('x'));
  clock.advance(1000_000);
  assert.deepEqual(await engine.runNsup('test'), { expired: 0, tombstonesCollected: 0, evicted: 0 });
  assert.equal(engine.stats('test').tombstones, 1);
  clock.advance(2700_000);
  assert.equal((await engine.runNsup('test')).tombstonesCollected, 1);
  assert.equal(engine.stats('test').tombstones, 0);
  assert.equal(await engine.readVersion('test', computeDigest('s', 'x')), null);
});

test('with shipNsupDeletes nsup appends expire events', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [smallNamespace('test', { shipNsupDeletes: true, changeLog: { readVisibility: 'appended' } })] });
  await engine.put(key('e'), { a: 1 }, { ttl: 5 });
  clock.advance(6000);
  await engine.runNsup('test');
  const cursor = await engine.changeLog('test').cursor('c');
  const batch = await cursor.read(10);
  assert.equal(batch.overflow, false);
  const kinds = (batch as { events: ChangeEvent[] }).events.map((e) => e.kind);
  assert.deepEqual(kinds, ['write', 'expire']);
});

test('past high-water-disk-pct nsup evicts the records closest to expiry', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { highWaterDiskPct: 20, stopWritesPct: 90 })] });
  const value = 'v'.repeat(1000);
  for (let i = 0; i < 600; i++) await engine.put(key(i), { value }, { ttl: i < 300 ? 100 + i : -1 });
  assert.ok(engine.stats('test').device_used_pct > 20);
  const r = await engine.runNsup('test');
  assert.ok(r.evicted > 0);
  const s = engine.stats('test');
  assert.ok(s.device_used_pct <= 20, `used ${s.device_used_pct}%`);
  assert.equal(s.evicted_objects, r.evicted);
  // Soonest to expire went first; records without ttl are never evicted.
  assert.equal(await engine.get(key(0)), null);
  assert.notEqual(await engine.get(key(599)), null);
});

test('the nsup timer runs by itself every nsup-period', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [smallNamespace('test', { nsupPeriod: 1 })] });
  await engine.put(key('soon'), { a: 1 }, { ttl: 1 });
  clock.advance(2000);
  for (let i = 0; i < 50 && engine.stats('test').expired_objects === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(engine.stats('test').expired_objects, 1);
});
