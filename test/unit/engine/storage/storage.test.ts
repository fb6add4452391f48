import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { BLOCK_FREE, BLOCK_OPEN, BLOCK_PENDING_FREE, BLOCK_SEALED } from '../../../../engine/storage/block-table.js';
import { MemoryDevice } from '../../../../engine/storage/device-io.js';
import { Storage } from '../../../../engine/storage/storage.js';
import { isEngineError } from '../../../../engine/errors.js';

const BLOCK = 4096;

function storage(blocks = 16, commitToDevice = false): Storage {
  return new Storage({
    ns: 't', devices: [new MemoryDevice('memory:t/0', blocks * BLOCK, BLOCK)], writeBlockBytes: BLOCK, commitToDevice,
    flushMaxMs: 1000, stopWritesPct: 100, postWriteQueue: 2, logger: pino({ level: 'silent' }),
  });
}

function append(s: Storage, bytes: number, fill: number): number {
  const at = s.reserve(0, bytes, true);
  s.writeBuffer(0).buf.fill(fill, at, at + bytes);
  return s.appended(0, bytes);
}

test('records fill a block, then the next free block opens; reads come back from RAM or the device', () => {
  const s = storage();
  s.blocks.rebuildFreeLists();
  const offsets = Array.from({ length: 10 }, (_, i) => append(s, 1024, i + 1));
  assert.deepEqual(offsets.slice(0, 5), [0, 1024, 2048, 3072, 4096]);
  assert.equal(s.blocks.state[0], BLOCK_SEALED);
  assert.equal(s.blocks.state[2], BLOCK_OPEN);
  for (let i = 0; i < 10; i++) assert.ok(s.reads.read(0, offsets[i]!, 1024).every((b) => b === i + 1), `record ${i}`);
  assert.equal(s.blocks.liveBytesTotal, 10 * 1024);
});

test('an emptied block is reused only after the writes that emptied it were flushed', () => {
  const s = storage(16);
  s.blocks.rebuildFreeLists();
  const first = [append(s, 2048, 1), append(s, 2048, 2)];
  append(s, 2048, 3); // seals block 0
  for (const o of first) s.release(0, o, 2048);
  assert.equal(s.blocks.state[0], BLOCK_PENDING_FREE);
  assert.equal(s.blocks.freeCount(0), 14);
  s.flushAll();
  (s as unknown as { periodicFlush(): void }).periodicFlush();
  assert.equal(s.blocks.state[0], BLOCK_FREE);
  assert.equal(s.blocks.freeCount(0), 15);
});

test('records larger than a block are refused; a full device stops client writes', () => {
  const s = storage(8);
  s.blocks.rebuildFreeLists();
  assert.throws(() => s.reserve(0, BLOCK + 16, true), (e) => isEngineError(e, 'ENGINE_ERR_RECORD_TOO_BIG'));
  let stopped: unknown = null;
  for (let i = 0; i < 100 && stopped === null; i++) {
    try {
      append(s, BLOCK, 7);
    } catch (err) {
      stopped = err;
    }
  }
  assert.ok(isEngineError(stopped, 'ENGINE_ERR_STOP_WRITES'));
  // The defrag reserve is still there for background work.
  assert.ok(s.blocks.freeCount(0) > 0);
  assert.doesNotThrow(() => s.reserve(0, BLOCK, false));
});

test('commit() resolves after one shared sync round for all waiters', async () => {
  const s = storage(16, true);
  s.blocks.rebuildFreeLists();
  append(s, 100, 1);
  await Promise.all([s.commit(), s.commit(), s.commit()]);
  assert.equal(s.stats.syncs, 1);
  await s.close();
});

test('buffered mode: the periodic flush also fdatasyncs the devices it wrote to, and an idle device is not synced again', async () => {
  let datasyncs = 0;
  const device = new MemoryDevice('memory:t/0', 16 * BLOCK, BLOCK);
  device.datasync = async () => {
    datasyncs++;
  };
  const s = new Storage({
    ns: 't', devices: [device], writeBlockBytes: BLOCK, commitToDevice: false,
    flushMaxMs: 20, stopWritesPct: 100, postWriteQueue: 2, logger: pino({ level: 'silent' }),
  });
  s.blocks.rebuildFreeLists();
  s.start();
  append(s, 100, 1);
  const deadline = Date.now() + 5000;
  while (datasyncs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(datasyncs >= 1, 'a write in buffered mode reaches an fdatasync within a few flush-max-ms');
  assert.equal(s.stats.syncs, datasyncs);
  const synced = datasyncs;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(datasyncs, synced, 'no write since the last sync: no further fdatasync');
  await s.close();
});
