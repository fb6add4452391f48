import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, truncate, writeFile, appendFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { FLAG_TOMBSTONE, PrimaryIndex } from '../../../../engine/primary-index/index.js';
import { isEngineError } from '../../../../engine/errors.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `xdrgate-index-${randomBytes(4).toString('hex')}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An index with removals (a free list), tombstones, several sets and every field set. */
function sampleIndex(records: number): { index: PrimaryIndex; digests: Uint8Array[] } {
  const index = new PrimaryIndex({ chunkBits: 5, initialBuckets: 16 });
  const digests = Array.from({ length: records }, () => randomBytes(20));
  digests.forEach((d, i) => {
    const slot = index.insert(d);
    index.setGeneration(slot, i + 1);
    index.setVoidTime(slot, i % 2 === 0 ? 0 : 1_800_000_000 + i);
    index.setLut(slot, (1_764_000_000_000 + i) * 1024 + (i % 1024));
    index.setRegion(slot, 1 + (i % 5));
    index.setSetId(slot, index.sets.idOf(`set-${i % 7}`));
    index.setFlags(slot, i % 11 === 0 ? FLAG_TOMBSTONE : 0);
    index.setLocation(slot, i % 4, i * 1024, 100 + i);
  });
  for (let i = 0; i < records; i += 13) index.remove(i);
  return { index, digests };
}

function assertSame(a: PrimaryIndex, b: PrimaryIndex, digests: Uint8Array[]): void {
  assert.equal(b.count, a.count);
  assert.equal(b.tombstoneCount, a.tombstoneCount);
  assert.equal(b.slotHighWater, a.slotHighWater);
  assert.equal(b.sets.size, a.sets.size);
  const entry = () => ({ generation: 0, voidTime: 0, lut: 0, region: 0, setId: 0, flags: 0, device: 0, offset: 0, size: 0 });
  for (const d of digests) {
    const slot = a.find(d);
    assert.equal(b.find(d), slot);
    if (slot >= 0) {
      assert.deepEqual(b.read(slot, entry()), a.read(slot, entry()));
      assert.equal(b.sets.nameOf(b.setId(slot)), a.sets.nameOf(a.setId(slot)));
    }
  }
}

test('save and load round-trip every field, the free list and the set table', async (t) => {
  const dir = await tempDir(t);
  const { index, digests } = sampleIndex(3000);
  const path = join(dir, 'ns.index');
  await index.save(path, 12345);
  const { index: loaded, stamp } = await PrimaryIndex.load(path);
  assert.equal(stamp, 12345);
  assertSame(index, loaded, digests);
  assert.equal(loaded.checkStructure(), null);
  // The loaded index keeps working: reuse of the saved free list, growth, removal.
  const fresh = Array.from({ length: 3000 }, () => randomBytes(20));
  for (const d of fresh) loaded.insert(d);
  for (const d of fresh) assert.notEqual(loaded.find(d), -1);
  loaded.remove(loaded.find(digests[1]!));
  assert.equal(loaded.checkStructure(), null);
  assert.deepEqual(await readdir(dir), ['ns.index']); // no temp file left behind
});

test('an empty index round-trips', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'empty.index');
  await new PrimaryIndex().save(path);
  const { index, stamp } = await PrimaryIndex.load(path);
  assert.equal(index.count, 0);
  assert.equal(stamp, 0);
  index.insert(randomBytes(20));
  assert.equal(index.count, 1);
});

async function assertCorrupted(path: string, message: RegExp): Promise<void> {
  await assert.rejects(PrimaryIndex.load(path), (err: unknown) => {
    assert.ok(isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE'), `expected a corrupted-storage EngineError, got ${String(err)}`);
    assert.match(err.message, message);
    assert.equal(err.details['file'], path);
    return true;
  });
}

test('a flipped byte anywhere is detected', async (t) => {
  const dir = await tempDir(t);
  const { index } = sampleIndex(500);
  const path = join(dir, 'ns.index');
  await index.save(path);
  const good = await readFile(path);
  // Header, set table, partition counts, chunk data, buckets (the last bytes).
  const positions = [0, 9, 30, 60, 79, 80, 85, 80 + 200, good.length / 2, good.length - 1];
  for (const at of positions) {
    const bad = Buffer.from(good);
    bad[Math.floor(at)]! ^= 0x10;
    await writeFile(path, bad);
    await assertCorrupted(path, /unusable/);
  }
});

test('truncation, trailing bytes, a foreign file and a short file are detected', async (t) => {
  const dir = await tempDir(t);
  const { index } = sampleIndex(200);
  const path = join(dir, 'ns.index');
  await index.save(path);
  const size = (await stat(path)).size;
  await truncate(path, size - 1);
  await assertCorrupted(path, /truncated/);
  await index.save(path);
  await appendFile(path, Buffer.from([0]));
  await assertCorrupted(path, /trailing bytes/);
  await writeFile(path, Buffer.alloc(size, 0x41));
  await assertCorrupted(path, /bad magic/);
  await writeFile(path, Buffer.from('XDRG'));
  await assertCorrupted(path, /shorter than its/);
  await truncate(path, 0);
  await assertCorrupted(path, /shorter than its/);
});

test('a missing file rejects with ENOENT, not as corruption', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(PrimaryIndex.load(join(dir, 'absent.index')), { code: 'ENOENT' });
});

test('a file with valid checksums but an inconsistent structure is detected', async (t) => {
  const { crc32 } = await import('node:zlib');
  const dir = await tempDir(t);
  const { index } = sampleIndex(300);
  const path = join(dir, 'ns.index');
  await index.save(path);
  const bytes = await readFile(path);
  // Clear the last non-empty bucket, then re-sign body and header as a buggy writer would.
  let at = bytes.length - 4;
  while (bytes.readUInt32LE(at) === 0) at -= 4;
  bytes.writeUInt32LE(0, at);
  bytes.writeUInt32LE(crc32(bytes.subarray(80)), 64);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 76)), 76);
  await writeFile(path, bytes);
  await assertCorrupted(path, /inconsistent structure/);
});

test('scatter reads resume after short transfers and report a file that ends early', async () => {
  const { transferAll } = await import('../../../../engine/primary-index/index-file.js');
  const source = randomBytes(1000);
  const views = [new Uint8Array(10), new Uint8Array(0), new Uint8Array(333), new Uint8Array(600)];
  // A "file" that hands out at most 7 bytes per call, like a slow device.
  const shortReads = async (buffers: Uint8Array[], position: number): Promise<number> => {
    let moved = 0;
    for (const b of buffers) {
      const n = Math.min(b.length, 7 - moved, source.length - position - moved);
      b.set(source.subarray(position + moved, position + moved + n));
      moved += n;
      if (moved === 7 || n < b.length) break;
    }
    return moved;
  };
  assert.equal(await transferAll(shortReads, views, 50), true);
  assert.deepEqual(Buffer.concat(views), source.subarray(50, 993));
  assert.equal(await transferAll(shortReads, [new Uint8Array(100)], 950), false);
});
