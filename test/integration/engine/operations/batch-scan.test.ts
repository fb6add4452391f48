// Batch reads and scans on a real device namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEngineError, type StoredRecord } from '../../../../engine/index.js';
import { openEngine, smallNamespace } from '../helpers.js';
import { engineErrorCode } from '../../../helpers/error-code.js';

async function collect(it: AsyncIterable<StoredRecord>): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test('a batch of 5,000 keys, present and absent mixed, with and without bin selection', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { filesize: 16 * 1024 * 1024, writeBlockSize: 128 * 1024 })] });
  for (let i = 0; i < 5000; i += 2) await engine.put({ ns: 'test', set: 's', key: i }, { i, pad: 'x'.repeat(20) });
  // Expired and durably deleted records are absent too.
  await engine.remove({ ns: 'test', set: 's', key: 10 });
  const keys = Array.from({ length: 5000 }, (_, i) => ({ ns: 'test', set: 's', key: i }));
  const all = await engine.batchGet(keys);
  assert.equal(all.length, 5000);
  for (let i = 0; i < 5000; i++) {
    if (i % 2 === 1 || i === 10) assert.equal(all[i], null, `key ${i} absent`);
    else assert.deepEqual(all[i]?.bins, { i, pad: 'x'.repeat(20) }, `key ${i}`);
  }
  const some = await engine.batchGet(keys.slice(0, 4), { bins: ['i'] });
  assert.deepEqual(some.map((r) => r?.bins ?? null), [{ i: 0 }, null, { i: 2 }, null]);
  assert.equal(some[0]?.key, 0);
  assert.equal(await engineErrorCode(engine.batchGet([...keys, { ns: 'test', set: 's', key: 'one-too-many' }])), 'ENGINE_ERR_BATCH_TOO_LARGE');
  assert.deepEqual(await engine.batchGet([]), []);
  assert.equal(await engineErrorCode(engine.batchGet([{ ns: 'nope', set: 's', key: 1 }])), 'ENGINE_ERR_NAMESPACE_NOT_FOUND');
  assert.ok(engine.opsStats('test').ops.batch.success >= 2);
});

test('scan streams a namespace or one set, with progress, skipping deleted and expired records', async (t) => {
  const { engine, clock } = await openEngine(t);
  for (let i = 0; i < 1500; i++) await engine.put({ ns: 'test', set: i % 3 === 0 ? 'a' : 'b', key: i }, { i }, i === 4 ? { ttl: 1 } : {});
  await engine.remove({ ns: 'test', set: 'b', key: 1 });
  await engine.remove({ ns: 'test', set: 'b', key: 2 }, { durable: false });
  clock.advance(2000);
  const progress: number[] = [];
  const all = await collect(engine.scan('test', { onProgress: (n) => progress.push(n) }));
  assert.equal(all.length, 1500 - 3);
  assert.deepEqual(new Set(all.map((r) => r.bins.i)).size, all.length, 'each record once');
  assert.ok(progress.length > 1 && progress.at(-1) === all.length, `progress ${progress.slice(-3)}`);
  const inA = await collect(engine.scan('test', { set: 'a', bins: [] }));
  assert.equal(inA.length, 500);
  assert.deepEqual(inA[0]?.bins, {});
  assert.deepEqual(await collect(engine.scan('test', { set: 'never-used' })), []);
  await assert.rejects(async () => collect(engine.scan('nope')), (err) => isEngineError(err, 'ENGINE_ERR_NAMESPACE_NOT_FOUND'));
});

