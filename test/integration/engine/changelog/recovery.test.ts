import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { isEngineError } from '../../../../engine/errors.js';
import { appendMany, assertEventIs, drain, eventFor, openLog, tempDir } from './helpers.js';

const HEADER_BYTES = 32;

function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.clog'))
    .sort()
    .map((n) => path.join(dir, n));
}

/** File offsets of every frame of a segment file. */
function frameOffsets(file: string): number[] {
  const b = fs.readFileSync(file);
  const out: number[] = [];
  for (let p = HEADER_BYTES; p + 8 <= b.length; p += 8 + b.readUInt32LE(p + 4)) out.push(p);
  return out;
}

function flipByte(file: string, offset: number): void {
  const fd = fs.openSync(file, 'r+');
  const one = Buffer.alloc(1);
  fs.readSync(fd, one, 0, 1, offset);
  one[0]! ^= 0x5a;
  fs.writeSync(fd, one, 0, 1, offset);
  fs.closeSync(fd);
}

function capturingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function writeLog(t: Parameters<typeof openLog>[0], dir: string, n: number): Promise<void> {
  const log = await openLog(t, dir);
  appendMany(log, 1, n);
  await log.close();
}

test('a torn last frame is truncated and logged; appends continue after the last valid entry', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 1000);
  const last = segmentFiles(dir).at(-1)!;
  const offsets = frameOffsets(last);
  const lastFrame = offsets.at(-1)!;
  fs.truncateSync(last, lastFrame + 20); // half of the newest frame reached the disk
  const cap = capturingLogger();
  const log = await openLog(t, dir, { logger: cap.logger });
  assert.equal(log.headSeq(), 999);
  assert.equal(fs.statSync(last).size, lastFrame);
  const warn = cap.lines().find((l) => l.msg === 'change log: torn tail truncated');
  assert.ok(warn, 'truncation is logged');
  assert.equal(warn.offset, lastFrame);
  assert.equal(log.append(eventFor(1000)), 1000);
  const c = await log.cursor('a');
  const events = await drain(c);
  assert.equal(events.length, 1000);
  events.forEach((e, i) => assertEventIs(e, i + 1));
});

test('a zero-filled or garbage tail after the last valid entry is truncated', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 500);
  const last = segmentFiles(dir).at(-1)!;
  const size = fs.statSync(last).size;
  fs.appendFileSync(last, Buffer.alloc(4096));
  fs.appendFileSync(last, Buffer.from('not a frame at all'));
  const log = await openLog(t, dir);
  assert.equal(log.headSeq(), 500);
  assert.equal(fs.statSync(last).size, size);
});

test('a damaged checksum of the newest frame (torn write with a complete length) is a torn tail', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 300);
  const last = segmentFiles(dir).at(-1)!;
  flipByte(last, frameOffsets(last).at(-1)! + 20);
  const log = await openLog(t, dir);
  assert.equal(log.headSeq(), 299);
});

test('a flipped byte in the middle of the newest segment, followed by valid entries, is a clear error', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 300);
  const last = segmentFiles(dir).at(-1)!;
  const offsets = frameOffsets(last);
  const victim = offsets[Math.floor(offsets.length / 2)]!;
  flipByte(last, victim + 15);
  await assert.rejects(openLog(t, dir), (err: unknown) => {
    assert.ok(isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE'));
    assert.equal(err.details.file, last);
    assert.equal(err.details.offset, victim);
    assert.match(err.message, new RegExp(`${path.basename(last)} is damaged at byte ${victim}`));
    return true;
  });
});

test('a damaged length field in the middle is an error too (a later valid entry is found)', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 300);
  const last = segmentFiles(dir).at(-1)!;
  const victim = frameOffsets(last)[3]!;
  flipByte(last, victim + 5);
  await assert.rejects(openLog(t, dir), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.offset === victim);
});

test('any damage in a segment that is not the newest is an error, even at its end', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 3000);
  const files = segmentFiles(dir);
  assert.ok(files.length > 2);
  const older = files[1]!;
  const victim = frameOffsets(older).at(-1)!;
  flipByte(older, victim + 12);
  await assert.rejects(openLog(t, dir), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.file === older);
});

test('a missing segment in the middle (a gap in seqs) is an error', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 3000);
  const files = segmentFiles(dir);
  fs.rmSync(files[1]!);
  await assert.rejects(openLog(t, dir), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.file === files[2]);
});

test('a newest segment whose header never reached the disk is recreated', async (t) => {
  const dir = tempDir(t);
  await writeLog(t, dir, 100);
  const next = path.join(dir, `${String(101).padStart(16, '0')}.clog`);
  fs.writeFileSync(next, Buffer.from([0x58, 0x43])); // crash right after creating the file
  const log = await openLog(t, dir);
  assert.equal(log.headSeq(), 100);
  assert.equal(log.append(eventFor(101)), 101);
  await log.close();
  const log2 = await openLog(t, dir);
  assert.equal(log2.headSeq(), 101);
});

test('damage found while reading (behind the in-memory tail) is reported, not returned', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  appendMany(log, 1, 3000);
  await log.sync();
  const first = segmentFiles(dir)[0]!;
  flipByte(first, frameOffsets(first)[10]! + 14);
  const c = await log.cursor('a');
  await assert.rejects(drain(c), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.file === first);
});

test('a damaged cursors file is a clear error naming it', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  appendMany(log, 1, 10);
  const c = await log.cursor('a');
  await c.commit(5, 1);
  await log.close();
  const file = path.join(dir, 'cursors.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"seq":5', '"seq":6'));
  await assert.rejects(openLog(t, dir), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE') && err.details.file === file);
  fs.writeFileSync(file, '{"version":1,');
  await assert.rejects(openLog(t, dir), (err: unknown) => isEngineError(err, 'ENGINE_ERR_CORRUPTED_STORAGE'));
});

test('lastLut survives reopen even when the newest segment is still empty', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  appendMany(log, 1, 700);
  const lut = log.lastLut();
  await log.close();
  // Cut the newest segment back to its header: its header's baseLut still carries the max lut.
  const files = segmentFiles(dir);
  assert.ok(files.length > 1);
  const last = files.at(-1)!;
  fs.truncateSync(last, HEADER_BYTES);
  const log2 = await openLog(t, dir);
  assert.ok(log2.lastLut() >= eventFor(Number(path.basename(last).slice(0, 16)) - 1).lut);
  assert.ok(log2.lastLut() <= lut);
});

test('a cursor committed past a truncated tail is clamped to the recovered head', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  appendMany(log, 1, 400);
  const c = await log.cursor('a');
  await c.commit(400, eventFor(400).lut);
  await log.close();
  const last = segmentFiles(dir).at(-1)!;
  fs.truncateSync(last, frameOffsets(last).at(-1)! + 3);
  const cap = capturingLogger();
  const log2 = await openLog(t, dir, { logger: cap.logger });
  assert.equal(log2.headSeq(), 399);
  const c2 = await log2.cursor('a');
  assert.equal(c2.committedSeq(), 399);
  assert.ok(cap.lines().some((l) => l.msg === 'change log: cursor was ahead of the recovered log; clamped'));
  assert.equal(log2.append(eventFor(400)), 400);
  const b = await c2.read(10);
  assert.ok(!b.overflow);
  assert.deepEqual(b.events.map((e) => e.seq), [400]);
});
