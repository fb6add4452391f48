import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  FLAG_HAS_KEY,
  FLAG_TOMBSTONE,
  OFFSET_BYTES_MAX,
  PARTITION_COUNT,
  PrimaryIndex,
} from '../../../../engine/primary-index/index.js';
import type { IndexEntry } from '../../../../engine/primary-index/index.js';

/** A digest whose hash word (bytes 4..7) and tag word (bytes 8..11) are fixed, so all such digests collide. */
function collidingDigest(n: number, hashWord = 0x1234_5678, tagWord = 0x9abc_def0): Uint8Array {
  const d = randomBytes(20);
  d.writeUInt32LE(hashWord, 4);
  d.writeUInt32LE(tagWord, 8);
  d.writeUInt32LE(n, 12);
  return d;
}

test('insert, find, remove and reuse of slots', () => {
  const index = new PrimaryIndex({ chunkBits: 4 });
  const digests = Array.from({ length: 100 }, () => randomBytes(20));
  const slots = digests.map((d) => index.insert(d));
  assert.deepEqual(slots, Array.from({ length: 100 }, (_, i) => i));
  assert.equal(index.count, 100);
  digests.forEach((d, i) => assert.equal(index.find(d), i));
  assert.equal(index.find(randomBytes(20)), -1);

  index.remove(slots[10]!);
  index.remove(slots[20]!);
  assert.equal(index.count, 98);
  assert.equal(index.find(digests[10]!), -1);
  assert.equal(index.isLive(10), false);
  // Last freed, first reused; a reused slot comes back with every field zeroed.
  const again = randomBytes(20);
  assert.equal(index.insert(again), 20);
  assert.equal(index.generation(20), 0);
  assert.equal(index.insert(randomBytes(20)), 10);
  assert.equal(index.insert(randomBytes(20)), 100);
  assert.equal(index.slotHighWater, 101);
  assert.equal(index.checkStructure(), null);
});

test('every field round-trips through setters, read() and write()', () => {
  const index = new PrimaryIndex();
  const slot = index.insert(randomBytes(20));
  index.setGeneration(slot, 0xffff_fffe);
  index.setVoidTime(slot, 1_900_000_000);
  index.setLut(slot, 1_764_000_000_000 * 1024 + 1023);
  index.setRegion(slot, 255);
  index.setSetId(slot, index.sets.idOf('users'));
  index.setFlags(slot, FLAG_TOMBSTONE | FLAG_HAS_KEY);
  index.setLocation(slot, 3, OFFSET_BYTES_MAX, 0xffff_ffff);
  const out: IndexEntry = { generation: 0, voidTime: 0, lut: 0, region: 0, setId: 0, flags: 0, device: 0, offset: 0, size: 0 };
  assert.deepEqual(index.read(slot, out), {
    generation: 0xffff_fffe,
    voidTime: 1_900_000_000,
    lut: 1_764_000_000_000 * 1024 + 1023,
    region: 255,
    setId: 1,
    flags: FLAG_TOMBSTONE | FLAG_HAS_KEY,
    device: 3,
    offset: OFFSET_BYTES_MAX,
    size: 0xffff_ffff,
  });
  assert.equal(index.isTombstone(slot), true);
  assert.equal(index.tombstoneCount, 1);
  const other = index.insert(randomBytes(20));
  index.write(other, { ...out, flags: 0, offset: 4096 });
  assert.equal(index.offset(other), 4096);
  assert.equal(index.tombstoneCount, 1);
  index.remove(slot);
  assert.equal(index.tombstoneCount, 0);
});

test('misuse is an assertion, not silent damage', () => {
  const index = new PrimaryIndex({ recordsMax: 2 });
  const d = randomBytes(20);
  const slot = index.insert(d);
  assert.throws(() => index.insert(d), /already in the index/);
  assert.throws(() => index.setLocation(slot, 0, 17, 1), /multiple of 16/);
  assert.throws(() => index.setLocation(slot, 256, 16, 1), /device/);
  index.insert(randomBytes(20));
  assert.throws(() => index.insert(randomBytes(20)), /index is full/);
  index.remove(slot);
  assert.throws(() => index.remove(slot), /not live/);
  assert.throws(() => index.setFlags(slot, 0), /free slot/);
  assert.throws(() => new PrimaryIndex({ chunkBits: 30 }), /chunkBits/);
});

test('upsert reports whether it created the entry', () => {
  const index = new PrimaryIndex();
  const d = randomBytes(20);
  const slot = index.upsert(d);
  assert.equal(index.lastUpsertCreated, true);
  index.setGeneration(slot, 1);
  assert.equal(index.upsert(d), slot);
  assert.equal(index.lastUpsertCreated, false);
  assert.equal(index.count, 1);
});

