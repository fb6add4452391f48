import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertEventIs, drain, openLog, tempDir } from './helpers.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'append-child.ts');

/** Runs the appending child until it has acknowledged at least `minAcks` seqs past `startSeq`, then kill -9. */
function runAndKill(dir: string, seed: number, startSeq: number, minAcks: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let maxAck = 0;
    let buffered = '';
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.stdout.on('data', (d: Buffer) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(' ');
        if (word === 'ready' && Number(n) !== startSeq) reject(new Error(`child reopened at ${n}, expected ${startSeq}`));
        if (word === 'ack') maxAck = Math.max(maxAck, Number(n));
      }
      if (!killScheduled && maxAck >= startSeq + minAcks) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(maxAck);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

test('kill -9 while appending and syncing: every acknowledged seq is present after reopen', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const seed = Number(process.env.XDRGATE_TEST_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`seed ${seed}`);
  let head = 0;
  for (let round = 0; round < 3; round++) {
    const maxAck = await runAndKill(dir, seed + round, head, 2000, (seed * (round + 1)) % 40);
    const log = await openLog(t, dir, { readVisibility: 'durable' });
    assert.ok(log.headSeq() >= maxAck, `seed ${seed} round ${round}: head ${log.headSeq()} < acknowledged ${maxAck}`);
    const c = await log.cursor(`check-${round}`);
    const events = await drain(c, 5000);
    assert.equal(events.length, log.headSeq(), `seed ${seed}: every entry 1..head is readable`);
    events.forEach((e, i) => assertEventIs(e, i + 1));
    await log.dropCursor(`check-${round}`);
    head = log.headSeq();
    await log.close();
  }
});
