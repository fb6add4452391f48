import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine, isEngineError, type Engine as EngineT } from '../../../engine/index.js';
import { openEngine, smallNamespace, track } from './helpers.js';

const key = (k: number) => ({ ns: 'test', set: 's', key: k });

async function checkModel(engine: EngineT, model: Map<number, string>, keys: number): Promise<void> {
  for (let k = 0; k < keys; k++) {
    const rec = await engine.get(key(k));
    assert.equal(rec?.bins.v, model.get(k), `key ${k}`);
  }
}

test('defrag under churn keeps every live record, also across clean and cold restarts', async (t) => {
  const ns = smallNamespace('test', { filesize: 2 * 1024 * 1024, writeBlockSize: 64 * 1024, defragLwmPct: 50 });
  const { engine, dir, clock, options } = await openEngine(t, { namespaces: [ns] });
  const model = new Map<number, string>();
  const keys = 400;
  const rng = fc.sample(fc.tuple(fc.integer({ min: 0, max: keys - 1 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 100, max: 1500 })), { numRuns: 12_000, seed: 42 });
  let n = 0;
  for (const [k, op, size] of rng) {
    if (op === 0) {
      // Durable deletes: like Aerospike, a non-durable delete may be undone by a
      // cold start (an older copy on the device is found again); docs/architecture.md.
      await engine.remove(key(k));
      model.delete(k);
    } else {
      const v = `${k}:${n++}:`.padEnd(size, 'x');
      await engine.put(key(k), { v });
      model.set(k, v);
    }
  }
  // Let background defrag finish its queue.
  for (let i = 0; i < 200 && engine.stats('test').defrag_q > 0; i++) await new Promise((r) => setImmediate(r));
  const s = engine.stats('test');
  assert.ok(s.defrag_reads > 0, 'defrag ran');
  assert.ok(s.defrag_writes > 0, 'defrag moved live records');
  assert.ok(s.write_blocks_written > 32, 'the device was wrapped around several times');
  await checkModel(engine, model, keys);

  await engine.close();
  const clean = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.equal(clean.recoveryInfo('test').source, 'saved-index');
  await checkModel(clean, model, keys);
  await clean.close();

  const { rmSync } = await import('node:fs');
  rmSync(`${dir}/test/clean-shutdown.json`);
  const cold = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.equal(cold.recoveryInfo('test').source, 'cold-start');
  await checkModel(cold, model, keys);
});

test('stop-writes refuses client writes when full and harms nothing already stored', async (t) => {
  const ns = smallNamespace('test', { filesize: 1024 * 1024, writeBlockSize: 64 * 1024, stopWritesPct: 60 });
  const { engine } = await openEngine(t, { namespaces: [ns] });
  const stored: number[] = [];
  let stopped: unknown = null;
  for (let k = 0; k < 2000; k++) {
    try {
      await engine.put(key(k), { v: 'x'.repeat(2000) });
      stored.push(k);
    } catch (err) {
      stopped = err;
      break;
    }
  }
  assert.ok(isEngineError(stopped, 'ENGINE_ERR_STOP_WRITES'), String(stopped));
  assert.equal((stopped as { retriable: boolean }).retriable, true);
  assert.ok(engine.stats('test').stop_writes);
  for (const k of stored) assert.equal((await engine.get(key(k)))?.bins.v, 'x'.repeat(2000));
  // Deletes still work at stop-writes and make room again.
  for (const k of stored.slice(0, stored.length / 2)) assert.equal(await engine.remove(key(k), { durable: false }), true);
  assert.equal(engine.stats('test').stop_writes, false);
  await engine.put(key(99_999), { v: 'after' });
  assert.equal((await engine.get(key(99_999)))?.bins.v, 'after');
});

test('a device without free blocks fails writes with stop-writes, never corrupts', async (t) => {
  // stop-writes-pct 100: only running out of free blocks stops writes.
  const ns = smallNamespace('test', { filesize: 1024 * 1024, writeBlockSize: 64 * 1024, stopWritesPct: 100, defragLwmPct: 1 });
  const { engine } = await openEngine(t, { namespaces: [ns] });
  let stopped: unknown = null;
  const stored: number[] = [];
  for (let k = 0; k < 5000 && stopped === null; k++) {
    await engine.put(key(k), { v: 'y'.repeat(3000) }).then(() => stored.push(k), (err) => (stopped = err));
  }
  assert.ok(isEngineError(stopped, 'ENGINE_ERR_STOP_WRITES'), String(stopped));
  for (const k of stored) assert.equal((await engine.get(key(k)))?.bins.v, 'y'.repeat(3000));
});
