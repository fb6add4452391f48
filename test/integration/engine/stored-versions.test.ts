// engine.readStoredVersions, the shipper's read path: for each digest, the
// current version as stored (metadata and body bytes) lent to a reader; with
// the wire transcoder as reader, exactly encodeRecord(readVersion(...)), from
// the stored body where it can be and through the decoded version otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Unpackr } from 'msgpackr';
import { computeDigest, isEngineError, type StoredVersionView } from '../../../engine/index.js';
import { type Digest } from '../../../record/index.js';
import { openEngine } from './helpers.js';
import { encodeRecord, transcodeStoredVersion } from '../../../replication-protocol/index.js';

const key = (k: string | number, set = 'profiles') => ({ ns: 'test', set, key: k });

test('readStoredVersions through the transcoder returns encodeRecord of the current version per digest, null for absent ones, in order', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('user:1'), { name: 'Alice', visits: 3, ratio: 0.25, big: 2 ** 40 });
  await engine.put(key(42, 'numbers'), { n: -5, flags: [1, 'a', { deep: true }] });
  await engine.put(key('user:2'), { payload: 'x'.repeat(300), attrs: { lang: 'ja' } });
  await engine.operate(key('counter'), [{ op: 'incr', bin: 'hits', value: 5 }]);
  await engine.put(key('gone'), { a: 1 });
  await engine.remove(key('gone'));
  await engine.put(key('user:1'), { visits: 4 });

  const digests: Digest[] = [
    computeDigest('profiles', 'user:1'),
    computeDigest('profiles', 'nobody'),
    computeDigest('numbers', 42),
    computeDigest('profiles', 'user:2'),
    computeDigest('profiles', 'counter'),
    computeDigest('profiles', 'gone'),
  ];
  const read = await engine.readStoredVersions('test', digests, transcodeStoredVersion);
  assert.equal(read.length, digests.length);
  for (let i = 0; i < digests.length; i++) {
    const version = await engine.readVersion('test', digests[i]!);
    const entry = read[i]!;
    if (version === null) {
      assert.equal(entry, null, `entry ${i} is null like readVersion`);
      continue;
    }
    assert.ok(entry !== null && !(entry instanceof Error), `entry ${i} is a version`);
    assert.deepEqual(entry.wire, encodeRecord(version), `entry ${i}: the bytes encodeRecord writes`);
    const { bins: _bins, binLuts: _luts, counters: _counters, ...head } = version;
    assert.deepEqual({ ...entry.head, digest: new Uint8Array(entry.head.digest) }, { ...head, digest: new Uint8Array(head.digest) });
  }
  assert.equal(read[1], null);
  assert.equal((read[5] as { head: { deleted: boolean } }).head.deleted, true, 'a durable delete reads as its tombstone');
});

test('readStoredVersions lends the head, the body as stored and a decoder of the whole version', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('user:1'), { name: 'Alice', visits: 3 });
  await engine.operate(key('counter'), [{ op: 'incr', bin: 'hits', value: 5 }]);
  const digests = [computeDigest('profiles', 'user:1'), computeDigest('profiles', 'counter')];
  const unpack = new Unpackr({ mapsAsObjects: true, useRecords: false });
  const lent = await engine.readStoredVersions('test', digests, (stored: StoredVersionView) => ({
    head: stored.head,
    body: unpack.unpack(stored.bytes.subarray(stored.bodyStart, stored.bodyEnd)) as unknown[],
    viewOverBytes: stored.view.buffer === stored.bytes.buffer && stored.view.byteOffset === stored.bytes.byteOffset && stored.view.byteLength === stored.bytes.byteLength,
    decoded: stored.decode(),
  }));
  for (let i = 0; i < digests.length; i++) {
    const version = (await engine.readVersion('test', digests[i]!))!;
    const entry = lent[i]!;
    assert.deepEqual(entry.decoded, version, `entry ${i}: decode() is readVersion's version`);
    assert.ok(entry.viewOverBytes, `entry ${i}: the DataView covers the lent bytes`);
    assert.deepEqual(entry.body[0], version.bins, `entry ${i}: the body starts with the bins`);
    assert.deepEqual(entry.body[1], version.binLuts, `entry ${i}: then the per-bin luts`);
    const { bins: _bins, binLuts: _luts, counters: _counters, ...head } = version;
    assert.deepEqual({ ...entry.head, digest: new Uint8Array(entry.head.digest) }, { ...head, digest: new Uint8Array(head.digest) });
  }
  assert.deepEqual(lent[1]!.body[2], lent[1]!.decoded.counters, 'a counter record stores its counter states third');
});

test('readStoredVersions refuses a digest that is not 20 bytes and an unknown namespace, by code, and ends on what the reader throws', async (t) => {
  const { engine } = await openEngine(t);
  await engine.put(key('user:1'), { a: 1 });
  await assert.rejects(engine.readStoredVersions('test', [new Uint8Array(19)], transcodeStoredVersion), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(engine.readStoredVersions('nope', [computeDigest('s', 1)], transcodeStoredVersion), (err: unknown) => isEngineError(err, 'ENGINE_ERR_NAMESPACE_NOT_FOUND'));
  assert.deepEqual(await engine.readStoredVersions('test', [], transcodeStoredVersion), []);
  await assert.rejects(engine.readStoredVersions('test', [computeDigest('profiles', 'user:1')], () => {
    throw new RangeError('reader failed');
  }), RangeError);
});
