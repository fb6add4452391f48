// Crash tests: a child process writes under load and is killed with SIGKILL at
// a random moment; reopening must find every acknowledged write (commit-to-
// device), or every write acknowledged more than flush-max-ms before the kill
// (buffered), and the change log must name every record on the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, describeStartReport, digestHex, type ChangeEvent } from '../../../engine/index.js';
import { physicalMs } from '../../../record/index.js';
import { tempDir, track } from './helpers.js';
import type { TestContext } from 'node:test';

const writer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.ts');

interface Run {
  acked: Map<number, number>;
  killedAtMs: number;
  /** Digests (hex) of the change events the child's tailing cursor read before it committed past them. */
  shipped: Set<string>;
  /** The newest seq the tailing cursor reported committed. */
  committedSeq: number;
}

/**
 * Kills the child once `ackTarget` writes are acknowledged. With `tail`, the
 * child also tails its change log, and the kill waits until that cursor has read
 * at least 90 % of what was acknowledged, so it is near the head of the log (or
 * until 50,000 more writes are acknowledged).
 */
async function runAndKill(t: TestContext, dir: string, commit: boolean, flushMaxMs: number, ackTarget: number, tail = false): Promise<Run> {
  // Fewer writers when tailing, so the cursor can keep up with them.
  const writers = tail ? '4' : '32';
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, commit ? '1' : '0', String(flushMaxMs), writers, tail ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const acked = new Map<number, number>();
  const shipped = new Set<string>();
  let committedSeq = 0;
  let rest = '';
  let killedAtMs = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve());
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [tag, k, ms] = line.split(' ');
        if (tag === 'ack') acked.set(Number(k), Number(ms));
        else if (tag === 'shipped') shipped.add(k!);
        else if (tag === 'committed') committedSeq = Math.max(committedSeq, Number(k));
      }
      // A cursor that cannot keep up (a loaded machine) still gets its kill, further on.
      const tailReady = !tail || shipped.size >= 0.9 * acked.size || acked.size >= ackTarget + 50_000;
      if (killedAtMs === 0 && acked.size >= ackTarget && tailReady) {
        killedAtMs = Date.now();
        child.kill('SIGKILL');
      }
    });
  });
  assert.ok(killedAtMs > 0, `the child exited before ${ackTarget} acks (${acked.size})`);
  return { acked, killedAtMs, shipped, committedSeq };
}

/** Reopens in the mode the child wrote in (the start report describes what that mode acknowledged). */
async function reopen(t: TestContext, dir: string, commitToDevice: boolean): Promise<Engine> {
  return track(t, await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'test', filesize: 64 * 1024 * 1024, writeBlockSize: 128 * 1024, nsupPeriod: 0, commitToDevice }] }));
}

async function logDigests(engine: Engine, cursorName = 'crash-check'): Promise<Set<string>> {
  const cursor = await engine.changeLog('test').cursor(cursorName);
  const seen = new Set<string>();
  for (;;) {
    const batch = await cursor.read(10_000);
    if (batch.overflow) throw new Error('unexpected overflow');
    if (batch.events.length === 0) break;
    for (const e of batch.events as ChangeEvent[]) seen.add(digestHex(e.digest));
  }
  return seen;
}

test('commit-to-device: after kill -9 every acknowledged write is there, and in the change log', async (t) => {
  const dir = tempDir(t);
  const ackTarget = 300 + Math.floor(Math.random() * 3000);
  const { acked } = await runAndKill(t, dir, true, 1000, ackTarget);
  const engine = await reopen(t, dir, true);
  assert.equal(engine.recoveryInfo('test').source, 'cold-start');
  const report = engine.startReport('test');
  assert.equal(report.lastStop, 'unclean');
  for (const k of acked.keys()) {
    const rec = await engine.get({ ns: 'test', set: 's', key: k });
    assert.equal(rec?.bins.k, k, `acknowledged key ${k} (of ${acked.size}, target ${ackTarget}) is missing`);
  }
  const inLog = await logDigests(engine);
  for await (const v of engine.scanVersionsSince('test', 0)) assert.ok(inLog.has(digestHex(v.digest)), `record ${String(v.key)} is on the device but not in the change log`);
});

test('buffered: after kill -9 the loss is within flush-max-ms', async (t) => {
  const dir = tempDir(t);
  const flushMaxMs = 200;
  const { acked, killedAtMs } = await runAndKill(t, dir, false, flushMaxMs, 2000 + Math.floor(Math.random() * 20_000));
  const engine = await reopen(t, dir, false);
  // Scheduling slack on a loaded 2-core machine: timers fire late.
  const slackMs = 500;
  const report = engine.startReport('test');
  assert.equal(report.lastStop, 'unclean');
  assert.ok(report.lost !== undefined && !report.lost.everything, 'a buffered crash reports the window it may have lost');
  const windowStartMs = physicalMs(report.lost.sinceLut);
  let lost = 0;
  for (const [k, ackMs] of acked) {
    const rec = await engine.get({ ns: 'test', set: 's', key: k });
    if (rec === null) {
      lost++;
      assert.ok(killedAtMs - ackMs <= flushMaxMs + slackMs, `key ${k} acked ${killedAtMs - ackMs} ms before the kill is lost`);
      // The reported window covers every lost write (the ack is taken after the write's lut).
      assert.ok(ackMs >= windowStartMs, `key ${k} acked at ${ackMs} was lost but the reported window starts at ${windowStartMs}`);
    }
  }
  t.diagnostic(`acked ${acked.size}, lost ${lost}; reported: ${describeStartReport(report)}`);
});

test('buffered: a cursor tailing the log at once (no fdatasync in between) skips nothing across kill -9', async (t) => {
  // Buffered namespaces let cursors read entries as soon as they are appended, so
  // a cursor may commit past what the crash leaves of the log. At open it is moved
  // back to the recovered head, and the events re-appended for versions the device
  // holds beyond that head are read again: every version on the device was either
  // read before the kill or is read after the restart.
  const dir = tempDir(t);
  const { acked, shipped, committedSeq } = await runAndKill(t, dir, false, 200, 2000 + Math.floor(Math.random() * 20_000), true);
  const engine = await reopen(t, dir, false);
  const reopenedAt = (await engine.changeLog('test').cursor('tail')).committedSeq();
  const report = engine.startReport('test');
  assert.ok(report.lost !== undefined, 'a buffered crash reports what it may have lost');
  // The entries reported lost are among those the cursor had committed past the recovered head.
  assert.ok(report.lost.entriesAtLeast <= Math.max(0, committedSeq - report.lost.afterSeq), `reported ${report.lost.entriesAtLeast} lost entries after ${report.lost.afterSeq}; the cursor had committed ${committedSeq}`);
  const readAfter = await logDigests(engine, 'tail');
  let onDevice = 0;
  for await (const v of engine.scanVersionsSince('test', 0)) {
    onDevice++;
    const digest = digestHex(v.digest);
    assert.ok(shipped.has(digest) || readAfter.has(digest), `record ${String(v.key)} is on the device but its change was neither read before the kill nor after the restart`);
  }
  t.diagnostic(`acked ${acked.size}, read before the kill ${shipped.size}, read after the restart ${readAfter.size}, on the device ${onDevice}; `
    + `the cursor committed seq ${committedSeq} before the kill and reopened at ${reopenedAt}${reopenedAt < committedSeq ? ' (moved back to the recovered head)' : ''}`);
});
