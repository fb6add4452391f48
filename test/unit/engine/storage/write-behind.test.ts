// Sealed write blocks are written by a worker thread (engine/device/write-behind.ts);
// every barrier (flushAll, block reuse, defrag reads, close) must still see them
// on the device, and a write the worker could not do must fail at the barrier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { BlockBuffers } from '../../../../engine/storage/block-buffers.js';
import { FileDevice, type DeviceIo } from '../../../../engine/storage/device-io.js';
import { Storage } from '../../../../engine/storage/storage.js';
import { WriteBehind } from '../../../../engine/storage/write-behind.js';
import { EngineError, isEngineError } from '../../../../engine/errors.js';

const BLOCK = 4096;

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-write-behind-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'data-0.dat');
}

function storage(device: DeviceIo, postWriteQueue: number): Storage {
  const s = new Storage({
    ns: 't', devices: [device], writeBlockBytes: BLOCK, commitToDevice: false,
    flushMaxMs: 60_000, stopWritesPct: 100, postWriteQueue, logger: pino({ level: 'silent' }),
  });
  s.blocks.rebuildFreeLists();
  return s;
}

/** Appends a record of `bytes` bytes all equal to `fill`; returns its device offset. */
function append(s: Storage, bytes: number, fill: number): number {
  const at = s.reserve(0, bytes, true);
  s.writeBuffer(0).buf.fill(fill, at, at + bytes);
  return s.appended(0, bytes);
}

test('sealed blocks reach the file by flushAll(); reads and defrag reads see them before and after', (t) => {
  const file = tempFile(t);
  const s = storage(FileDevice.open(file, 32 * BLOCK), 2);
  t.after(() => s.close());
  // 12 records of a quarter block: blocks 0, 1 and 2 sealed, block 3 open.
  const offsets = Array.from({ length: 13 }, (_, i) => append(s, BLOCK / 4, i + 1));
  for (let i = 0; i < offsets.length; i++) assert.ok(s.reads.read(0, offsets[i]!, BLOCK / 4).every((b) => b === i + 1), `record ${i} before the barrier`);
  s.flushAll();
  const bytes = fs.readFileSync(file);
  for (let i = 0; i < offsets.length; i++) {
    assert.ok(bytes.subarray(offsets[i]!, offsets[i]! + BLOCK / 4).every((b) => b === i + 1), `record ${i} in the file`);
  }
  // Block 0 left the post-write queue (2 blocks): it is read from the file, block 2 from RAM.
  const target = Buffer.alloc(BLOCK);
  for (const block of [0, 2]) {
    s.readBlock(block, target);
    assert.ok(target.equals(bytes.subarray(block * BLOCK, (block + 1) * BLOCK)), `block ${block}`);
  }
});

test('with no post-write queue a sealed block is written before its buffer is reused', (t) => {
  const file = tempFile(t);
  const s = storage(FileDevice.open(file, 64 * BLOCK), 0);
  t.after(() => s.close());
  const offsets = Array.from({ length: 40 }, (_, i) => append(s, BLOCK / 2, i + 1));
  s.flushAll();
  const bytes = fs.readFileSync(file);
  for (let i = 0; i < offsets.length; i++) {
    assert.ok(bytes.subarray(offsets[i]!, offsets[i]! + BLOCK / 2).every((b) => b === i + 1), `record ${i} in the file`);
    assert.ok(s.reads.read(0, offsets[i]!, BLOCK / 2).every((b) => b === i + 1), `record ${i} read back`);
  }
});

test('a write the worker cannot do is redone at the barrier, whose caller gets the device error until it succeeds', (t) => {
  const file = tempFile(t);
  fs.writeFileSync(file, Buffer.alloc(32 * BLOCK));
  // The worker writes through a read-only descriptor (EBADF); the device's own write fails until `healthy`.
  const readOnly = fs.openSync(file, 'r');
  t.after(() => fs.closeSync(readOnly));
  let healthy = false;
  const inner = FileDevice.open(file, 32 * BLOCK);
  const device: DeviceIo = {
    name: file, sizeBytes: inner.sizeBytes, fresh: false, fd: readOnly, ioAlign: 1,
    read: (...a) => inner.read(...a),
    write: (...a) => {
      if (!healthy) throw new EngineError('ENGINE_ERR_STOP_WRITES', 'file system full (test)', { file });
      inner.write(...a);
    },
    datasync: () => inner.datasync(),
    datasyncSync: () => inner.datasyncSync(),
    discard: () => {},
    allocatedBytes: () => inner.allocatedBytes(),
    close: () => inner.close(),
  };
  const s = storage(device, 4);
  const offsets = Array.from({ length: 5 }, (_, i) => append(s, BLOCK / 4, i + 1)); // seals block 0
  assert.throws(() => s.flushAll(), (e) => isEngineError(e, 'ENGINE_ERR_STOP_WRITES'));
  healthy = true;
  s.flushAll();
  const bytes = fs.readFileSync(file);
  for (let i = 0; i < 4; i++) assert.ok(bytes.subarray(offsets[i]!, offsets[i]! + BLOCK / 4).every((b) => b === i + 1), `record ${i} in the file`);
  return s.close();
});

