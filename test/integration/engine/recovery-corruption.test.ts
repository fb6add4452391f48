import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine, computeDigest, isEngineError, type EngineOptions } from '../../../engine/index.js';
import { openEngine, smallNamespace, track } from './helpers.js';
import type { TestContext } from 'node:test';

const key = (k: number) => ({ ns: 'test', set: 's', key: k });
const value = (k: number) => `value-${k}-`.padEnd(300, '#');

async function filled(t: TestContext, count: number) {
  const opened = await openEngine(t, { namespaces: [smallNamespace('test', { filesize: 4 * 1024 * 1024, writeBlockSize: 64 * 1024 })] });
  for (let k = 0; k < count; k++) await opened.engine.put(key(k), { v: value(k) });
  return opened;
}

/** Where a record is stored (device file and byte offset). */
function locate(engine: Engine, k: number): { file: string; offset: number; size: number } {
  const ns = engine.namespace('test');
  const slot = ns.index.find(computeDigest('s', k));
  return { file: ns.storage.devices[ns.index.device(slot)]!.name, offset: ns.index.offset(slot), size: ns.index.size(slot) };
}

function flipByte(file: string, at: number): void {
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0x5a;
  fs.writeSync(fd, b, 0, 1, at);
  fs.closeSync(fd);
}

async function reopen(t: TestContext, options: EngineOptions, cold: boolean): Promise<Engine> {
  if (cold) fs.rmSync(path.join(options.dataDir, 'test', 'clean-shutdown.json'), { force: true });
  return track(t, await Engine.open(options));
}

async function checkAll(engine: Engine, count: number, except: Set<number> = new Set()): Promise<void> {
  for (let k = 0; k < count; k++) {
    if (except.has(k)) continue;
    assert.equal((await engine.get(key(k)))?.bins.v, value(k), `key ${k}`);
  }
}

test('a clean shutdown saves the index; the next open loads it', async (t) => {
  const { engine, options } = await filled(t, 500);
  await engine.close();
  const again = await reopen(t, options, false);
  assert.equal(again.recoveryInfo('test').source, 'saved-index');
  await checkAll(again, 500);
  assert.equal(again.stats('test').objects, 500);
});

test('without a clean shutdown the index is rebuilt from the devices', async (t) => {
  const { engine, options } = await filled(t, 500);
  await engine.remove(key(7));
  await engine.close();
  const cold = await reopen(t, options, true);
  const info = cold.recoveryInfo('test');
  assert.equal(info.source, 'cold-start');
  assert.equal(info.records, 500, '499 records and one tombstone');
  await checkAll(cold, 500, new Set([7]));
  assert.equal(await cold.get(key(7)), null);
  assert.equal(cold.stats('test').tombstones, 1);
  // The clock stays ahead of everything on disk.
  const m = await cold.put(key(1), { v: 'new' });
  assert.ok(m.lut > (await cold.readVersion('test', computeDigest('s', 2)))!.lut);
});

test('a corrupt saved index falls back to a cold start', async (t) => {
  const { engine, options } = await filled(t, 300);
  await engine.close();
  const indexFile = path.join(options.dataDir, 'test', 'primary-index.bin');
  flipByte(indexFile, Math.floor(fs.statSync(indexFile).size / 2));
  const again = await reopen(t, options, false);
  assert.equal(again.recoveryInfo('test').source, 'cold-start');
  await checkAll(again, 300);
});

