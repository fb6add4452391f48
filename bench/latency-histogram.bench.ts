/**
 * What a latency observation costs on the hot path, against its peer in the
 * same run: the gateway's log-linear histogram (what the service port, the
 * HTTP server and the engine record into; /metrics' histograms are read from
 * it at scrape time) vs prom-client's Histogram with the same 18 buckets
 * (what instrumenting each request directly would cost). Also whether the
 * hot path allocates (garbage collections during the observations: a
 * scavenge runs every few MB allocated, so none means no allocation per
 * observation) and what a scrape of the histograms costs.
 *
 *   npm run bench:histograms [-- --observations 5000000] [--rounds 5] [--json]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import os from 'node:os';
import { Histogram, Registry } from 'prom-client';
import { LatencyHistogram, OpsStats } from '../engine/stats/index.js';
import { ServiceStats, SERVICE_COMMANDS } from '../xdr/aerospike/stats.js';
import { HttpLatency } from '../xdr/http/request-latency.js';
import { BUCKET_LE, createGatewayMetrics, type StatsSource } from '../xdr/metrics/index.js';
import type { NamespaceStatsSnapshot } from '../engine/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const OBSERVATIONS = arg('observations', 5_000_000);
const ROUNDS = arg('rounds', 5);

/** Durations spread over 20 µs .. 200 ms (log-uniform), drawn once so the loops time the observation only. */
const DURATIONS_NS = new Float64Array(4096);
for (let i = 0; i < DURATIONS_NS.length; i++) DURATIONS_NS[i] = 20_000 * 10_000 ** Math.random();

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });
/** Lets pending GC entries arrive before they are counted. */
const settle = () => new Promise((r) => setImmediate(r));

interface Result {
  case: string;
  nsPerObservation: number;
  gcsPerMillion: number;
  /** Heap growth per observation over 100,000 of them, in a probe no GC interrupted (null: every probe was). */
  bytesPerObservation: number | null;
}

/**
 * Heap growth per observation while no GC ran: young-generation allocation
 * shows up as used heap until the next scavenge. The smallest of several
 * probes that no GC interrupted (a collection shrinks the heap, and its entry
 * may arrive late), since allocation only ever adds.
 */
async function bytesPer(observe: (i: number) => void): Promise<number | null> {
  const n = 100_000;
  let best: number | null = null;
  for (let attempt = 0; attempt < 8; attempt++) {
    await settle();
    const gcBefore = gcs;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < n; i++) observe(i);
    const after = process.memoryUsage().heapUsed;
    await settle();
    if (gcs !== gcBefore || after < before) continue;
    const perObservation = Math.round(((after - before) / n) * 100) / 100;
    best = best === null ? perObservation : Math.min(best, perObservation);
  }
  return best;
}

async function measure(name: string, observe: (i: number) => void): Promise<Result> {
  for (let i = 0; i < 200_000; i++) observe(i); // warm-up: optimised code, histograms created
  const perOp: number[] = [];
  let gcTotal = 0;
  for (let r = 0; r < ROUNDS; r++) {
    await settle();
    const gcBefore = gcs;
    const started = process.hrtime.bigint();
    for (let i = 0; i < OBSERVATIONS; i++) observe(i);
    const elapsed = Number(process.hrtime.bigint() - started);
    await settle();
    gcTotal += gcs - gcBefore;
    perOp.push(elapsed / OBSERVATIONS);
  }
  perOp.sort((a, b) => a - b);
  const bytes = await bytesPer(observe);
  return { case: name, nsPerObservation: Math.round(perOp[Math.floor(perOp.length / 2)]! * 10) / 10, gcsPerMillion: Math.round((gcTotal / (ROUNDS * OBSERVATIONS)) * 1e6 * 100) / 100, bytesPerObservation: bytes };
}

const MASK = DURATIONS_NS.length - 1;
const results: Result[] = [];

const hist = new LatencyHistogram();
results.push(await measure('LatencyHistogram.record (service port, engine, HTTP)', (i) => hist.record(DURATIONS_NS[i & MASK]!)));

