// Read-ahead for device reads in write order: a walk through a block costs one
// read per READ_AHEAD_BYTES, random reads read only their bytes, and a block
// that is reused is never served from bytes read before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryDevice } from '../../../../engine/storage/device-io.js';
import { READ_AHEAD_BYTES, ReadAhead } from '../../../../engine/storage/read-ahead.js';

const BLOCK = 2 * READ_AHEAD_BYTES;

function device(): { dev: MemoryDevice; reads: number[] } {
  const dev = new MemoryDevice('memory:ra/0', 4 * BLOCK, BLOCK);
  const bytes = Buffer.alloc(4 * BLOCK);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 12)) & 0xff;
  dev.write(bytes, 0, bytes.length, 0);
  const reads: number[] = [];
  const read = dev.read.bind(dev);
  dev.read = (target, targetPos, length, position) => {
    reads.push(length);
    read(target, targetPos, length, position);
  };
  return { dev, reads };
}

/** What the storage does on a miss of the post-write queue. */
function readThrough(ra: ReadAhead, dev: MemoryDevice, offset: number, size: number): Buffer {
  const block = Math.floor(offset / BLOCK);
  let at = ra.cachedAt(block, offset, size);
  if (at < 0) at = ra.missAt(dev, 0, block, (block + 1) * BLOCK, offset, size);
  if (at >= 0) return Buffer.from(ra.buffer.subarray(at, at + size));
  const own = Buffer.alloc(size);
  dev.read(own, 0, size, offset);
  return own;
}

function expected(dev: MemoryDevice, offset: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  MemoryDevice.prototype.read.call(dev, b, 0, size, offset);
  return b;
}

test('records read in write order come from one read per READ_AHEAD_BYTES, byte for byte', () => {
  const { dev, reads } = device();
  const ra = new ReadAhead();
  let offset = BLOCK; // the second block
  let n = 0;
  while (offset + 480 <= 2 * BLOCK) {
    assert.deepEqual(readThrough(ra, dev, offset, 480), expected(dev, offset, 480));
    offset += 480 + (n++ % 5 === 0 ? 96 : 0); // small gaps: records overwritten since
  }
  // The first read is a plain one (nothing to follow yet); then one fill per READ_AHEAD_BYTES.
  assert.ok(reads.length <= 1 + Math.ceil(BLOCK / READ_AHEAD_BYTES) + 1, `${reads.length} device reads for ${n} records`);
  assert.ok(ra.hits > n - 5);
});

test('random reads read only their own bytes; a reused block is not served from stale bytes', () => {
  const { dev, reads } = device();
  const ra = new ReadAhead();
  for (const offset of [3 * BLOCK + 4096, 1000, 2 * BLOCK + 777, BLOCK + 50_000]) {
    assert.deepEqual(readThrough(ra, dev, offset, 300), expected(dev, offset, 300));
  }
  assert.deepEqual(reads, [300, 300, 300, 300]);

  readThrough(ra, dev, 0, 100);
  readThrough(ra, dev, 100, 100); // sequential: fills from 100 onwards
  assert.equal(ra.fills, 1);
  // Block 0 is released and rewritten.
  ra.forgetBlock(0);
  dev.write(Buffer.alloc(1000, 0xee), 0, 1000, 0);
  assert.deepEqual(readThrough(ra, dev, 200, 100), Buffer.alloc(100, 0xee));
});
