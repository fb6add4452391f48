import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { FLAG_HAS_KEY, FLAG_TOMBSTONE, PrimaryIndex } from '../../../../engine/primary-index/index.js';

/**
 * Guards the saved-index format (version 1): a file written by an earlier build
 * must still load, and today's writer must produce the same bytes. If this
 * fails because the format changed on purpose, bump VERSION in index-file.ts,
 * keep reading version 1 (or make the engine cold-start on it), and add a new
 * fixture next to this one with UPDATE_INDEX_FIXTURE=1.
 */
const FIXTURE = new URL('./fixtures/index-v1.bin', import.meta.url);

function digestOf(i: number): Buffer {
  return createHash('sha256').update(`record-${i}`).digest().subarray(0, 20);
}

/** The deterministic index the fixture holds. */
function fixtureIndex(): PrimaryIndex {
  const index = new PrimaryIndex({ chunkBits: 4, initialBuckets: 16, seed: 0x1234_5678, recordsMax: 1000 });
  for (let i = 0; i < 40; i++) {
    const slot = index.insert(digestOf(i));
    index.setGeneration(slot, i + 1);
    index.setVoidTime(slot, i % 3 === 0 ? 0 : 1_800_000_000 + i);
    index.setLut(slot, (1_764_000_000_000 + i) * 1024 + i);
    index.setRegion(slot, 1 + (i % 3));
    index.setSetId(slot, index.sets.idOf(i % 2 === 0 ? 'users' : 'carts'));
    index.setFlags(slot, (i % 5 === 0 ? FLAG_TOMBSTONE : 0) | FLAG_HAS_KEY);
    index.setLocation(slot, i % 2, i * 4096, 200 + i);
  }
  for (const i of [3, 17, 29]) index.remove(index.find(digestOf(i)));
  return index;
}

test('the version-1 fixture loads with every field, and the writer reproduces it byte for byte', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `xdrgate-index-fixture-${randomBytes(4).toString('hex')}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'fresh.index');
  await fixtureIndex().save(path, 777);
  if (process.env['UPDATE_INDEX_FIXTURE'] === '1') await writeFile(FIXTURE, await readFile(path));

  assert.deepEqual(await readFile(path), await readFile(FIXTURE), 'the saved-index format changed: see the comment above');
  const { index, stamp } = await PrimaryIndex.load(fileURLToPath(FIXTURE));
  assert.equal(stamp, 777);
  assert.equal(index.count, 37);
  assert.equal(index.tombstoneCount, 8);
  for (let i = 0; i < 40; i++) {
    const slot = index.find(digestOf(i));
    if ([3, 17, 29].includes(i)) {
      assert.equal(slot, -1);
      continue;
    }
    assert.equal(index.generation(slot), i + 1);
    assert.equal(index.voidTime(slot), i % 3 === 0 ? 0 : 1_800_000_000 + i);
    assert.equal(index.lut(slot), (1_764_000_000_000 + i) * 1024 + i);
    assert.equal(index.region(slot), 1 + (i % 3));
    assert.equal(index.sets.nameOf(index.setId(slot)), i % 2 === 0 ? 'users' : 'carts');
    assert.equal(index.flags(slot), (i % 5 === 0 ? FLAG_TOMBSTONE : 0) | FLAG_HAS_KEY);
    assert.equal(index.device(slot), i % 2);
    assert.equal(index.offset(slot), i * 4096);
    assert.equal(index.size(slot), 200 + i);
  }
  // Freed slots are reused last-freed first, as before the save.
  assert.equal(index.insert(randomBytes(20)), 29);
  assert.equal(index.checkStructure(), null);
});
