import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import { isEngineError } from '../../../../engine/errors.js';
import { appendMany, assertEventIs, drain, eventFor, NS, openLog, tempDir } from './helpers.js';

test('append assigns seq 1, 2, ... and a cursor reads every event back in order', async (t) => {
  const log = await openLog(t, tempDir(t));
  assert.equal(log.headSeq(), 0);
  assert.equal(log.lastLut(), 0);
  appendMany(log, 1, 3000);
  assert.equal(log.headSeq(), 3000);
  assert.equal(log.lastLut(), eventFor(3000).lut);
  const c = await log.cursor('dc2');
  assert.equal(c.committedSeq(), 0);
  const events = await drain(c);
  assert.equal(events.length, 3000);
  events.forEach((e, i) => assertEventIs(e, i + 1));
  const empty = await c.read(10);
  assert.deepEqual(empty, { overflow: false, events: [] });
});

test('read(max) returns at most max events and advances the read position', async (t) => {
  const log = await openLog(t, tempDir(t));
  appendMany(log, 1, 25);
  const c = await log.cursor('a');
  const b1 = await c.read(10);
  assert.ok(!b1.overflow);
  assert.deepEqual(b1.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const b2 = await c.read(100);
  assert.ok(!b2.overflow);
  assert.equal(b2.events[0]!.seq, 11);
  assert.equal(b2.events.at(-1)!.seq, 25);
});

test('rewindToCommitted replays from the committed position; commit never moves back', async (t) => {
  const log = await openLog(t, tempDir(t));
  appendMany(log, 1, 50);
  const c = await log.cursor('a');
  await c.read(20);
  await c.commit(20, eventFor(20).lut);
  const b = await c.read(20);
  assert.ok(!b.overflow);
  assert.equal(b.events[0]!.seq, 21);
  c.rewindToCommitted();
  const again = await c.read(5);
  assert.ok(!again.overflow);
  assert.equal(again.events[0]!.seq, 21);
  await c.commit(10, 1);
  assert.equal(c.committedSeq(), 20);
  await assert.rejects(c.commit(51, 1), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
});

test('committed positions of several cursors survive reopen; read positions restart at the commit', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  appendMany(log, 1, 2000);
  const a = await log.cursor('a');
  const b = await log.cursor('b');
  await log.cursor('c');
  await drain(a);
  await a.commit(1500, eventFor(1500).lut);
  await b.read(100);
  await b.commit(40, eventFor(40).lut);
  await log.close();

  const log2 = await openLog(t, dir);
  assert.equal(log2.headSeq(), 2000);
  assert.equal(log2.lastLut(), eventFor(2000).lut);
  assert.deepEqual(log2.cursorNames().sort(), ['a', 'b', 'c']);
  const a2 = await log2.cursor('a');
  assert.equal(a2.committedSeq(), 1500);
  assert.equal(a2.committedLut(), eventFor(1500).lut);
  const rest = await drain(a2);
  assert.equal(rest[0]!.seq, 1501);
  assert.equal(rest.length, 500);
  const b2 = await log2.cursor('b');
  assert.equal(b2.committedSeq(), 40);
  const c2 = await log2.cursor('c');
  assert.equal((await drain(c2)).length, 2000);
  // Appends continue the sequence after reopen.
  assert.equal(log2.append(eventFor(2001)), 2001);
});

test('segments roll over and are deleted once every cursor has committed past them', async (t) => {
  const log = await openLog(t, tempDir(t));
  const a = await log.cursor('a');
  const b = await log.cursor('b');
  appendMany(log, 1, 4000);
  const before = log.stats();
  assert.ok(before.segments > 5, `expected many segments, got ${before.segments}`);
  await a.commit(4000, 0);
  assert.equal(log.stats().segments, before.segments, 'b still needs every segment');
  await b.commit(2000, 0);
  const mid = log.stats();
  assert.ok(mid.segments < before.segments);
  assert.ok(mid.firstSeq <= 2001, 'the segment holding seq 2001 is kept');
  assert.ok(mid.segmentsReleased > 0);
  await log.dropCursor('b');
  const after = log.stats();
  assert.equal(after.segments, 1, 'only the active segment remains');
  assert.equal(after.overflows, 0);
  assert.deepEqual(log.cursorNames(), ['a']);
  await assert.rejects(b.read(1), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
});

test('past the size cap the oldest segments go; the lagging cursor gets one counted overflow and resumes', async (t) => {
  const log = await openLog(t, tempDir(t), { segmentBytes: 8192, retainBytesMax: 32 * 1024 });
  const slow = await log.cursor('slow');
  const fast = await log.cursor('fast');
  appendMany(log, 1, 100);
  await slow.read(50);
  await slow.commit(50, eventFor(50).lut);
  for (let from = 101; from <= 5000; from += 100) {
    appendMany(log, from, from + 99);
    await drain(fast);
    await fast.commit(from + 99, eventFor(from + 99).lut);
  }
  assert.equal(fast.committedSeq(), 5000);
  const st = log.stats();
  assert.ok(st.bytes <= 32 * 1024 + 8192, `cap respected, bytes=${st.bytes}`);
  assert.ok(st.segmentsEvicted > 0);
  assert.ok(st.firstSeq > 51);
  assert.equal(st.cursors.find((c) => c.name === 'slow')!.lagEntries, 4950);

  const b = await slow.read(100);
  assert.deepEqual(b, { overflow: true, resumeFromLut: eventFor(50).lut, resumeSeq: st.firstSeq });
  const again = await slow.read(100);
  assert.ok(again.overflow);
  assert.equal(log.stats().overflows, 1, 'one overflow episode is counted once');

  // The reader scans records newer than resumeFromLut, then continues from resumeSeq.
  await slow.seek(st.firstSeq - 1, eventFor(st.firstSeq - 1).lut);
  const rest = await drain(slow);
  assert.equal(rest[0]!.seq, st.firstSeq);
  assert.equal(rest.at(-1)!.seq, 5000);
  assert.equal(slow.committedLut(), eventFor(st.firstSeq - 1).lut);
});

test('a cursor created after everything was evicted overflows to head + 1', async (t) => {
  const log = await openLog(t, tempDir(t), { segmentBytes: 8192, retainBytesMax: 16384 });
  appendMany(log, 1, 3000);
  await log.sync();
  const first = log.stats().firstSeq;
  const c = await log.cursor('late');
  const b = await c.read(10);
  assert.deepEqual(b, { overflow: true, resumeFromLut: 0, resumeSeq: first });
  await c.seek(log.headSeq());
  assert.deepEqual(await c.read(10), { overflow: false, events: [] });
});

test('reads from segment files (behind the in-memory tail) match what was appended', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir, { segmentBytes: 64 * 1024, chunkBytes: 4096, tailBytesMax: 4096 });
  appendMany(log, 1, 10_000);
  const c = await log.cursor('a');
  // Odd batch sizes cross chunk, sparse-index and segment boundaries.
  const events = await drain(c, 997);
  assert.equal(events.length, 10_000);
  events.forEach((e, i) => assertEventIs(e, i + 1));
  assert.ok(fs.readdirSync(dir).filter((n) => n.endsWith('.clog')).length > 5);
  // seek into the middle uses the sparse index.
  await c.seek(7777);
  const b = await c.read(3);
  assert.ok(!b.overflow);
  assert.deepEqual(b.events.map((e) => e.seq), [7778, 7779, 7780]);
});

