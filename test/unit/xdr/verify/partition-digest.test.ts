// Partition digests (engine/partition-digest.ts): equal data hashes equal
// whatever the order it arrived in; any difference in data or replicated
// metadata shows in exactly the partition that holds the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, computeDigest, partitionDigests, partitionId, partitionRecords, recordHash } from '../../../../engine/index.js';
import { tmpDir } from '../../../helpers/tmp.js';
import { defer, type CleanupScope } from '../../../helpers/cleanup.js';

async function open(t: CleanupScope, regionId: number): Promise<Engine> {
  const engine = await Engine.open({ dataDir: await tmpDir(t, 'xdrgate-pd-'), regionId, namespaces: [{ name: 'n', filesize: 16 * 1024 * 1024 }] });
  defer(t, () => engine.close());
  return engine;
}

/** Copies every version of a into b (in reverse order, to show order does not matter). */
async function copyAll(a: Engine, b: Engine): Promise<void> {
  const all = [];
  for await (const v of a.scanVersionsSince('n', 0)) all.push(v);
  for (const v of all.reverse()) await b.applyVersion(v);
}

test('identical versions give identical partition hashes; one changed bin shows in its partition only', async (t) => {
  const [a, b] = [await open(t, 1), await open(t, 2)];
  for (let i = 0; i < 300; i++) await a.put({ ns: 'n', set: 's', key: `k${i}` }, { i, name: `v${i}`, m: { z: 1, a: [1, 2n ** 62n, new Uint8Array([1, 2])] } });
  await a.remove({ ns: 'n', set: 's', key: 'k7' });
  await copyAll(a, b);
  const [da, db] = [await partitionDigests(a, 'n'), await partitionDigests(b, 'n')];
  assert.equal(da.length, 4096);
  assert.deepEqual(da, db);
  assert.equal(da.reduce((n, p) => n + p.records, 0), 300);

  // The same record with its map keys in another order hashes the same.
  const v = (await a.readVersion('n', computeDigest('s', 'k1')))!;
  const reordered = { ...v, bins: { m: { a: v.bins.m && (v.bins.m as Record<string, never>).a, z: 1 }, name: v.bins.name!, i: v.bins.i! } };
  assert.deepEqual(recordHash(reordered), recordHash(v));

  await b.applyVersion({ ...v, bins: { ...v.bins, name: 'changed' } });
  const after = await partitionDigests(b, 'n');
  const differing = after.filter((p, i) => p.hash !== da[i]!.hash).map((p) => p.pid);
  assert.deepEqual(differing, [partitionId(v.digest)]);
  const [ra, rb] = [await partitionRecords(a, 'n', differing[0]!), await partitionRecords(b, 'n', differing[0]!)];
  const changed = rb.records.filter((r, i) => r.hash !== ra.records[i]!.hash);
  assert.equal(changed.length, 1);
  assert.equal(changed[0]!.key, 'k1');
  assert.equal(changed[0]!.keyType, 'string');
});

test('metadata counts: generation, lut and region differences change the hash; liveOnly drops tombstones', async (t) => {
  const a = await open(t, 1);
  await a.put({ ns: 'n', set: 's', key: 1 }, { x: 1 });
  const v = (await a.readVersion('n', computeDigest('s', 1)))!;
  for (const changed of [{ generation: v.generation + 1 }, { lut: v.lut + 1 }, { region: 9 }, { voidTime: 12345 }, { deleted: true, bins: {} }]) {
    assert.notDeepEqual(recordHash({ ...v, ...changed }), recordHash(v), JSON.stringify(changed));
  }
  await a.remove({ ns: 'n', set: 's', key: 1 });
  const pid = partitionId(v.digest);
  assert.equal((await partitionDigests(a, 'n', pid, pid))[0]!.records, 1);
  assert.equal((await partitionDigests(a, 'n', pid, pid, { liveOnly: true }))[0]!.records, 0);
  const listed = await partitionRecords(a, 'n', pid);
  assert.equal(listed.records[0]!.deleted, true);
  assert.equal(listed.records[0]!.keyType, 'integer');
});

test('bad ranges and unknown namespaces are typed errors', async (t) => {
  const a = await open(t, 1);
  await assert.rejects(partitionDigests(a, 'n', 5, 4), { code: 'ENGINE_ERR_INVALID_ARGUMENT' });
  await assert.rejects(partitionDigests(a, 'n', 0, 4096), { code: 'ENGINE_ERR_INVALID_ARGUMENT' });
  await assert.rejects(partitionRecords(a, 'nope', 0), { code: 'ENGINE_ERR_NAMESPACE_NOT_FOUND' });
});

test('dormant counters are part of a record hash when it has some; a record without them hashes as before they existed', () => {
  const v = {
    ns: 'n', set: 's', digest: computeDigest('s', 'k'), generation: 2, voidTime: 0, lut: 5 * 1024, region: 1, deleted: true,
    bins: {}, binLuts: {},
  };
  const state = (p: number) => ({ base: 0, baseLut: 1024, p: { '1': p }, n: {} });
  // Pinned (computed by the build before dormant counters): records stored before must keep their hash.
  assert.equal(recordHash(v).toString('hex'), recordHash({ ...v, dormantCounters: {} }).toString('hex'));
  assert.equal(recordHash(v).toString('hex'), '7226b5541ae3a5da2adf007b6fa62058');
  const one = recordHash({ ...v, dormantCounters: { c: state(1) } });
  assert.notEqual(one.toString('hex'), recordHash(v).toString('hex'));
  assert.notEqual(one.toString('hex'), recordHash({ ...v, dormantCounters: { c: state(2) } }).toString('hex'));
});