test('block buffers come zeroed, shared with the workers, and are recycled zeroed', () => {
  const buffers = new BlockBuffers(BLOCK);
  const taken = Array.from({ length: 10 }, () => buffers.take());
  for (const b of taken) {
    assert.equal(b.length, BLOCK);
    assert.ok(b.buffer instanceof SharedArrayBuffer);
    assert.ok(b.every((x) => x === 0));
  }
  // Distinct memory: writing one leaves the others zero.
  taken[3]!.fill(9);
  assert.ok(taken[4]!.every((x) => x === 0) && taken[2]!.every((x) => x === 0));
  buffers.give(taken[3]!);
  const again = buffers.take();
  assert.equal(again.buffer, taken[3]!.buffer);
  assert.equal(again.byteOffset, taken[3]!.byteOffset);
  assert.ok(again.every((x) => x === 0));
});

test('group commit waits for the writer worker and then finds every sealed block on the file', async (t) => {
  const file = tempFile(t);
  const s = new Storage({
    ns: 't', devices: [FileDevice.open(file, 64 * BLOCK)], writeBlockBytes: BLOCK, commitToDevice: true,
    flushMaxMs: 60_000, stopWritesPct: 100, postWriteQueue: 4, logger: pino({ level: 'silent' }),
  });
  s.blocks.rebuildFreeLists();
  t.after(() => s.close());
  // Several rounds: each seals blocks (handed to the worker) and commits while their writes may be in flight.
  // A pending Atomics.waitAsync alone does not hold the event loop; the commit must resolve anyway.
  const offsets: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 9; i++) offsets.push(append(s, BLOCK / 2, (offsets.length % 250) + 1));
    await s.commit();
  }
  const bytes = fs.readFileSync(file);
  offsets.forEach((o, i) => assert.ok(bytes.subarray(o, o + BLOCK / 2).every((b) => b === (i % 250) + 1), `record ${i} in the file`));
});

test('an aged flush writes the blocks whose oldest record is old enough and leaves younger ones to the worker; a full flush writes all', (t) => {
  const file = tempFile(t);
  const device = FileDevice.open(file, 8 * BLOCK);
  const buffers = BlockBuffers.shared(BLOCK);
  const old = buffers.take().fill(1);
  const young = buffers.take().fill(2);
  t.after(() => {
    buffers.give(old);
    buffers.give(young);
    device.close();
  });
  const wb = new WriteBehind();
  wb.write(0, device, old, 0, BLOCK, 0, 100);
  wb.write(1, device, young, 0, BLOCK, BLOCK, 300);
  wb.flush(200);
  // The old block is on the file whoever wrote it; the young one only if the worker already did.
  assert.ok(fs.readFileSync(file).subarray(0, BLOCK).every((b) => b === 1), 'old block in the file');
  assert.ok(wb.writtenHere <= 1, 'this thread wrote at most the old block');
  wb.flush();
  assert.equal(wb.idle, true);
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.subarray(BLOCK, 2 * BLOCK).every((b) => b === 2), 'young block in the file after the full flush');
  wb.settle();
});

test('buffered mode: every record stored is in the file within flush-max-ms, sealed or open, worker or not', async (t) => {
  const file = tempFile(t);
  const flushMaxMs = 100;
  const s = new Storage({
    ns: 't', devices: [FileDevice.open(file, 64 * BLOCK)], writeBlockBytes: BLOCK, commitToDevice: false,
    flushMaxMs, stopWritesPct: 100, postWriteQueue: 4, logger: pino({ level: 'silent' }),
  });
  s.blocks.rebuildFreeLists();
  s.start();
  t.after(() => s.close());
  // Three rounds, each storing sealed blocks and part of an open one, then waiting out the bound.
  const offsets: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 11; i++) offsets.push(append(s, BLOCK / 4, (offsets.length % 250) + 1));
    // Slack for timers firing late on a loaded machine, as the crash test allows.
    await new Promise((r) => setTimeout(r, flushMaxMs + 200));
    const bytes = fs.readFileSync(file);
    offsets.forEach((o, i) => assert.ok(bytes.subarray(o, o + BLOCK / 4).every((b) => b === (i % 250) + 1), `round ${round}: record ${i} in the file`));
  }
});