test("in 'durable' visibility a cursor sees only fdatasync'd entries", async (t) => {
  const log = await openLog(t, tempDir(t), { readVisibility: 'durable', flushMaxMs: 3_600_000 });
  const c = await log.cursor('a');
  appendMany(log, 1, 10);
  assert.deepEqual(await c.read(100), { overflow: false, events: [] });
  const woke = c.waitForMore(60_000);
  await log.sync();
  await woke;
  assert.equal(log.durableSeq(), 10);
  const b = await c.read(100);
  assert.ok(!b.overflow);
  assert.equal(b.events.length, 10);
});

test('the flush timer makes buffered appends durable without sync()', async (t) => {
  const log = await openLog(t, tempDir(t), { readVisibility: 'durable', flushMaxMs: 20 });
  const c = await log.cursor('a');
  appendMany(log, 1, 5);
  await c.waitForMore(60_000);
  assert.equal(log.durableSeq(), 5);
});

/** Resolves with `what` or rejects after `ms` (a wait that only the hour-long flush timer would end must fail, not hang). */
function within<T>(ms: number, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
  });
  return Promise.race([what, late]).finally(() => clearTimeout(timer));
}

test("in 'durable' visibility a waiting cursor makes new appends durable at once, not at the next flush tick", async (t) => {
  const log = await openLog(t, tempDir(t), { readVisibility: 'durable', flushMaxMs: 3_600_000 });
  const c = await log.cursor('a');
  const waiting = c.waitForMore(60_000);
  appendMany(log, 1, 5);
  await within(5000, waiting);
  assert.equal(log.durableSeq(), 5);
  assert.equal(((await c.read(100)) as { events: unknown[] }).events.length, 5);

  // Appended while nobody waited: a read that cannot see them yet asks for the sync.
  appendMany(log, 6, 10);
  assert.deepEqual(await c.read(100), { overflow: false, events: [] });
  await waitUntil(() => log.durableSeq() === 10, 5000);
  assert.equal(((await c.read(100)) as { events: unknown[] }).events.length, 5);

  // ... and so does a cursor that starts waiting.
  appendMany(log, 11, 15);
  await within(5000, c.waitForMore(60_000));
  assert.equal(log.durableSeq(), 15);
});

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadlineMs = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadlineMs) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test("in 'durable' visibility appends with no cursor waiting wait for the flush tick (no fdatasync per append)", async (t) => {
  const log = await openLog(t, tempDir(t), { readVisibility: 'durable', flushMaxMs: 3_600_000 });
  await log.cursor('a');
  appendMany(log, 1, 5);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(log.durableSeq(), 0);
  assert.equal(log.stats().fdatasyncs, 0);
});

