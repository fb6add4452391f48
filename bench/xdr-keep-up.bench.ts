/**
 * Does replication keep up with the region? In one run, on one Kafka broker:
 *   a. the engine's sustained buffered put rate of 1 KiB records (bench:engine's
 *      record), nothing shipped: what a region can be written at;
 *   b. the rate one route ships those records end to end: a backlog of --records
 *      changes, the route resumed, until the destination (its own process,
 *      bench/xdr-destination.ts, as each region's gateway is) applied them all:
 *      change log -> Kafka -> receiver -> applied;
 *   c. both at once: writes at a fixed rate while the route ships, searched for
 *      the highest rate whose lag stays bounded for --seconds (the destination's
 *      backlog at the end within one second of writes, and the writes achieved),
 *      then lag at half the engine's rate (a).
 * Each figure with CPU µs per record of each process (source: this process,
 * its producer threads included; destination; broker), wire bytes per record
 * (record batches the topic's log grew by: what the producer sent and the
 * consumer fetched, without request framing), lag p50 / p99 / max (destination
 * apply time − source lut) and the load average. Targets: b ≥ 1× a; lag p99 ≤
 * 50 ms at half of a.
 *
 *   npm run bench:xdr-keep-up [-- --seconds 60] [--records 200000] [--steps 5] [--producer-threads N]
 *     [--compression none|gzip|lz4|zstd] [--apply-window N] [--receive-partitions N] [--rate R] [--json]
 *   --rate R: only b and writes at R while shipping (quick A/B runs of one setting)
 *   (also: npm run bench:xdr -- --keep-up ...)
 *
 * Uses $XDRGATE_KAFKA_TOKYO when set (then the broker's CPU and the wire bytes
 * are not measured), else starts (and stops) one broker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Engine } from '../engine/index.js';
import { KafkaBroker } from '../xdr/infra/index.js';
import { PRODUCER_THREADS_DEFAULT, Replication } from '../xdr/replication/index.js';
import type { RegionSpec, RouteCompression, RouteSpec } from '../replication-protocol/index.js';
import { recvSnapshot, startDestination, type Destination, type RecvSnapshot } from './xdr-destination-client.js';
import { processCpuSeconds } from './harness.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const json = process.argv.includes('--json');
const seconds = Number(arg('seconds', '60'));
const backlogRecords = Number(arg('records', '200000'));
const steps = Number(arg('steps', '5'));
/** `--rate R`: only the backlog (b) and writes at R while shipping, for A/B runs of a setting. */
const fixedRate = Number(arg('rate', '0'));
const producerThreads = Number(arg('producer-threads', String(PRODUCER_THREADS_DEFAULT)));
const compression = arg('compression', 'none') as RouteCompression;
const applyWindow = process.argv.includes('--apply-window') ? Number(arg('apply-window', '64')) : undefined;
const receivePartitions = process.argv.includes('--receive-partitions') ? Number(arg('receive-partitions', '4')) : undefined;
const say = (line: string): void => {
  if (!json) process.stdout.write(`${line}\n`);
};
const logger = pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
const PARTITIONS = 8;
/** Keys written in a namespace, cycled in order: a batch of 1000 consecutive changes has no key twice (nothing coalesces), and the data stays bounded. */
const KEY_SPACE = 400_000;
const PAYLOAD = 'p'.repeat(940);

/** bench:engine's record: about 1 KiB once encoded. */
function bins(i: number): Record<string, string | number> {
  return { name: `user-${i}`, plan: 'premium', last_seen: 1_737_500_000 + i, payload: PAYLOAD };
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** CPU ms a process has used so far, from /proc (utime + stime, 100 Hz ticks). */
function procCpuMs(pid: number): number {
  const seconds = processCpuSeconds(pid);
  if (seconds === null) throw new Error(`no CPU figures for pid ${pid}: /proc/${pid}/stat is not readable`);
  return seconds * 1000;
}

/** Bytes of the topic's partition logs on the broker's disk (the record batches as produced). */
function topicBytes(broker: KafkaBroker | null, topic: string): number | null {
  if (broker === null) return null;
  let total = 0;
  const walk = (dir: string, depth: number): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name.startsWith(`${topic}-`)) {
        for (const f of fs.readdirSync(p)) if (f.endsWith('.log')) total += fs.statSync(path.join(p, f)).size;
      } else if (e.isDirectory() && depth > 0) walk(p, depth - 1);
    }
  };
  walk(broker.dataDir, 2);
  return total;
}