const service = new ServiceStats();
const now = performance.now();
results.push(await measure('ServiceStats.record (command lookup, count, performance.now)', (i) => service.record('read', i & 1, now)));

const http = new HttpLatency();
results.push(await measure('HttpLatency.record (method and route lookup)', (i) => http.record('GET', '/v1/records/:ns/:set/:key', DURATIONS_NS[i & MASK]! / 1e6)));

// The clock alone: performance.now() returns a fresh heap number (16 bytes), the one allocation of the service port's accounting.
const clock = new Float64Array(1);
results.push(await measure('clock alone: performance.now()', () => (clock[0] = performance.now())));

const registry = new Registry();
const buckets = BUCKET_LE.map(Number);
const peer = new Histogram({ name: 'peer_seconds', help: 'peer', labelNames: ['command'], buckets, registers: [registry] });
results.push(await measure('peer: prom-client Histogram.observe({command}, s)', (i) => peer.observe({ command: 'read' }, DURATIONS_NS[i & MASK]! / 1e9)));
const child = peer.labels('read');
results.push(await measure('peer: prom-client labelled child .observe(s)', (i) => child.observe(DURATIONS_NS[i & MASK]! / 1e9)));

// The scrape side: buckets() of one histogram, and a whole /metrics render with every histogram family filled.
const scrape: Record<string, number> = {};
{
  const started = process.hrtime.bigint();
  const n = 20_000;
  for (let i = 0; i < n; i++) hist.buckets();
  scrape.bucketsUs = Math.round(Number(process.hrtime.bigint() - started) / n / 10) / 100;
}
{
  for (const c of SERVICE_COMMANDS) for (let i = 0; i < 1000; i++) service.record(c, 0, now);
  const ops = new OpsStats();
  for (const op of ['read', 'write', 'delete', 'touch', 'operate', 'batch', 'scan', 'query', 'apply'] as const) for (let i = 0; i < 1000; i++) ops.record(op, 'success', DURATIONS_NS[i & MASK]!);
  for (let r = 0; r < 20; r++) http.record(r % 2 ? 'GET' : 'PUT', `/v1/route/${r}`, 1);
  const namespace = { ns: 'user_data', storage_engine: 'device', ...ops.snapshot() } as unknown as NamespaceStatsSnapshot;
  const source: StatsSource = {
    region: 'bench',
    replication: () => ({ ship: [], receive: [] }),
    namespaces: () => [namespace],
    http: () => ({ requests: 0, errors4xx: 0, errors5xx: 0 }),
    httpLatency: () => http.rows(),
    service: () => service.snapshot(),
  };
  const metrics = createGatewayMetrics(source, { processMetrics: false, hostMemoryBytes: 1 });
  const text = await metrics.render();
  scrape.histogramSeries = text.split('\n').filter((l) => l.startsWith('xdrgate_') && l.includes('_duration_seconds_count')).length;
  const rounds = 200;
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await metrics.render();
  scrape.renderMs = Math.round(Number(process.hrtime.bigint() - started) / rounds / 1e4) / 100;
}

const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, load1: Math.round(os.loadavg()[0]! * 10) / 10 };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, observations: OBSERVATIONS, rounds: ROUNDS, results, scrape }, null, 2)}\n`);
} else {
  process.stdout.write(`latency observation cost: ${OBSERVATIONS.toLocaleString('en')} observations x ${ROUNDS} rounds, median round; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.load1}\n\n`);
  process.stdout.write(`${'case'.padEnd(64)}${'ns/obs'.padStart(8)}${'GCs per 1M obs'.padStart(16)}${'bytes/obs'.padStart(11)}\n`);
  for (const r of results) process.stdout.write(`${r.case.padEnd(64)}${String(r.nsPerObservation).padStart(8)}${String(r.gcsPerMillion).padStart(16)}${String(r.bytesPerObservation ?? 'n/a').padStart(11)}\n`);
  process.stdout.write(`\nscrape: buckets() of one histogram ${scrape.bucketsUs} µs; /metrics render with ${scrape.histogramSeries} histogram series ${scrape.renderMs} ms\n`);
}
process.exit(0);
