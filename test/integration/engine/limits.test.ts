// The engine owns its limits: a namespace's max-record-size holds on every write
// path (put, operate, versions applied from other regions), and one operations
// limit serves every front end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDigest, ENGINE_ERRORS, isEngineError, OPERATIONS_MAX, resolveEngineOptions, type Operation } from '../../../engine/index.js';
import { type RecordVersion } from '../../../record/index.js';
import { openEngine, smallNamespace } from './helpers.js';

const MAX_RECORD = 4096;
const key = (k: string) => ({ ns: 'test', set: 's', key: k });
const tooBig = (err: unknown) => isEngineError(err, 'ENGINE_ERR_RECORD_TOO_BIG');

async function limited(t: Parameters<typeof openEngine>[0]) {
  return (await openEngine(t, { namespaces: [smallNamespace('test', { maxRecordSize: MAX_RECORD })] })).engine;
}

test('maxRecordSize defaults to the smaller of 1 MiB and the write block, and may not exceed the write block', () => {
  const resolved = resolveEngineOptions({ dataDir: '/tmp/x', regionId: 1, namespaces: [{ name: 'a' }, { name: 'b', writeBlockSize: 8 * 1024 * 1024 }] });
  assert.equal(resolved.namespaces[0]!.maxRecordSize, 128 * 1024);
  assert.equal(resolved.namespaces[1]!.maxRecordSize, 1024 * 1024);
  assert.throws(
    () => resolveEngineOptions({ dataDir: '/tmp/x', regionId: 1, namespaces: [{ name: 'a', writeBlockSize: 64 * 1024, maxRecordSize: 128 * 1024 }] }),
    (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT') && /namespaces\[0\]\.maxRecordSize/.test((err as Error).message),
  );
});

test('a put larger than max-record-size is refused and stores nothing', async (t) => {
  const engine = await limited(t);
  await engine.put(key('a'), { v: 'small' });
  await assert.rejects(engine.put(key('a'), { v: 'x'.repeat(MAX_RECORD) }), tooBig);
  await assert.rejects(engine.put(key('b'), { v: 'x'.repeat(MAX_RECORD) }), tooBig);
  assert.deepEqual((await engine.get(key('a')))?.bins, { v: 'small' });
  assert.equal(await engine.get(key('b')), null);
  assert.equal(engine.stats('test').client_write_error, 2);
});

test('an operate that would grow a record past max-record-size is refused and leaves the record as it was', async (t) => {
  const engine = await limited(t);
  await engine.put(key('a'), { v: 'x'.repeat(MAX_RECORD / 2) });
  const grow: Operation[] = [{ op: 'append', bin: 'v', value: 'y'.repeat(MAX_RECORD / 2) }];
  await assert.rejects(engine.operate(key('a'), grow), tooBig);
  const rec = await engine.get(key('a'));
  assert.equal(rec?.generation, 1);
  assert.equal((rec?.bins.v as string).length, MAX_RECORD / 2);
  // Within the limit the same step is fine.
  await engine.operate(key('a'), [{ op: 'append', bin: 'v', value: 'y' }]);
  assert.equal((await engine.get(key('a')))?.generation, 2);
});

test('a replicated version larger than the local max-record-size is a typed, non-retriable refusal, and the local record stays', async (t) => {
  const engine = await limited(t);
  await engine.put(key('a'), { v: 'local' });
  const local = (await engine.readVersion('test', computeDigest('s', 'a')))!;
  const lut = engine.now() + 1024;
  const remote: RecordVersion = { ...local, lut, region: 2, generation: 2, bins: { v: 'x'.repeat(MAX_RECORD) }, binLuts: { v: lut } };
  let refusal: unknown;
  await engine.applyVersion(remote).catch((err: unknown) => (refusal = err));
  assert.ok(tooBig(refusal), `expected ENGINE_ERR_RECORD_TOO_BIG, got ${String(refusal)}`);
  // The receiver dead-letters what is not retriable instead of retrying it forever.
  assert.equal((refusal as { retriable?: boolean }).retriable, false);
  assert.equal(ENGINE_ERRORS.ENGINE_ERR_RECORD_TOO_BIG.retriable, false);
  assert.deepEqual((await engine.get(key('a')))?.bins, { v: 'local' });
  assert.equal(engine.stats('test').xdr_apply_error, 1);
});

test('a record can always be deleted, whatever its size', async (t) => {
  const engine = await limited(t);
  await engine.put(key('a'), { v: 'x'.repeat(MAX_RECORD - 200) });
  assert.equal(await engine.remove(key('a')), true);
  assert.equal(await engine.get(key('a')), null);
});

test('operate takes at most OPERATIONS_MAX steps', async (t) => {
  const engine = await limited(t);
  const touches = (n: number): Operation[] => Array.from({ length: n }, () => ({ op: 'touch' }));
  await engine.put(key('a'), { v: 1 });
  await engine.operate(key('a'), touches(OPERATIONS_MAX));
  await assert.rejects(engine.operate(key('a'), touches(OPERATIONS_MAX + 1)), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
});