/** What one phase measured. */
export interface PhaseFigures {
  phase: string;
  /** Records per second: written (a, c) or shipped and applied (b). */
  rate: number;
  /** For c: the rate asked for. */
  targetRate?: number;
  records: number;
  cpuUsPerRecord: { source: number; destination: number | null; broker: number | null };
  wireBytesPerRecord: number | null;
  lag: { p50Ms: number; p99Ms: number; maxMs: number } | null;
  /** Destination backlog (written, not yet applied) at the end of the window. */
  backlogAtEnd?: number;
  bounded?: boolean;
  loadAvg1m: number;
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

class Bench {
  private written = 0;
  private readonly destination: Destination;
  constructor(
    private readonly engine: Engine,
    private readonly replication: Replication,
    dest: Destination,
    private readonly route: RouteSpec,
    private readonly broker: KafkaBroker | null,
  ) {
    this.destination = dest;
  }

  async recv(): Promise<RecvSnapshot> {
    return recvSnapshot(this.destination);
  }

  async handled(): Promise<number> {
    const r = await this.recv();
    return r.applied + r.rejected_identical;
  }

  put(ns: string, i: number): Promise<unknown> {
    return this.engine.put({ ns, set: 'users', key: `k${i % KEY_SPACE}` }, bins(i));
  }

  /** Writes `count` changes to the shipped namespace as fast as the engine takes them. */
  async writeBacklog(count: number): Promise<void> {
    const inFlight = 64;
    const end = this.written + count;
    const writer = async (): Promise<void> => {
      while (this.written < end) await this.put(this.route.namespace, this.written++);
    };
    await Promise.all(Array.from({ length: inFlight }, writer));
  }

  /** Waits until the destination handled every change written (or `timeoutMs`); returns the backlog left. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let left = this.written - (await this.handled());
    while (left > 0 && performance.now() < deadline) {
      await sleep(50);
      left = this.written - (await this.handled());
    }
    return left;
  }

  async snapshot(): Promise<{ source: number; destination: number; broker: number | null; wire: number | null }> {
    const pid = this.broker?.pid;
    return { source: cpuUs(), destination: (await this.destination.ask('cpu')).cpuUs as number, broker: pid === undefined ? null : procCpuMs(pid) * 1000, wire: topicBytes(this.broker, this.route.topic!) };
  }

  figures(phase: string, rate: number, records: number, before: Awaited<ReturnType<Bench['snapshot']>>, after: Awaited<ReturnType<Bench['snapshot']>>, lag: RecvSnapshot['lag'] | null): PhaseFigures {
    const per = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : round((b - a) / Math.max(1, records), 1));
    return {
      phase,
      rate: Math.round(rate),
      records,
      cpuUsPerRecord: { source: per(before.source, after.source)!, destination: per(before.destination, after.destination), broker: per(before.broker, after.broker) },
      wireBytesPerRecord: per(before.wire, after.wire) === null ? null : Math.round(per(before.wire, after.wire)!),
      lag: lag === null ? null : { p50Ms: lag.p50_ms, p99Ms: lag.p99_ms, maxMs: lag.max_ms },
      loadAvg1m: round(os.loadavg()[0]!, 1),
    };
  }

  /** a. Sustained buffered puts of 1 KiB records into a namespace no route ships. */
  async engineRate(ns: string, durationS: number): Promise<PhaseFigures> {
    // Warm-up: the JIT, and the post-write queue's block buffers faulted in.
    const warm = Date.now() + 2000;
    let i = 0;
    while (Date.now() < warm) await this.put(ns, i++);
    const cpu0 = cpuUs();
    const started = performance.now();
    const end = started + durationS * 1000;
    let n = 0;
    const writer = async (): Promise<void> => {
      while (performance.now() < end) {
        await this.put(ns, i++);
        n++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));
    const rate = n / ((performance.now() - started) / 1000);
    return { phase: 'a. engine puts, no shipping', rate: Math.round(rate), records: n, cpuUsPerRecord: { source: round((cpuUs() - cpu0) / n, 1), destination: null, broker: null }, wireBytesPerRecord: null, lag: null, loadAvg1m: round(os.loadavg()[0]!, 1) };
  }