test('writes proceed while a scan is under way, and a scan can be aborted', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { filesize: 8 * 1024 * 1024 })] });
  for (let i = 0; i < 3000; i++) await engine.put({ ns: 'test', set: 's', key: i }, { i });
  let seen = 0;
  let writesDuringScan = 0;
  for await (const rec of engine.scan('test')) {
    seen++;
    // The consumer writes between records: new keys and updates of keys already seen.
    if (seen % 100 === 0) {
      await engine.put({ ns: 'test', set: 's', key: 10_000 + seen }, { i: -1 });
      await engine.put({ ns: 'test', set: 's', key: rec.key as number }, { i: 'updated' });
      writesDuringScan += 2;
    }
  }
  assert.ok(seen >= 3000, `saw ${seen}`);
  assert.equal(writesDuringScan, 60);
  // Writes from another task while the scan runs in the background, not only between records.
  const scanning = collect(engine.scan('test'));
  const writes = Promise.all(Array.from({ length: 50 }, (_, i) => engine.put({ ns: 'test', set: 's', key: 20_000 + i }, { i })));
  await Promise.all([scanning, writes]);
  const controller = new AbortController();
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of engine.scan('test', { signal: controller.signal })) if (++n === 10) controller.abort();
    })(),
    (err) => isEngineError(err, 'ENGINE_ERR_ABORTED'),
  );
  assert.ok(engine.opsStats('test').ops.scan.error >= 1);
});

test('operation statistics: counters and latency percentiles per operation type, objects per set', async (t) => {
  const { engine } = await openEngine(t);
  for (let i = 0; i < 20; i++) await engine.put({ ns: 'test', set: i < 5 ? 'x' : 'y', key: i }, { i });
  await engine.get({ ns: 'test', set: 'x', key: 1 });
  await engine.get({ ns: 'test', set: 'x', key: 999 });
  await engine.operate({ ns: 'test', set: 'x', key: 1 }, [{ op: 'incr', bin: 'i', value: 1 }]);
  await engine.operate({ ns: 'test', set: 'x', key: 1 }, [{ op: 'incr', bin: 'nope', value: 'x' as never }]).catch(() => {});
  await engine.remove({ ns: 'test', set: 'y', key: 19 });
  const s = engine.opsStats('test');
  assert.equal(s.ops.write.success, 20);
  assert.equal(s.ops.read.success, 1);
  assert.equal(s.ops.read.notFound, 1);
  assert.equal(s.ops.operate.success, 1);
  assert.equal(s.ops.operate.error, 1);
  assert.deepEqual(s.ops.operate.errorsByCode, { ENGINE_ERR_INVALID_ARGUMENT: 1 });
  assert.equal(s.ops.delete.success, 1);
  assert.equal(s.ops.write.latency.count, 20);
  assert.ok(s.ops.write.latency.p50Us > 0 && s.ops.write.latency.p50Us <= s.ops.write.latency.p999Us);
  assert.deepEqual(s.setObjects, { x: 5, y: 14 });
  // The engine's own stats snapshot carries the same figures.
  const snap = engine.stats('test');
  assert.deepEqual(snap.setObjects, { x: 5, y: 14 });
  assert.equal(snap.objects, 19);
  assert.equal(snap.ops.read.success, 1);
});

test('the same operations on a memory namespace', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [{ name: 'sessions', storageEngine: 'memory', nsupPeriod: 0 }] });
  const k = (i: number) => ({ ns: 'sessions', set: 'web', key: `s${i}` });
  for (let i = 0; i < 100; i++) await engine.put(k(i), { user: i % 10, hits: 0 });
  await engine.operate(k(1), [{ op: 'incr', bin: 'hits', value: 5 }, { op: 'map-put', bin: 'attrs', key: 'lang', value: 'ja' }]);
  assert.deepEqual((await engine.get(k(1)))?.bins, { user: 1, hits: 5, attrs: { lang: 'ja' } });
  assert.equal((await engine.batchGet([k(1), k(1000)])).filter((r) => r !== null).length, 1);
  assert.equal((await collect(engine.scan('sessions', { set: 'web' }))).length, 100);
  await engine.createIndex({ ns: 'sessions', name: 'by_user', bin: 'user', type: 'integer' });
  assert.equal((await collect(engine.query('sessions', { bin: 'user', equals: 3 }))).length, 10);
  assert.deepEqual(engine.stats('sessions').setObjects, { web: 100 });
});
