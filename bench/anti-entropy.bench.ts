/**
 * What anti-entropy costs foreground traffic: put and get latency (p50, p99,
 * max) at a steady rate against a region's engine, first with no pass running,
 * then while a pass compares the region with its peer at the default budget
 * (2,000 records/s) and at ten times it; same run, same load. The peer is
 * another process (bench/anti-entropy-peer.ts) with the same records behind
 * the real partition endpoints, as a peer gateway is. A few records differ, so
 * the pass also lists partitions; their re-ship is left out (no Kafka here).
 * Latencies count from when each operation was due, so a stalled event loop
 * shows up in them (no coordinated omission).
 *
 * Phases alternate (without, with the default budget) `--rounds` times, so the
 * machine's own noise shows beside the difference, then one phase at ten times
 * the budget.
 *
 *   npm run bench:anti-entropy [-- --records 200000] [--seconds 15] [--ops 1000] [--rounds 2] [--json]
 *   run under: flock /tmp/xdrgate-bench.lock npm run bench:anti-entropy
 */
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Engine } from '../engine/index.js';
import { hlcFromMs } from '../record/index.js';
import { GatewayClient } from '../xdr/cli/client.js';
import { RecordBudget, httpSide, localSide, runPass, type PassResult } from '../xdr/anti-entropy/index.js';
import { enginePartitionSource } from '../xdr/verify/index.js';
import { benchVersions } from './anti-entropy-data.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Phase {
  phase: string;
  puts: number;
  gets: number;
  put_p50_ms: number;
  put_p99_ms: number;
  put_max_ms: number;
  get_p50_ms: number;
  get_p99_ms: number;
  get_max_ms: number;
  /** Event-loop delay of this process during the phase (p99, max): how long the loop was blocked. */
  loop_p99_ms: number;
  loop_max_ms: number;
  pass?: Pick<PassResult, 'recordsHashed' | 'recordsListed' | 'partitionsCompared' | 'partitionsDiffering' | 'complete'> & { durationMs: number; recordsPerSec: number };
}

/** Puts and gets at `opsPerSec` (half each) for `seconds`; latency from each op's due time. */
async function load(engine: Engine, records: number, opsPerSec: number, seconds: number): Promise<{ put: number[]; get: number[]; loop: { p99: number; max: number } }> {
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const put: number[] = [];
  const get: number[] = [];
  const start = performance.now();
  const intervalMs = 1000 / opsPerSec;
  const inflight = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = start + i * intervalMs;
    if (due - start > seconds * 1000) break;
    const wait = due - performance.now();
    // Timers are 1 ms coarse: sleep until due, then issue every op that is due by then.
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
    const key = `user-${(i * 7919) % records}`;
    const op =
      i % 2 === 0
        ? engine.put({ ns: 'b', set: 'users', key: `fg-${i % 5000}` }, { n: i }).then(() => void put.push(performance.now() - due))
        : engine.get({ ns: 'b', set: 'users', key }).then(() => void get.push(performance.now() - due));
    const tracked = op.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    if (inflight.size > 256) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  loopDelay.disable();
  return { put, get, loop: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } };
}

function summarize(name: string, l: { put: number[]; get: number[]; loop: { p99: number; max: number } }): Phase {
  const p = [...l.put].sort((a, b) => a - b);
  const g = [...l.get].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { phase: name, puts: p.length, gets: g.length, put_p50_ms: r(quantile(p, 0.5)), put_p99_ms: r(quantile(p, 0.99)), put_max_ms: r(p.at(-1) ?? 0), get_p50_ms: r(quantile(g, 0.5)), get_p99_ms: r(quantile(g, 0.99)), get_max_ms: r(g.at(-1) ?? 0), loop_p99_ms: r(l.loop.p99), loop_max_ms: r(l.loop.max) };
}