  /** b. A backlog of `count` changes, then the route resumed: until the destination applied them all. */
  async shipRate(count: number): Promise<PhaseFigures> {
    await this.replication.pauseRoute(this.route.name);
    await this.writeBacklog(count);
    const before = await this.snapshot();
    const started = performance.now();
    await this.replication.resumeRoute(this.route.name);
    const left = await this.drain(600_000);
    if (left > 0) throw new Error(`the destination did not apply ${left} of ${count} records in 10 minutes`);
    const rate = count / ((performance.now() - started) / 1000);
    const after = await this.snapshot();
    return this.figures('b. ship + apply a backlog', rate, count, before, after, null);
  }

  /** Writes at `rate` for `durationS` while the route ships; lag measured from the start (after a 2 s warm-up at the rate). */
  async atRate(phase: string, rate: number, durationS: number): Promise<PhaseFigures> {
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const ns = this.route.namespace;
    const warmEnd = performance.now() + 2000;
    for (let tick = 0; performance.now() < warmEnd; tick++) {
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < perTick; i++) writes.push(this.put(ns, this.written++));
      await Promise.all(writes);
      const wait = warmEnd - 2000 + (tick + 1) * tickMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await this.destination.ask('reset');
    const before = await this.snapshot();
    const writtenBefore = this.written;
    const start = performance.now();
    const end = start + durationS * 1000;
    for (let tick = 0; performance.now() < end; tick++) {
      const wait = start + tick * tickMs - performance.now();
      if (wait > 0) await sleep(wait);
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < perTick; i++) writes.push(this.put(ns, this.written++));
      await Promise.all(writes);
    }
    const achieved = (this.written - writtenBefore) / ((performance.now() - start) / 1000);
    const backlogAtEnd = this.written - (await this.handled());
    const after = await this.snapshot();
    // The lag of what was written in the window, stragglers included.
    await this.drain(120_000);
    const lag = (await this.recv()).lag;
    const f = this.figures(phase, achieved, this.written - writtenBefore, before, after, lag);
    f.targetRate = rate;
    f.backlogAtEnd = backlogAtEnd;
    f.bounded = achieved >= rate * 0.95 && backlogAtEnd <= Math.max(1000, rate);
    return f;
  }
}

