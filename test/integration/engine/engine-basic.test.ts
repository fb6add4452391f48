import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest, isEngineError, type ChangeEvent, type EngineErrorCode } from '../../../engine/index.js';
import { openEngine, smallNamespace } from './helpers.js';

const key = (k: string | number, set = 'profiles') => ({ ns: 'test', set, key: k });
const rejectsWith = (code: EngineErrorCode) => (err: unknown) => isEngineError(err, code);

test('put merges bins, null removes a bin, get and select read them back', async (t) => {
  const { engine } = await openEngine(t);
  const m1 = await engine.put(key('user:1001'), { name: 'Alice Chen', plan: 'premium', last_seen: 1737500000, feature_flags: ['ab_test_v2', 'new_checkout'] });
  assert.equal(m1.generation, 1);
  assert.equal(m1.ttl, -1);
  assert.equal(m1.region, 1);
  const m2 = await engine.put(key('user:1001'), { last_seen: 1737600000, plan: null });
  assert.equal(m2.generation, 2);
  assert.ok(m2.lut > m1.lut);
  const rec = await engine.get(key('user:1001'));
  assert.deepEqual(rec?.bins, { name: 'Alice Chen', last_seen: 1737600000, feature_flags: ['ab_test_v2', 'new_checkout'] });
  assert.equal(rec?.key, 'user:1001');
  assert.deepEqual(rec?.digest, computeDigest('profiles', 'user:1001'));
  const sel = await engine.get(key('user:1001'), { bins: ['name', 'plan'] });
  assert.deepEqual(sel?.bins, { name: 'Alice Chen' });
  assert.equal((await engine.exists(key('user:1001')))?.generation, 2);
  assert.equal(await engine.get(key('nobody')), null);
  assert.equal(await engine.exists(key('nobody')), null);
});

test('every bin type round-trips', async (t) => {
  const { engine } = await openEngine(t);
  const bins = {
    i: 42, neg: -7, big: 2n ** 62n, d: 3.25, s: 'héllo', b: new Uint8Array([0, 1, 255]), t: true, f: false,
    list: [1, 'a', [2.5, { deep: 'x' }]], map: { a: 1, nested: { b: [true] } },
  };
  await engine.put(key('types'), bins);
  const rec = await engine.get(key('types'));
  assert.deepEqual({ ...rec!.bins, b: new Uint8Array(rec!.bins.b as Uint8Array) }, bins);
});

test('removed bins stay as bin tombstones in binLuts; replace drops the others', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('r'), { a: 1, b: 2, c: 3 });
  await engine.put(key('r'), { b: null });
  const digest = computeDigest('profiles', 'r');
  let v = await engine.readVersion('test', digest);
  assert.deepEqual(Object.keys(v!.bins).sort(), ['a', 'c']);
  assert.deepEqual(Object.keys(v!.binLuts).sort(), ['a', 'b', 'c']);
  assert.ok(v!.binLuts.b! > v!.binLuts.a!);
  await engine.put(key('r'), { z: 9 }, { exists: 'replace' });
  v = await engine.readVersion('test', digest);
  assert.deepEqual(v!.bins, { z: 9 });
  assert.equal(v!.binLuts.a, v!.binLuts.z, 'bins dropped by replace get the replace time');
});

test('exists policies and generation checks fail with their codes', async (t) => {
  const { engine } = await openEngine(t);
  await assert.rejects(engine.put(key('p'), { a: 1 }, { exists: 'update' }), rejectsWith('ENGINE_ERR_RECORD_NOT_FOUND'));
  await assert.rejects(engine.put(key('p'), { a: 1 }, { exists: 'replace' }), rejectsWith('ENGINE_ERR_RECORD_NOT_FOUND'));
  await engine.put(key('p'), { a: 1 }, { exists: 'create' });
  await assert.rejects(engine.put(key('p'), { a: 2 }, { exists: 'create' }), rejectsWith('ENGINE_ERR_RECORD_EXISTS'));
  await assert.rejects(engine.put(key('p'), { a: 2 }, { generation: { mode: 'eq', value: 5 } }), rejectsWith('ENGINE_ERR_GENERATION_MISMATCH'));
  await engine.put(key('p'), { a: 2 }, { generation: { mode: 'eq', value: 1 } });
  await assert.rejects(engine.put(key('p'), { a: 3 }, { generation: { mode: 'gt', value: 2 } }), rejectsWith('ENGINE_ERR_GENERATION_MISMATCH'));
  await engine.put(key('p'), { a: 3 }, { generation: { mode: 'gt', value: 3 } });
  await assert.rejects(engine.remove(key('p'), { generation: { mode: 'eq', value: 1 } }), rejectsWith('ENGINE_ERR_GENERATION_MISMATCH'));
  assert.equal((await engine.get(key('p')))?.bins.a, 3, 'failed writes changed nothing');
  // A write policy's refusal is the client's answer, not an engine fault: counted apart from client_write_error.
  const s = engine.stats('test');
  assert.equal(s.client_write_refused, 5);
  assert.equal(s.client_write_error, 0);
});