async function main(): Promise<void> {
  const records = arg('records', 200_000);
  const seconds = arg('seconds', 15);
  const opsPerSec = arg('ops', 1000);
  const rounds = arg('rounds', 2);
  const differing = arg('differing', 200);
  const json = process.argv.includes('--json');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-ae-'));
  const peer = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'anti-entropy-peer.ts'), String(records), String(differing)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const engine = await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'b', filesize: 1024 * 1024 * 1024, writeBlockSize: 1024 * 1024 }], logger: pino({ level: 'warn' }) });
  try {
    for (const batch of benchVersions(records, differing, 'local')) await Promise.all(batch.map((v) => engine.applyVersion(v)));
    const peerUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      peer.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      peer.once('exit', (code) => reject(new Error(`peer exited ${code}`)));
    });
    const a = localSide('local', enginePartitionSource(engine)!, { reship: async () => { throw new Error('no re-ship in this bench'); } });
    const b = httpSide('peer', new GatewayClient({ url: peerUrl, timeoutMs: 120_000 }));
    const phases: Phase[] = [];
    const plan: Array<number | null> = [];
    for (let r = 0; r < rounds; r++) plan.push(null, 2000);
    plan.push(20_000);
    let resumePid = 0;
    for (const rate of plan) {
      if (rate === null) {
        phases.push(summarize('no anti-entropy', await load(engine, records, opsPerSec, seconds)));
        continue;
      }
      let pass: PassResult | undefined;
      let passMs = 0;
      let stop = false;
      const t0 = performance.now();
      // The pass runs alongside the load and is cut off when the load ends (the budget, not the namespace, sets its pace); the next one goes on from there.
      const running = runPass({
        ns: 'b', a, b, aRoute: undefined, bRoute: undefined, lutMax: hlcFromMs(Date.now() - 30_000), startPid: resumePid,
        recordsPerPass: Number.MAX_SAFE_INTEGER, reshipPerPass: 0, digestsPerRequest: 500, concurrentRequests: 2,
        budget: new RecordBudget(rate, Date.now()), targetRecordsPerRequest: Math.max(64, Math.floor(rate / 4)),
        nowMs: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), isStopping: () => stop,
      }).then((r) => {
        pass = r;
        passMs = performance.now() - t0;
      });
      const l = await load(engine, records, opsPerSec, seconds);
      stop = true;
      await running;
      resumePid = pass!.complete ? 0 : pass!.nextPid;
      const phase = summarize(`pass at ${rate} records/s`, l);
      phase.pass = { recordsHashed: pass!.recordsHashed, recordsListed: pass!.recordsListed, partitionsCompared: pass!.partitionsCompared, partitionsDiffering: pass!.partitionsDiffering, complete: pass!.complete, durationMs: Math.round(passMs), recordsPerSec: Math.round((pass!.recordsHashed + pass!.recordsListed) / (passMs / 1000)) };
      phases.push(phase);
    }
    const meta = { records, differing, seconds, opsPerSec, rounds, load: os.loadavg()[0], cpu: os.cpus()[0]?.model ?? '?' };
    if (json) process.stdout.write(`${JSON.stringify({ ...meta, phases }, null, 2)}\n`);
    else {
      process.stdout.write(`anti-entropy bench: ${records} records per region (${differing} differ), ${opsPerSec} ops/s (half puts, half gets) for ${seconds} s per phase, load average ${os.loadavg()[0]!.toFixed(1)} (${meta.cpu})\n`);
      process.stdout.write(`${'phase'.padEnd(26)} ${'put p50'.padStart(8)} ${'put p99'.padStart(8)} ${'put max'.padStart(8)} ${'get p50'.padStart(8)} ${'get p99'.padStart(8)} ${'get max'.padStart(8)} ${'loop p99'.padStart(8)} ${'loop max'.padStart(8)}  pass\n`);
      for (const p of phases) {
        const pass = p.pass ? `${p.pass.partitionsCompared} partitions, ${p.pass.recordsHashed} hashed + ${p.pass.recordsListed} listed in ${p.pass.durationMs} ms (${p.pass.recordsPerSec}/s), ${p.pass.partitionsDiffering} differing${p.pass.complete ? '' : ', cut off at the end of the phase'}` : '';
        process.stdout.write(`${p.phase.padEnd(26)} ${String(p.put_p50_ms).padStart(8)} ${String(p.put_p99_ms).padStart(8)} ${String(p.put_max_ms).padStart(8)} ${String(p.get_p50_ms).padStart(8)} ${String(p.get_p99_ms).padStart(8)} ${String(p.get_max_ms).padStart(8)} ${String(p.loop_p99_ms).padStart(8)} ${String(p.loop_max_ms).padStart(8)}  ${pass}\n`);
      }
      process.stdout.write('latencies in ms, from when each operation was due\n');
    }
  } finally {
    peer.kill('SIGTERM');
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
