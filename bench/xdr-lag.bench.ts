/**
 * End-to-end replication lag as users of the shipped configs see it, across
 * write rates. Two regions, each in its own process (bench/xdr-lag-region.ts)
 * with its engine and replication pipeline built from config/tokyo.yaml and
 * config/virginia.yaml as the gateway builds them, and a Kafka broker per region
 * started with the options `xdrgate up` uses. At each rate both regions write
 * that many records/s (one in five to `sessions`, the rest to `user_data`, as
 * `up --load` does, with ~1 KiB records), for --warmup seconds, then the
 * receivers' lag histograms (apply time − source lut) are reset and --seconds
 * are measured. Reported per route: p50 / p99 / max. Target: p99 ≤ 50 ms at
 * every rate.
 *
 * Then the idle cost: CPU of each region process and each broker over --idle
 * seconds with no writes (what a quiet topology burns).
 *
 *   npm run bench:xdr-lag [-- --rates 10,200,1000,10000] [--seconds 20] [--warmup 5] [--idle 10] [--one-way] [--json]
 *
 * --one-way: only Tokyo writes (the lag of the two Tokyo → Virginia routes, without the reverse traffic).
 * --idle-profile DIR: also a V8 CPU profile of each region over the last idle window, in DIR.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { RouteRecvStats } from '../receiver/index.js';
import { envNameForRegion } from '../xdr/config/index.js';
import { KafkaBroker } from '../xdr/infra/index.js';
import { processCpuSeconds } from './harness.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const json = process.argv.includes('--json');
const oneWay = process.argv.includes('--one-way');
const rates = arg('rates', '10,200,1000,10000').split(',').map(Number);
const seconds = Number(arg('seconds', '20'));
const warmupSeconds = Number(arg('warmup', '5'));
const idleSeconds = Number(arg('idle', '10'));
const idleProfileDir = arg('idle-profile', '');
const say = (line: string): void => {
  if (!json) process.stdout.write(`${line}\n`);
};
const logger = pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
const root = fileURLToPath(new URL('..', import.meta.url));
const REGIONS = ['tokyo', 'virginia'] as const;
/** ~1 KiB records: a 900-byte payload bin beside the load driver's three small bins. */
const PAYLOAD_BYTES = 900;
const KEY_SPACE = 20_000;

