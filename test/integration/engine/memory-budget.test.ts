// memory-size: a namespace's RAM budget counted as Aerospike counts it (64 B of
// index a record, secondary indexes, data in RAM). Past stop-writes-pct client
// writes are refused with ENGINE_ERR_STOP_WRITES (Aerospike's OUT_OF_SPACE); past
// high-water-memory-pct nsup evicts the records closest to expiry. Versions
// replicated from other regions meet the same stop-writes (Aerospike refuses
// every write there, XDR's included); the receiver retries them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest, isEngineError } from '../../../engine/index.js';
import type { RecordVersion } from '../../../record/index.js';
import { openEngine, smallNamespace } from './helpers.js';

const key = (k: string | number) => ({ ns: 'test', set: 's', key: k });
const BUDGET = 64 * 1000; // 1000 records of index

async function fillUntilStopped(engine: Awaited<ReturnType<typeof openEngine>>['engine'], limit: number): Promise<{ written: number; refusal: unknown }> {
  for (let i = 0; i < limit; i++) {
    try {
      await engine.put(key(i), { v: i }, { ttl: 1000 + i });
    } catch (err) {
      return { written: i, refusal: err };
    }
  }
  return { written: limit, refusal: null };
}

test('a device namespace refuses client writes at stop-writes-pct of memory-size, counting 64 B of index a record', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { memorySize: BUDGET, highWaterMemoryPct: 50, stopWritesPct: 80 })] });
  const { written, refusal } = await fillUntilStopped(engine, 2000);
  assert.ok(isEngineError(refusal, 'ENGINE_ERR_STOP_WRITES'), String(refusal));
  assert.match((refusal as Error).message, /memory 80\.0% of memory-size 64000 bytes ≥ stop-writes-pct 80/);
  assert.equal(written, 800, '800 records × 64 B = 80 % of 64000 B');
  const s = engine.stats('test');
  assert.equal(s.memory_size, BUDGET);
  assert.equal(s.memory_used_bytes, 800 * 64);
  assert.equal(s.memory_used_pct, 80);
  assert.equal(s.stop_writes, true);
  assert.equal(s.stop_writes_count, 1);
  // A delete is always allowed (it frees nothing from the index, but it must never be refused).
  assert.equal(await engine.remove(key(0)), true);
});

test('at stop-writes a version replicated from another region is refused retriably, as in Aerospike, and lands once nsup evicted', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { memorySize: BUDGET, highWaterMemoryPct: 50, stopWritesPct: 80 })] });
  await fillUntilStopped(engine, 2000);
  const template = (await engine.readVersion('test', computeDigest('s', 1)))!;
  const lut = engine.now() + 1024;
  const remote: RecordVersion = { ...template, digest: computeDigest('s', 'from-virginia'), key: 'from-virginia', region: 2, generation: 1, lut, bins: { v: 'remote' }, binLuts: { v: lut } };
  const refusal = await engine.applyVersion(remote).then(() => null, (err: unknown) => err);
  // Retriable: the receiver retries it (RECV_ERR_APPLY_FAILED) instead of dead-lettering it.
  assert.ok(isEngineError(refusal, 'ENGINE_ERR_STOP_WRITES') && refusal.retriable, String(refusal));
  await engine.runNsup('test');
  await engine.applyVersion(remote);
  assert.deepEqual((await engine.get(key('from-virginia')))?.bins, { v: 'remote' });
  assert.equal(engine.stats('test').xdr_apply_success, 1);
});

test('past high-water-memory-pct nsup evicts the records closest to expiry, and writes are accepted again', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { memorySize: BUDGET, highWaterMemoryPct: 50, stopWritesPct: 80 })] });
  await fillUntilStopped(engine, 2000);
  const r = await engine.runNsup('test');
  assert.equal(r.evicted, 300, 'down from 800 records to 500 (50 %)');
  const s = engine.stats('test');
  assert.equal(s.memory_used_pct, 50);
  assert.equal(s.stop_writes, false);
  assert.equal(s.evicted_objects, 300);
  // Soonest to expire went first.
  assert.equal(await engine.get(key(0)), null);
  assert.notEqual(await engine.get(key(799)), null);
  await engine.put(key('again'), { v: 1 });
});

test('the data of a memory namespace counts against memory-size', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [{ name: 'test', storageEngine: 'memory', dataSize: 4 * 1024 * 1024, writeBlockSize: 64 * 1024, nsupPeriod: 0, memorySize: 1024 * 1024, highWaterMemoryPct: 60, stopWritesPct: 90 }] });
  await engine.put(key('a'), { v: 'x'.repeat(10_000) });
  const s = engine.stats('test');
  assert.ok(s.memory_used_bytes > 10_000 + 64, `used ${s.memory_used_bytes}`);
  assert.equal(s.memory_used_bytes, 64 + s.device_used_bytes);
  const { refusal } = await fillUntilStopped(engine, 200);
  assert.equal(refusal, null, 'small records fit');
  let stopped: unknown = null;
  for (let i = 0; i < 200 && stopped === null; i++) await engine.put(key(`big-${i}`), { v: 'y'.repeat(10_000) }).catch((err: unknown) => (stopped = err));
  assert.ok(isEngineError(stopped, 'ENGINE_ERR_STOP_WRITES'), String(stopped));
  assert.ok(engine.stats('test').memory_used_pct >= 90);
});

test('without memory-size there is no budget: memory_used_pct is 0 and writes are never refused for memory', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('a'), { v: 1 });
  const s = engine.stats('test');
  assert.equal(s.memory_size, 0);
  assert.equal(s.memory_used_pct, 0);
  assert.equal(s.memory_used_bytes, 64);
});

test('secondary indexes count against memory-size', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { memorySize: 1024 * 1024, highWaterMemoryPct: 60, stopWritesPct: 90 })] });
  for (let i = 0; i < 100; i++) await engine.put(key(i), { n: i });
  const before = engine.stats('test').memory_used_bytes;
  assert.equal(before, 100 * 64);
  await engine.createIndex({ name: 'by_n', ns: 'test', bin: 'n', type: 'integer' });
  const after = engine.stats('test');
  assert.equal(after.memory_used_bytes - before, after.sindexes.find((x) => x.name === 'by_n')!.bytesEstimate);
  assert.ok(after.memory_used_bytes > before);
});