test('invalid input fails with typed errors before anything is stored', async (t) => {
  const { engine } = await openEngine(t);
  await assert.rejects(engine.put(key('x'), { 'sixteen-bytes-xx': 1 }), rejectsWith('ENGINE_ERR_BIN_NAME_TOO_LONG'));
  await assert.rejects(engine.put({ ns: 'nope', set: 's', key: 1 }, { a: 1 }), rejectsWith('ENGINE_ERR_NAMESPACE_NOT_FOUND'));
  await assert.rejects(engine.get({ ns: 'nope', set: 's', key: 1 }), rejectsWith('ENGINE_ERR_NAMESPACE_NOT_FOUND'));
  await assert.rejects(engine.put(key(1.5), { a: 1 }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x'), { a: undefined as unknown as null }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x'), { a: [undefined as unknown as null] }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x'), { a: 2n ** 64n }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x'), { a: new Date() as unknown as string }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x', 's'.repeat(64)), { a: 1 }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.put(key('x'), { a: 'x'.repeat(70_000) }), rejectsWith('ENGINE_ERR_RECORD_TOO_BIG'));
  await assert.rejects(engine.touch(key('x')), rejectsWith('ENGINE_ERR_RECORD_NOT_FOUND'));
  assert.equal(await engine.get(key('x')), null);
  const s = engine.stats('test');
  assert.equal(s.objects, 0);
  assert.ok(s.client_write_error >= 8);
  assert.equal(s.client_write_refused, 1, 'touch of a missing record is a refusal, not an error');
});

test('durable delete leaves a tombstone that replicates; non-durable delete leaves nothing', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('d1'), { a: 1 });
  await engine.put(key('d2'), { a: 1 });
  assert.equal(await engine.remove(key('d1')), true);
  assert.equal(await engine.remove(key('d2'), { durable: false }), true);
  assert.equal(await engine.remove(key('d2')), false);
  assert.equal(await engine.get(key('d1')), null);
  const t1 = await engine.readVersion('test', computeDigest('profiles', 'd1'));
  assert.equal(t1?.deleted, true);
  assert.equal(t1?.generation, 2);
  assert.deepEqual(t1?.bins, {});
  assert.equal(await engine.readVersion('test', computeDigest('profiles', 'd2')), null);
  const s = engine.stats('test');
  assert.equal(s.tombstones, 1);
  assert.equal(s.objects, 0);
  // Writing over a tombstone starts a live record again, generations keep increasing.
  const m = await engine.put(key('d1'), { b: 2 }, { exists: 'create' });
  assert.equal(m.generation, 3);
  assert.deepEqual((await engine.get(key('d1')))?.bins, { b: 2 });
  // Removing the last bin deletes the record (as Aerospike does), durably.
  await engine.put(key('d1'), { b: null });
  assert.equal(await engine.get(key('d1')), null);
});

test('touch bumps generation, lut and ttl without changing bins', async (t) => {
  const { engine } = await openEngine(t);
  const m1 = await engine.put(key('t'), { a: 1 }, { ttl: 100 });
  assert.equal(m1.ttl, 100);
  const m2 = await engine.touch(key('t'), 500);
  assert.equal(m2.generation, 2);
  assert.equal(m2.ttl, 500);
  assert.ok(m2.lut > m1.lut);
  assert.deepEqual((await engine.get(key('t')))?.bins, { a: 1 });
});

test('every mutation appends a change event with a strictly increasing seq', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('c1'), { a: 1 });
  await engine.put(key('c1'), { a: 2 });
  await engine.remove(key('c1'));
  await engine.put(key('c2'), { a: 1 });
  await engine.remove(key('c2'), { durable: false });
  const log = engine.changeLog('test');
  assert.equal(log.headSeq(), 5);
  const cursor = await log.cursor('test-reader');
  // Cursors see entries once they are durable (buffered mode: within flush-max-ms).
  const events: ChangeEvent[] = [];
  while (events.length < 5) {
    await cursor.waitForMore(5000);
    const batch = await cursor.read(100);
    assert.equal(batch.overflow, false);
    if (!batch.overflow) events.push(...batch.events);
  }
  assert.deepEqual(events.map((e) => e.kind), ['write', 'write', 'delete', 'write', 'delete']);
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5]);
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.lut > events[i - 1]!.lut);
  assert.ok(events.every((e) => e.region === 1 && e.ns === 'test' && e.set === 'profiles'));
});