interface RegionProcess {
  name: string;
  child: ChildProcess;
  ask(msg: object): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function startRegion(name: string, env: Record<string, string>): Promise<RegionProcess> {
  const file = fileURLToPath(new URL('./xdr-lag-region.ts', import.meta.url));
  const setup = { configFile: path.join(root, 'config', `${name}.yaml`), env, payloadBytes: PAYLOAD_BYTES, keySpace: KEY_SPACE };
  const child = fork(file, [JSON.stringify(setup)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Replies come in the order of the requests (each request is awaited before the next to the same region).
  const replies: Array<{ resolve: (m: Record<string, unknown>) => void; reject: (err: Error) => void }> = [];
  child.on('message', (m) => replies.shift()?.resolve(m as Record<string, unknown>));
  child.on('exit', (code) => {
    for (const r of replies.splice(0)) r.reject(new Error(`region ${name} exited (${code})`));
  });
  const next = (): Promise<Record<string, unknown>> => new Promise((resolve, reject) => replies.push({ resolve, reject }));
  await next();
  return {
    name,
    child,
    ask: (msg) => {
      const reply = next();
      child.send(msg);
      return reply;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'stop' });
      await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** CPU seconds a process has used so far, from /proc (utime + stime, clock ticks of 100 Hz). */
function procCpuMs(pid: number): number {
  const seconds = processCpuSeconds(pid);
  if (seconds === null) throw new Error(`no CPU figures for pid ${pid}: /proc/${pid}/stat is not readable`);
  return seconds * 1000;
}

interface RouteLagRow {
  rate: number;
  route: string;
  applied: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  met: boolean;
}

async function receiveStats(regions: RegionProcess[]): Promise<RouteRecvStats[]> {
  const all: RouteRecvStats[] = [];
  for (const r of regions) all.push(...((await r.ask({ cmd: 'stats' })).receive as RouteRecvStats[]));
  return all;
}

/** Waits until every route applied what was written (or 60 s passed). */
async function drained(regions: RegionProcess[], expected: number): Promise<RouteRecvStats[]> {
  const deadline = performance.now() + 60_000;
  let stats = await receiveStats(regions);
  while (performance.now() < deadline && stats.reduce((n, s) => n + s.applied + s.rejected_identical, 0) < expected) {
    await sleep(100);
    stats = await receiveStats(regions);
  }
  return stats;
}

interface Pid {
  name: string;
  pid: number;
}

function processesOf(regions: RegionProcess[], brokers: KafkaBroker[]): Pid[] {
  return [...regions.map((r) => ({ name: `${r.name} region`, pid: r.child.pid! })), ...brokers.map((b, i) => ({ name: `${REGIONS[i]} broker`, pid: b.pid! }))];
}

interface RateCost {
  rate: number;
  /** Writes/s per writing region over the measured window. */
  achieved: number;
  /** 1-minute load average of the machine at the end of the window (other work on it included). */
  loadAvg1m: number;
  /** CPU µs per record written (all regions' writes) of each process over the measured window: its writes, shipping and applying. */
  cpuUsPerRecord: Array<{ process: string; us: number }>;
}

async function lagAt(regions: RegionProcess[], writers: RegionProcess[], pids: Pid[], rate: number, appliedSoFar: number): Promise<{ rows: RouteLagRow[]; appliedSoFar: number; cost: RateCost }> {
  // Warm-up at the rate, then the measured window right after it with no pause between.
  const warm = writers.map((w) => w.ask({ cmd: 'write', rate, seconds: warmupSeconds }));
  const warmed = await Promise.all(warm);
  for (const r of regions) await r.ask({ cmd: 'reset' });
  const cpuBefore = pids.map((p) => procCpuMs(p.pid));
  const measured = await Promise.all(writers.map((w) => w.ask({ cmd: 'write', rate, seconds })));
  const cpuAfter = pids.map((p) => procCpuMs(p.pid));
  const measuredRecords = measured.reduce((n, m) => n + (m.written as number), 0);
  const written = [...warmed, ...measured].reduce((n, m) => n + (m.written as number), 0);
  const stats = await drained(regions, appliedSoFar + written);
  if (process.env.XDR_BENCH_DEBUG) {
    for (const r of regions) {
      const s = await r.ask({ cmd: 'stats' });
      process.stderr.write(`${JSON.stringify({ rate, region: r.name, ship: (s.ship as Array<Record<string, unknown>>).map((x) => ({ route: x.route, latency_ms: x.latency_ms, success: x.success })), receive: s.receive })}\n`);
    }
  }
  const achieved = Math.round(measured.reduce((n, m) => n + (m.written as number) / (m.seconds as number), 0) / writers.length);
  const cost: RateCost = {
    rate,
    achieved,
    loadAvg1m: Math.round(os.loadavg()[0]! * 10) / 10,
    // /proc counts in 10 ms ticks: at low rates this is coarse, so it is given with the record count behind it.
    cpuUsPerRecord: pids.map((p, i) => ({ process: p.name, us: Math.round(((cpuAfter[i]! - cpuBefore[i]!) * 1000) / Math.max(1, measuredRecords)) })),
  };
  const rows = stats
    .filter((s) => s.lag.count > 0)
    .map((s) => ({ rate, route: s.route, applied: s.lag.count, p50Ms: s.lag.p50_ms, p99Ms: s.lag.p99_ms, maxMs: s.lag.max_ms, met: s.lag.p99_ms <= 50 }));
  return { rows, appliedSoFar: stats.reduce((n, s) => n + s.applied + s.rejected_identical, 0), cost };
}

async function idleCpu(pids: Pid[]): Promise<Array<{ process: string; cpuPct: number }>> {
  // Let the last writes' commits and heartbeats settle first.
  await sleep(3000);
  const before = pids.map((p) => procCpuMs(p.pid));
  const started = performance.now();
  await sleep(idleSeconds * 1000);
  const wallMs = performance.now() - started;
  return pids.map((p, i) => ({ process: p.name, cpuPct: Math.round(((procCpuMs(p.pid) - before[i]!) / wallMs) * 1000) / 10 }));
}

async function main(): Promise<void> {
  say('starting a Kafka broker per region (the options `xdrgate up` uses) ...');
  const brokers = await Promise.all(REGIONS.map((name) => KafkaBroker.start({ name, logger })));
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-lag-'));
  const regions: RegionProcess[] = [];
  try {
    const kafkaEnv = Object.fromEntries(REGIONS.map((name, i) => [envNameForRegion(name), brokers[i]!.bootstrap]));
    for (const name of REGIONS) regions.push(await startRegion(name, { ...kafkaEnv, XDRGATE_DATA_DIR: path.join(dataRoot, name) }));
    const writers = oneWay ? regions.slice(0, 1) : regions;
    // Every route's consumer joins its group and the first fetches run before anything is timed.
    let appliedSoFar = 0;
    const warm = await Promise.all(writers.map((w) => w.ask({ cmd: 'write', rate: 1000, seconds: 2 })));
    appliedSoFar = (await drained(regions, warm.reduce((n, m) => n + (m.written as number), 0))).reduce((n, s) => n + s.applied + s.rejected_identical, 0);

    const pids = processesOf(regions, brokers);
    const idleBefore = await idleCpu(pids);
    const rows: RouteLagRow[] = [];
    const costs: RateCost[] = [];
    for (const rate of rates) {
      say(`${rate} writes/s ${oneWay ? 'in tokyo' : 'in each region'}: ${warmupSeconds} s warm-up, ${seconds} s measured ...`);
      const r = await lagAt(regions, writers, pids, rate, appliedSoFar);
      appliedSoFar = r.appliedSoFar;
      costs.push(r.cost);
      rows.push(...r.rows);
      // Each rate as it finishes: a long run stopped early still says what it measured.
      for (const row of r.rows) say(`  ${row.route}: applied ${row.applied}, lag p50 / p99 / max ${row.p50Ms} / ${row.p99Ms} / ${row.maxMs} ms (${row.met ? 'p99 ≤ 50 ms' : 'p99 above 50 ms'}); load ${r.cost.loadAvg1m}`);
    }
    const idleAfter = await idleCpu(pids);
    if (idleProfileDir !== '') {
      fs.mkdirSync(idleProfileDir, { recursive: true });
      await Promise.all(regions.map((r) => r.ask({ cmd: 'profile', seconds: idleSeconds, file: path.join(idleProfileDir, `${r.name}-idle.cpuprofile`) })));
      say(`idle CPU profiles of the regions in ${idleProfileDir}`);
    }
    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version };
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine, oneWay, seconds, warmupSeconds, lag: rows, costs, idleCpu: { seconds: idleSeconds, beforeLoad: idleBefore, afterLoad: idleAfter } }, null, 2)}\n`);
      return;
    }
    const costOf = new Map(costs.map((c) => [c.rate, c]));
    say('');
    say(`machine: ${machine.cpus} cores, ${machine.model}, node ${machine.node}`);
    say('| writes/s per region (achieved) | route | applied | lag p50 / p99 / max (ms) | p99 ≤ 50 ms |');
    say('|---|---|---|---|---|');
    for (const r of rows) say(`| ${r.rate} (${costOf.get(r.rate)!.achieved}) | ${r.route} | ${r.applied} | ${r.p50Ms} / ${r.p99Ms} / ${r.maxMs} | ${r.met ? 'yes' : 'no'} |`);
    say('');
    say(`| writes/s per region | load average (1 min) | CPU µs per record written: ${pids.map((p) => p.name).join(' / ')} |`);
    say('|---|---|---|');
    for (const c of costs) say(`| ${c.rate} | ${c.loadAvg1m} | ${c.cpuUsPerRecord.map((x) => x.us).join(' / ')} |`);
    say('');
    say(`idle CPU over ${idleSeconds} s (% of one core), before the load / after it:`);
    for (let i = 0; i < idleBefore.length; i++) say(`  ${idleBefore[i]!.process}: ${idleBefore[i]!.cpuPct}% / ${idleAfter[i]!.cpuPct}%`);
  } finally {
    for (const r of regions) await r.stop();
    await Promise.all(brokers.map((b) => b.close()));
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

await main();
