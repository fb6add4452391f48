// What a namespace's change-log cursors may read by default: what the namespace
// has acknowledged. A buffered namespace acknowledges from RAM, so an appended
// entry is readable at once; commit-to-device (or an explicit 'durable') makes
// cursors wait for the log's fdatasync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeLog, type ChangeBatch, type ChangeEvent } from '../../../../engine/index.js';
import { openEngine, smallNamespace } from '../helpers.js';

// A long flush period: nothing makes the log durable behind the test's back
// (and buffered, except where a test says commit-to-device).
const QUIET = { flushMaxMs: 60_000, commitToDevice: false };

function eventsOf(batch: ChangeBatch): ChangeEvent[] {
  assert.ok(!batch.overflow, 'unexpected overflow');
  return batch.events;
}

test('buffered namespace: a cursor reads a put at once, before the change log is fdatasync\'d', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', QUIET)] });
  const cursor = await engine.changeLog('test').cursor('tail');
  await engine.put({ ns: 'test', set: 's', key: 'a' }, { v: 1 });
  const events = eventsOf(await cursor.read(10));
  assert.equal(events.length, 1);
  assert.equal(events[0]!.seq, 1);
  const log = engine.changeLog('test');
  assert.ok(log instanceof ChangeLog);
  assert.equal(log.durableSeq(), 0, 'the log has not been fdatasync\'d yet');
});

test('readVisibility durable: a cursor sees a put only once the log is fdatasync\'d, which its wait starts', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { ...QUIET, changeLog: { readVisibility: 'durable' } })] });
  const cursor = await engine.changeLog('test').cursor('tail');
  await engine.put({ ns: 'test', set: 's', key: 'a' }, { v: 1 });
  assert.equal(eventsOf(await cursor.read(10)).length, 0, 'not durable yet');
  await cursor.waitForMore(5_000);
  assert.equal(eventsOf(await cursor.read(10)).length, 1);
});

test('commit-to-device namespace: an acknowledged put is durable in the log, so a cursor reads it', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { ...QUIET, commitToDevice: true })] });
  const cursor = await engine.changeLog('test').cursor('tail');
  await engine.put({ ns: 'test', set: 's', key: 'a' }, { v: 1 });
  assert.equal(eventsOf(await cursor.read(10)).length, 1);
});