test('applyVersion stores a version exactly as given and logs it under its region', async (t) => {
  const { engine } = await openEngine(t);
  const digest = computeDigest('profiles', 'remote');
  const lut = engine.now() + 5000 * 1024;
  const version = {
    ns: 'test', set: 'profiles', digest, key: 'remote', generation: 7, voidTime: 0, lut, region: 3, deleted: false,
    bins: { a: 'from-dc3' }, binLuts: { a: lut, gone: lut - 1 }, counters: { c: { base: 1, baseLut: lut, p: { '3': 2 }, n: {} } },
  };
  assert.deepEqual(await engine.applyVersion(version), { applied: true });
  assert.deepEqual(await engine.readVersion('test', digest), version);
  assert.ok(engine.now() > lut, 'the local clock moved past the remote lut');
  const cursor = await engine.changeLog('test').cursor('r');
  await cursor.waitForMore(5000);
  const batch = await cursor.read(10);
  assert.ok(!batch.overflow && batch.events[0]!.region === 3 && batch.events[0]!.lut === lut);
  await assert.rejects(engine.applyVersion({ ...version, region: 0 }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.applyVersion({ ...version, digest: new Uint8Array(3) }), rejectsWith('ENGINE_ERR_INVALID_ARGUMENT'));
  // A remote tombstone for a record we never had is stored too, so older writes lose to it later.
  const tomb = { ...version, digest: computeDigest('profiles', 'other'), deleted: true, bins: {}, binLuts: {}, counters: undefined };
  delete (tomb as { counters?: unknown }).counters;
  await engine.applyVersion(tomb);
  assert.equal((await engine.readVersion('test', tomb.digest))?.deleted, true);
});

test('scanVersionsSince yields versions (tombstones too) newer than a lut', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('old'), { a: 1 });
  const since = engine.now();
  await engine.put(key('new1'), { a: 1 });
  await engine.put(key('new2'), { a: 1 });
  await engine.remove(key('new2'));
  const seen: string[] = [];
  for await (const v of engine.scanVersionsSince('test', since)) seen.push(`${String(v.key)}:${v.deleted}`);
  assert.deepEqual(seen.sort(), ['new1:false', 'new2:true']);
});

test('memory namespaces keep data in RAM and, with persist, across a clean restart', async (t) => {
  const ns = { name: 'mem', storageEngine: 'memory' as const, dataSize: 4 * 1024 * 1024, writeBlockSize: 64 * 1024, persist: true, nsupPeriod: 0 };
  const { engine, dir, clock } = await openEngine(t, { namespaces: [ns] });
  for (let i = 0; i < 200; i++) await engine.put({ ns: 'mem', set: 's', key: i }, { v: i });
  await engine.remove({ ns: 'mem', set: 's', key: 3 });
  await engine.close();
  const { engine: again } = await openEngine(t, { dataDir: dir, clock, namespaces: [ns] });
  assert.equal(again.recoveryInfo('mem').source, 'saved-index');
  assert.equal((await again.get({ ns: 'mem', set: 's', key: 199 }))?.bins.v, 199);
  assert.equal(await again.get({ ns: 'mem', set: 's', key: 3 }), null);
  assert.equal(again.stats('mem').objects, 199);
});

test('a closed engine refuses work with ENGINE_ERR_CLOSED', async (t) => {
  const { engine } = await openEngine(t);
  await engine.close();
  await assert.rejects(engine.get(key('a')), rejectsWith('ENGINE_ERR_CLOSED'));
});

test('commit-to-device: concurrent writers share fsyncs (group commit)', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { commitToDevice: true })] });
  await Promise.all(Array.from({ length: 200 }, (_, i) => engine.put(key(i), { v: i })));
  const s = engine.stats('test');
  assert.equal(s.client_write_success, 200);
  assert.ok(s.device_syncs >= 1 && s.device_syncs < 50, `${s.device_syncs} fsync rounds for 200 writes`);
  for (let i = 0; i < 200; i += 37) assert.equal((await engine.get(key(i)))?.bins.v, i);
});

test('change listeners see every stored version and every removal', async (t) => {
  const { engine } = await openEngine(t);
  const seen: string[] = [];
  engine.namespace('test').changeListeners.push((slot, v) => seen.push(v === null ? `removed:${slot}` : `${String(v.key)}:${v.deleted}:${v.generation}`));
  await engine.put(key('l1'), { a: 1 });
  await engine.put(key('l1'), { a: 2 });
  await engine.remove(key('l1'));
  await engine.put(key('l2'), { a: 1 });
  await engine.remove(key('l2'), { durable: false });
  assert.deepEqual(seen.map((s) => s.replace(/removed:\d+/, 'removed')), ['l1:false:1', 'l1:false:2', 'l1:true:3', 'l2:false:1', 'removed']);
});
