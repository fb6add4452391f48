// Dormant counter states in a real engine: stored on the device and read back
// after a restart, sent by the shipper's read path, validated and clocked by
// applyVersion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, computeDigest, isEngineError } from '../../../engine/index.js';
import { ManualClock, type RecordVersion } from '../../../record/index.js';
import { decodeMessage, transcodeStoredVersion } from '../../../replication-protocol/index.js';
import { tmpDir } from '../../helpers/tmp.js';
import { defer, type CleanupScope } from '../../helpers/cleanup.js';

const key = { ns: 'n', set: 's', key: 'k' };
const digest = computeDigest('s', 'k');

async function open(t: CleanupScope, dataDir: string, clock = new ManualClock()): Promise<Engine> {
  const engine = await Engine.open({ dataDir, regionId: 1, clock, namespaces: [{ name: 'n', filesize: 16 * 1024 * 1024, nsupPeriod: 0 }] });
  defer(t, () => engine.close());
  return engine;
}

test('a counter overwritten by a string and a delete keep their states dormant, on the device and after a restart', async (t) => {
  const dir = await tmpDir(t, 'xdrgate-dormant-');
  const engine = await open(t, dir);
  await engine.operate(key, [{ op: 'incr', bin: 'c', value: 3 }]);
  await engine.put(key, { c: 'text', other: 1 });
  const v = (await engine.readVersion('n', digest))!;
  assert.equal(v.counters, undefined);
  assert.deepEqual(v.dormantCounters, { c: { base: 0, baseLut: 0, p: { '1': 3 }, n: {} } });
  assert.deepEqual((await engine.get(key))!.bins, { c: 'text', other: 1 });
  // The shipper's read path: not the stored-body fast path, and flagged for its rule.
  const [encoded] = await engine.readStoredVersions('n', [digest], transcodeStoredVersion);
  assert.ok(encoded !== null && !(encoded instanceof Error));
  assert.equal(encoded.holdsCounters, true);
  const shipped = decodeMessage(encoded.wire);
  assert.ok(shipped.kind === 'record');
  assert.deepEqual(shipped.version.dormantCounters, v.dormantCounters);
  await engine.remove(key);
  const tomb = (await engine.readVersion('n', digest))!;
  assert.deepEqual(tomb.dormantCounters, v.dormantCounters);
  await engine.close();
  const again = await open(t, dir);
  assert.deepEqual((await again.readVersion('n', digest))!.dormantCounters, v.dormantCounters);
  // A record without counter state is flagged so too (its shipping rule is the plain one).
  await again.put({ ...key, key: 'plain' }, { a: 1 });
  const [plain] = await again.readStoredVersions('n', [computeDigest('s', 'plain')], transcodeStoredVersion);
  assert.ok(plain !== null && !(plain instanceof Error) && plain.holdsCounters === false);
});

test('applyVersion refuses malformed counter states and moves the clock past every counter epoch it stores', async (t) => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const engine = await open(t, await tmpDir(t, 'xdrgate-dormant-'), clock);
  const base: RecordVersion = { ns: 'n', set: 's', digest, generation: 1, voidTime: 0, lut: engine.now(), region: 2, deleted: false, bins: { a: 1 }, binLuts: { a: 1 } };
  const bad: Array<[string, Partial<RecordVersion>]> = [
    ['dormantCounters.c.base', { dormantCounters: { c: { base: Number.NaN, baseLut: 1, p: {}, n: {} } } }],
    ['dormantCounters.c.p.2', { dormantCounters: { c: { base: 0, baseLut: 1, p: { '2': -1 }, n: {} } } }],
    ['dormantCounters', { dormantCounters: null as never }],
    ['counters.c.baseLut', { counters: { c: { base: 0, baseLut: 1.5, p: {}, n: {} } } }],
  ];
  for (const [field, over] of bad) {
    await assert.rejects(engine.applyVersion({ ...base, ...over }), (err) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT') && err.details.field === `version.${field}`, field);
  }
  // Under generation a merged version can hold a counter epoch newer than its own lut.
  const epoch = base.lut + 1_000_000;
  await engine.applyVersion({ ...base, dormantCounters: { c: { base: 0, baseLut: epoch, p: { '2': 1 }, n: {} } } });
  assert.ok(engine.now() > epoch);
});