test('digests are read at an offset and copied out exactly', () => {
  const index = new PrimaryIndex();
  const buffer = randomBytes(64);
  const slot = index.insert(buffer, 7);
  assert.equal(index.find(buffer.subarray(7, 27)), slot);
  assert.deepEqual(index.digestAt(slot), new Uint8Array(buffer.subarray(7, 27)));
  const target = new Uint8Array(30);
  index.digestAt(slot, target, 5);
  assert.deepEqual(target.subarray(5, 25), new Uint8Array(buffer.subarray(7, 27)));
  assert.equal(index.digestEquals(slot, buffer, 7), true);
  // Partition id: first two bytes little-endian, 12 bits.
  assert.equal(index.partitionOf(slot), (buffer[7]! | (buffer[8]! << 8)) & 0x0fff);
});

test('the table grows and keeps every entry findable', () => {
  const index = new PrimaryIndex({ chunkBits: 6, initialBuckets: 16 });
  const digests = Array.from({ length: 5000 }, () => randomBytes(20));
  for (const d of digests) index.insert(d);
  assert.equal(index.bucketCount, 8192);
  assert.ok(index.count <= index.bucketCount * 0.75);
  digests.forEach((d, i) => assert.equal(index.find(d), i));
  assert.equal(index.checkStructure(), null);
});

test('colliding digests (same bucket word, same tag) are told apart and deleted correctly', () => {
  const index = new PrimaryIndex({ initialBuckets: 64 });
  const same = Array.from({ length: 40 }, (_, n) => collidingDigest(n));
  const sameBucketOtherTag = Array.from({ length: 5 }, (_, n) => collidingDigest(n, 0x1234_5678, n << 27));
  const all = [...same, ...sameBucketOtherTag, ...Array.from({ length: 5 }, () => randomBytes(20))];
  for (const d of all) index.insert(d);
  all.forEach((d, i) => assert.equal(index.find(d), i));
  // Remove from the middle and the start of the cluster: backward shift must keep the rest reachable.
  for (const i of [20, 0, 39, 41, 5]) index.remove(i);
  all.forEach((d, i) => assert.equal(index.find(d), [20, 0, 39, 41, 5].includes(i) ? -1 : i));
  assert.equal(index.checkStructure(), null);
  assert.equal(index.find(collidingDigest(999)), -1);
});

test('iteration by slot and by partition, with per-partition counts', () => {
  const index = new PrimaryIndex({ chunkBits: 4 });
  const digests = Array.from({ length: 300 }, (_, i) => {
    const d = randomBytes(20);
    d.writeUInt16LE(i % 3, 0); // partitions 0, 1, 2
    return d;
  });
  for (const d of digests) index.insert(d);
  index.remove(4);
  assert.equal(index.partitionCount(1), 99);
  assert.equal(index.partitionCount(0), 100);

  const seen: number[] = [];
  index.forEach((slot) => {
    seen.push(slot);
    if (slot % 2 === 0) index.remove(slot); // removing the visited slot is allowed
  });
  assert.equal(seen.length, 299);
  assert.equal(index.count, 150);

  const wanted = new Uint8Array(PARTITION_COUNT);
  wanted[2] = 1;
  const inTwo: number[] = [];
  index.forEachInPartitions(wanted, (slot) => inTwo.push(slot));
  assert.ok(inTwo.length > 0 && inTwo.every((s) => s % 3 === 2 && s % 2 === 1));
  assert.equal(inTwo.length, index.partitionCount(2));

  const snap = index.partitionSnapshot();
  assert.equal(snap.slots.length, index.count);
  for (let p = 0; p < 3; p++) {
    const slots = [...snap.slots.subarray(snap.starts[p], snap.starts[p + 1])];
    assert.equal(slots.length, index.partitionCount(p));
    assert.ok(slots.every((s) => index.partitionOf(s) === p));
  }
  assert.equal(snap.starts[PARTITION_COUNT], index.count);
});

test('bytesAllocated counts chunks and buckets', () => {
  const index = new PrimaryIndex({ chunkBits: 10, initialBuckets: 16 });
  const empty = index.bytesAllocated();
  for (let i = 0; i < 1500; i++) index.insert(randomBytes(20));
  // Two chunks of 1024 × 49 B and 2048 buckets × 4 B.
  assert.ok(index.bytesAllocated() - empty >= 2 * 1024 * 49 + (2048 - 16) * 4);
  assert.ok(index.bytesAllocated() / index.count < 100);
});