test('a flipped byte in a record body mid-file: cold start fails naming file and offset', async (t) => {
  const { engine, options } = await filled(t, 1000);
  const at = locate(engine, 10);
  await engine.close();
  flipByte(at.file, at.offset + at.size - 5);
  await assert.rejects(reopen(t, options, true), (err) => {
    assert.ok(isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE'));
    assert.equal(err.details.file, at.file);
    assert.equal(err.details.offset, at.offset);
    assert.match(err.message, new RegExp(`offset ${at.offset}`));
    return true;
  });
});

test('a flipped byte after a clean shutdown: reading that record fails, never returns wrong data', async (t) => {
  const { engine, options } = await filled(t, 1000);
  const at = locate(engine, 10);
  await engine.close();
  flipByte(at.file, at.offset + at.size - 5);
  const again = await reopen(t, options, false);
  await assert.rejects(again.get(key(10)), (err) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.offset === at.offset);
  assert.equal((await again.get(key(11)))?.bins.v, value(11));
});

test('a scan since a lut reports its size and, when asked, skips a corrupt record by digest and goes on; without that it ends there', async (t) => {
  const { engine, options } = await filled(t, 1000);
  const at = locate(engine, 10);
  await engine.close();
  flipByte(at.file, at.offset + at.size - 5);
  const again = await reopen(t, options, false);
  let total = -1;
  const skipped: string[] = [];
  const seen = new Set<string>();
  for await (const v of again.scanVersionsSince('test', 0, { onTotal: (n) => (total = n), onUnreadable: (digest, err) => skipped.push(`${Buffer.from(digest).toString('hex')} ${(err as { code?: string }).code}`) })) seen.add(Buffer.from(v.digest).toString('hex'));
  assert.equal(total, 1000);
  assert.deepEqual(skipped, [`${Buffer.from(computeDigest('s', 10)).toString('hex')} ENGINE_ERR_CORRUPTED_STORAGE`]);
  assert.equal(seen.size, 999);
  assert.ok(!seen.has(Buffer.from(computeDigest('s', 10)).toString('hex')));
  await assert.rejects(
    (async () => {
      for await (const _ of again.scanVersionsSince('test', 0)) void _;
    })(),
    (err) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.offset === at.offset,
  );
});

test('a byte flipped on the device while its block is still in RAM: reads serve the bytes written; after a restart the read fails', async (t) => {
  const { engine, options } = await filled(t, 1000);
  // Key 999 sits in the newest blocks: the open block or the post-write queue.
  const at = locate(engine, 999);
  await engine.namespace('test').storage.commit();
  const byteAt = at.offset + at.size - 5;
  const byteOnFile = (): number => {
    const b = Buffer.alloc(1);
    const fd = fs.openSync(at.file, 'r');
    fs.readSync(fd, b, 0, 1, byteAt);
    fs.closeSync(fd);
    return b[0]!;
  };
  const written = byteOnFile();
  flipByte(at.file, byteAt);
  assert.equal((await engine.get(key(999)))?.bins.v, value(999));
  await engine.close();
  // Unless close() wrote that part of the block again from RAM, the flip is still there.
  if (byteOnFile() === written) flipByte(at.file, byteAt);
  const again = await reopen(t, options, false);
  await assert.rejects(again.get(key(999)), (err) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.offset === at.offset);
});

test('a flipped byte in a record header mid-file is corruption too', async (t) => {
  const { engine, options } = await filled(t, 1000);
  const at = locate(engine, 20);
  await engine.close();
  flipByte(at.file, at.offset + 22);
  await assert.rejects(reopen(t, options, true), (err) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.offset === at.offset);
});

test('a truncated tail: the torn record is dropped, everything before it is intact, later starts are clean', async (t) => {
  const count = 1000;
  const { engine, options } = await filled(t, count);
  const last = locate(engine, count - 1);
  await engine.close();
  // Cut the device in the middle of the newest record (the file is extended back with zeros on open).
  fs.truncateSync(last.file, last.offset + Math.floor(last.size / 2));
  const again = await reopen(t, options, true);
  assert.equal(again.recoveryInfo('test').tornDropped, 1);
  assert.equal(await again.get(key(count - 1)), null);
  await checkAll(again, count - 1);
  await again.put(key(count - 1), { v: value(count - 1) });
  await again.close();
  const third = await reopen(t, options, true);
  assert.equal(third.recoveryInfo('test').tornDropped, 0);
  await checkAll(third, count);
});

test('versions whose change events the log lost get them back, even applied versions with an old lut', async (t) => {
  const { engine, options } = await filled(t, 50);
  const old = { ns: 'test', set: 's', digest: computeDigest('s', 'remote'), key: 'remote', generation: 4, voidTime: 0, lut: 1000 * 1024, region: 3, deleted: false, bins: { a: 1 }, binLuts: { a: 1000 * 1024 } };
  await engine.applyVersion(old);
  await engine.close();
  // The log loses everything (as if its files had not reached the disk).
  fs.rmSync(path.join(options.dataDir, 'test', 'changelog'), { recursive: true, force: true });
  const again = await reopen(t, options, true);
  assert.equal(again.recoveryInfo('test').changeEventsAppended, 51);
  const cursor = await again.changeLog('test').cursor('check');
  const events = [];
  while (events.length < 51) {
    await cursor.waitForMore(5000);
    const batch = await cursor.read(100);
    if (!batch.overflow) events.push(...batch.events);
  }
  assert.equal(events.filter((e) => e.region === 3 && e.lut === old.lut).length, 1);
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 51 }, (_, i) => i + 1));
});

test('records are striped over several devices and all come back after a cold start', async (t) => {
  const ns = smallNamespace('test', { devices: ['a.dat', 'b.dat', 'c.dat'], filesize: 1024 * 1024, writeBlockSize: 64 * 1024 });
  const { engine, options } = await openEngine(t, { namespaces: [ns] });
  for (let k = 0; k < 600; k++) await engine.put(key(k), { v: value(k) });
  const used = new Set<number>();
  const nsObj = engine.namespace('test');
  for (let k = 0; k < 600; k++) used.add(nsObj.index.device(nsObj.index.find(computeDigest('s', k))));
  assert.deepEqual([...used].sort(), [0, 1, 2]);
  await engine.close();
  const cold = await reopen(t, options, true);
  assert.equal(cold.recoveryInfo('test').records, 600);
  await checkAll(cold, 600);
});
