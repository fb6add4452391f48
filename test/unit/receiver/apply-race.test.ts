// A local write that lands while the receiver applies a remote version of the
// same record is kept: the receiver reads, resolves and stores in one engine
// step (applyDecided), so the winner it stores is computed from the version
// the local write produced or the local write builds on the winner, never a
// winner computed without it overwriting it (a lost increment).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, computeDigest } from '../../../engine/index.js';
import { binLww, lww } from '../../../conflict/index.js';
import { handleMessage, type HandleContext } from '../../../receiver/index.js';
import { encodeRecord, type RouteResolver } from '../../../replication-protocol/index.js';
import { tmpDir } from '../../helpers/tmp.js';
import { defer, type CleanupScope } from '../../helpers/cleanup.js';

async function open(t: CleanupScope, regionId: number): Promise<Engine> {
  const dataDir = await tmpDir(t, `apply-race-${regionId}-`);
  const engine = await Engine.open({ dataDir, regionId, namespaces: [{ name: 'n', filesize: 16 * 1024 * 1024, nsupPeriod: 0 }] });
  defer(t, () => engine.close());
  return engine;
}

for (const [name, resolver] of [['lww', lww], ['bin-lww', binLww]] as const) {
  test(`a local increment made while a remote version of the counter is applied is kept (${name})`, async (t) => {
    const tokyo = await open(t, 1);
    const virginia = await open(t, 2);
    const key = { ns: 'n', set: 'c', key: 'hits' };
    const incr = (engine: Engine, by: number) => engine.operate(key, [{ op: 'incr', bin: 'hits', value: by }]);
    await incr(tokyo, 1);
    await incr(virginia, 10);
    const remote = await virginia.readVersion('n', computeDigest('c', 'hits'));
    assert.ok(remote !== null);
    const ctx: HandleContext = { regionId: 1, engine: tokyo, maxClockOffsetMs: 60_000, nowMs: () => Date.now() };
    // Start applying Virginia's version, then increment locally before the apply has resolved.
    const applying = handleMessage(ctx, { name: 'va-tk', namespace: 'n', resolver: resolver as RouteResolver }, encodeRecord(remote));
    const local = incr(tokyo, 100);
    const [outcome] = await Promise.all([applying, local]);
    assert.equal(outcome.kind, 'resolved');
    assert.equal((await tokyo.get(key))?.bins.hits, 111, 'every increment of both regions counts');
  });
}