test('concurrent sync() callers all resolve once their entries are durable', async (t) => {
  const log = await openLog(t, tempDir(t));
  const syncs: Array<Promise<void>> = [];
  for (let i = 1; i <= 200; i++) {
    log.append(eventFor(i));
    syncs.push(log.sync());
  }
  await Promise.all(syncs);
  assert.equal(log.durableSeq(), 200);
  await log.sync();
});

test('waitForMore wakes on append, times out, and honours abort', async (t) => {
  const log = await openLog(t, tempDir(t));
  const c = await log.cursor('a');
  const waiting = c.waitForMore(60_000);
  setTimeout(() => log.append(eventFor(1)), 5);
  await waiting;
  assert.equal(((await c.read(10)) as { events: unknown[] }).events.length, 1);

  await c.waitForMore(5); // nothing new: resolves after the timeout

  const ac = new AbortController();
  const aborted = c.waitForMore(60_000, ac.signal);
  setTimeout(() => ac.abort(), 5);
  await aborted;
  await c.waitForMore(60_000, ac.signal); // already aborted: resolves at once

  log.append(eventFor(2));
  await c.waitForMore(60_000); // already something to read: resolves at once
});

test('close wakes waiting readers and later calls fail with ENGINE_ERR_CLOSED', async (t) => {
  const log = await openLog(t, tempDir(t));
  const c = await log.cursor('a');
  const waiting = c.waitForMore(60_000);
  log.append(eventFor(1));
  await log.close();
  await waiting;
  assert.throws(() => log.append(eventFor(2)), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CLOSED'));
  await assert.rejects(c.read(1), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CLOSED'));
  await assert.rejects(log.cursor('b'), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CLOSED'));
  await log.close();
});

test('invalid events and arguments are refused with ENGINE_ERR_INVALID_ARGUMENT', async (t) => {
  const log = await openLog(t, tempDir(t));
  const bad = (patch: object): void => {
    assert.throws(() => log.append({ ...eventFor(1), ...patch }), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'), JSON.stringify(patch));
  };
  bad({ ns: 'other' });
  bad({ digest: new Uint8Array(19) });
  bad({ lut: -1 });
  bad({ lut: Number.NaN });
  bad({ region: 256 });
  bad({ set: 'x'.repeat(256) });
  bad({ set: 'é'.repeat(200) });
  assert.equal(log.headSeq(), 0, 'nothing was appended');
  await assert.rejects(log.cursor('bad name!'), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
  const c = await log.cursor('ok');
  await assert.rejects(c.read(0), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
  await assert.rejects(c.seek(5), (err: unknown) => isEngineError(err, 'ENGINE_ERR_INVALID_ARGUMENT'));
  assert.equal(log.append({ ...eventFor(1), ns: NS }), 1);
});
