// Crash tests: a child process writes under load and is killed with SIGKILL at
// a random moment; reopening must find every acknowledged write (commit-to-
// device), or every write acknowledged more than flush-max-ms before the kill
// (buffered), and the change log must name every record on the device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, digestHex, type ChangeEvent } from '../../../engine/index.js';
import { tempDir, track } from './helpers.js';
import type { TestContext } from 'node:test';

const writer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.ts');

interface Run {
  acked: Map<number, number>;
  killedAtMs: number;
}

async function runAndKill(t: TestContext, dir: string, commit: boolean, flushMaxMs: number, ackTarget: number): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, commit ? '1' : '0', String(flushMaxMs), '32'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const acked = new Map<number, number>();
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
      }
      if (killedAtMs === 0 && acked.size >= ackTarget) {
        killedAtMs = Date.now();
        child.kill('SIGKILL');
      }
    });
  });
  assert.ok(killedAtMs > 0, `the child exited before ${ackTarget} acks (${acked.size})`);
  return { acked, killedAtMs };
}

async function reopen(t: TestContext, dir: string): Promise<Engine> {
  return track(t, await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'test', filesize: 64 * 1024 * 1024, writeBlockSize: 128 * 1024, nsupPeriod: 0 }] }));
}

async function logDigests(engine: Engine): Promise<Set<string>> {
  const cursor = await engine.changeLog('test').cursor('crash-check');
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
  const engine = await reopen(t, dir);
  assert.equal(engine.recoveryInfo('test').source, 'cold-start');
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
  const engine = await reopen(t, dir);
  // Scheduling slack on a loaded 2-core machine: timers fire late.
  const slackMs = 500;
  let lost = 0;
  for (const [k, ackMs] of acked) {
    const rec = await engine.get({ ns: 'test', set: 's', key: k });
    if (rec === null) {
      lost++;
      assert.ok(killedAtMs - ackMs <= flushMaxMs + slackMs, `key ${k} acked ${killedAtMs - ackMs} ms before the kill is lost`);
    }
  }
  t.diagnostic(`acked ${acked.size}, lost ${lost}`);
});