async function main(): Promise<void> {
  let broker: KafkaBroker | null = null;
  let brokers = process.env.XDRGATE_KAFKA_TOKYO?.split(',');
  if (brokers === undefined || brokers[0] === '') {
    say('starting a Kafka broker for the benchmark ...');
    broker = await KafkaBroker.start({ name: 'bench-keep-up', logger, fastStartJvm: false, heapMb: 512 });
    brokers = broker.brokers;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-keep-up-'));
  const engine = await Engine.open({
    dataDir,
    regionId: 1,
    namespaces: [
      { name: 'put', filesize: 2 * 1024 ** 3, writeBlockSize: 1024 * 1024, nsupPeriod: 0 },
      { name: 'ship', filesize: 2 * 1024 ** 3, writeBlockSize: 1024 * 1024, nsupPeriod: 0 },
    ],
  });
  const stamp = Date.now().toString(36);
  const regions: RegionSpec[] = [
    { name: `tk${stamp}`, id: 1, kafka: { brokers } },
    { name: `va${stamp}`, id: 2, kafka: { brokers } },
  ];
  const route: RouteSpec = { name: `keep-up-${stamp}`, source: regions[0]!.name, destination: regions[1]!.name, namespace: 'ship', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, topic: `bench-keep-up-${stamp}`, compression };
  const replication = new Replication({ regions, logger, topics: { partitions: PARTITIONS }, region: { name: regions[0]!.name, id: 1 }, engine, producerThreads });
  const destination = await startDestination({ regions, route, ns: 'ship', partitions: PARTITIONS, ...(applyWindow === undefined ? {} : { applyWindow }), ...(receivePartitions === undefined ? {} : { receivePartitionsAtOnce: receivePartitions }) });
  const bench = new Bench(engine, replication, destination, route, broker);
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version };
  const settings = { seconds, backlogRecords, producerThreads, compression, applyWindow: applyWindow ?? 'default', receivePartitions: receivePartitions ?? 'default', partitions: PARTITIONS };
  try {
    await replication.upsertRoute(route);
    // The destination joins its group and both sides warm up.
    await bench.writeBacklog(5000);
    if ((await bench.drain(120_000)) > 0) throw new Error('the destination did not catch up with the warm-up writes');

    if (fixedRate > 0) {
      // A/B runs of one setting: the backlog, then writes at one rate while shipping.
      const b = await bench.shipRate(backlogRecords);
      const f = await bench.atRate('c. write + ship + apply', fixedRate, seconds);
      if (json) process.stdout.write(`${JSON.stringify({ machine, settings, ship: b, atRate: f }, null, 2)}\n`);
      else for (const x of [b, f]) say(`| ${x.phase} | ${x.rate} | ${x.cpuUsPerRecord.source} / ${x.cpuUsPerRecord.destination} / ${x.cpuUsPerRecord.broker} | ${x.wireBytesPerRecord} | ${x.lag === null ? '–' : `${x.lag.p50Ms} / ${x.lag.p99Ms} / ${x.lag.maxMs}`} | ${x.bounded ?? ''} | ${x.loadAvg1m} |`);
      return;
    }
    say(`a. engine puts for ${seconds} s ...`);
    const a = await bench.engineRate('put', seconds);
    say(`   ${a.rate} puts/s`);
    say(`b. shipping a backlog of ${backlogRecords} records ...`);
    const b = await bench.shipRate(backlogRecords);
    say(`   ${b.rate} records/s`);

    // c. The highest rate whose lag stays bounded, between 0 and the engine's rate.
    const search: PhaseFigures[] = [];
    let lo = 0;
    let hi = a.rate;
    let rate = Math.min(a.rate, Math.round(b.rate * 0.9));
    for (let step = 0; step < steps; step++) {
      rate = Math.max(1000, Math.round(rate / 500) * 500);
      say(`c. writes at ${rate}/s for ${seconds} s while shipping ...`);
      const f = await bench.atRate('c. write + ship + apply', rate, seconds);
      search.push(f);
      say(`   achieved ${f.rate}/s, backlog at end ${f.backlogAtEnd}, lag ${f.lag?.p50Ms} / ${f.lag?.p99Ms} / ${f.lag?.maxMs} ms: ${f.bounded ? 'bounded' : 'not bounded'}`);
      if (f.bounded) lo = rate;
      else hi = rate;
      rate = Math.round((lo + hi) / 2);
      if (hi - lo <= Math.max(1000, hi * 0.05)) break;
    }
    const keepUp = search.filter((f) => f.bounded).sort((x, y) => y.targetRate! - x.targetRate!)[0] ?? null;
    const half = Math.round(a.rate / 2);
    say(`half of the engine's rate: writes at ${half}/s for ${seconds} s while shipping ...`);
    const c = await bench.atRate('c. at half the engine rate', half, seconds);
    const ratio = round(b.rate / a.rate, 2);
    const targets = {
      shipVsEngine: { ratio, target: '>= 1', met: ratio >= 1 },
      lagAtHalf: { p99Ms: c.lag?.p99Ms ?? null, target: '<= 50 ms', met: c.bounded === true && (c.lag?.p99Ms ?? Infinity) <= 50 },
    };
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine, settings, engine: a, ship: b, search, keepUp, half: c, targets }, null, 2)}\n`);
      return;
    }
    say('');
    say(`machine: ${machine.cpus} cores, ${machine.model}, node ${machine.node}; ${JSON.stringify(settings)}`);
    say('| phase | records/s | CPU µs/record source / destination / broker | wire B/record | lag p50 / p99 / max ms | bounded | load |');
    say('|---|---:|---|---:|---|---|---:|');
    for (const f of [a, b, ...search, c]) {
      const cpu = [f.cpuUsPerRecord.source, f.cpuUsPerRecord.destination ?? '–', f.cpuUsPerRecord.broker ?? '–'].join(' / ');
      const lag = f.lag === null ? '–' : `${f.lag.p50Ms} / ${f.lag.p99Ms} / ${f.lag.maxMs}`;
      const rateCell = f.targetRate === undefined ? String(f.rate) : `${f.rate} (asked ${f.targetRate})`;
      say(`| ${f.phase} | ${rateCell} | ${cpu} | ${f.wireBytesPerRecord ?? '–'} | ${lag} | ${f.bounded === undefined ? '' : f.bounded ? 'yes' : 'no'} | ${f.loadAvg1m} |`);
    }
    say(`keep-up rate (highest bounded): ${keepUp === null ? 'none found' : `${keepUp.targetRate}/s`}`);
    say(`ship + apply vs engine puts: ${ratio}× (target ≥ 1: ${targets.shipVsEngine.met ? 'met' : 'not met'}); lag p99 at half the engine rate: ${c.lag?.p99Ms} ms (target ≤ 50: ${targets.lagAtHalf.met ? 'met' : 'not met'})`);
  } finally {
    await replication.stop();
    await destination.stop();
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await broker?.close();
  }
}

await main();
