/**
 * The gateway's HTTP API against Redis, same machine, same run, same values,
 * same concurrency:
 *   - puts/s and gets/s through PUT/GET /v1/records, driven by autocannon
 *     (keep-alive HTTP/1.1, a fixed number of connections each with one request
 *     in flight, requests built once — a client far cheaper than node:http, so
 *     the two shared cores go to the server, not the load generator)
 *   - SET/GET of the same values through ioredis with the same number of
 *     workers, each with one command in flight
 *   - the ratio (goal: ≥ 0.5× Redis)
 * The gateway runs as its own process (`xdrgate serve --standalone`, a device
 * namespace from config/tokyo.yaml) so it does not share an event loop with the
 * load generator.
 *
 *   npm run bench:http [-- --seconds 5] [--concurrency 32] [--value-bytes 1024] [--keys 10000] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ensureRedis, freePort } from '../xdr/infra/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const seconds = arg('seconds', 5);
const concurrency = arg('concurrency', 32);
const valueBytes = arg('value-bytes', 1024);
const keys = arg('keys', 10_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

interface Result {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Redis side: `concurrency` workers, each with one command in flight, for `seconds`; latencies kept per sample (a bench may). */
async function drive(op: (i: number) => Promise<boolean>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = n++;
      const t0 = performance.now();
      const ok = await op(i).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedSec = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 1000) / 1000;
  return { opsPerSec: Math.round(latencies.length / elapsedSec), p50Ms: pct(0.5), p99Ms: pct(0.99), errors };
}

/** autocannon against the gateway: `paths(i)` gives the i-th request's path (keys rotate). */
async function cannon(port: number, method: 'PUT' | 'GET', paths: (i: number) => string, body?: string): Promise<Result> {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: concurrency,
    pipelining: 1,
    duration: seconds,
    requests: [
      {
        method,
        path: paths(0),
        ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
        setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths(i++) }),
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { opsPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors };
}

async function startGateway(port: number, dataDir: string, redisUrl: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--standalone', '--config', path.join(root, 'config', 'tokyo.yaml')], {
    env: { ...process.env, XDRGATE_LISTEN: `127.0.0.1:${port}`, XDRGATE_DATA_DIR: dataDir, XDRGATE_REDIS_URL: redisUrl, XDRGATE_REDIS_PREFIX: prefix, XDRGATE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ready) return child;
    await sleep(200);
  }
  throw new Error('gateway not ready after 60 s');
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-http-'));
  const prefix = `bench-${process.pid}:`;
  const redisHandle = await ensureRedis();
  const port = await freePort();
  log(`gateway (standalone, device namespace user_data) on :${port}, Redis ${redisHandle.url}; ${concurrency} workers, ${valueBytes}-byte values, ${seconds}s per case`);
  const gateway = await startGateway(port, dataDir, redisHandle.url, prefix);
  const redis = new Redis(redisHandle.url, { lazyConnect: true });
  await redis.connect();
  try {
    const value = 'x'.repeat(valueBytes);
    const body = JSON.stringify({ bins: { v: value } });
    const recordPath = (i: number) => `/v1/records/user_data/bench/k${i % keys}`;

    // Write every key once first, so the measured gets all hit, and warm the JIT.
    for (let i = 0; i < keys; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, keys - i) }, (_, j) => fetch(`http://127.0.0.1:${port}${recordPath(i + j)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer())));
    }
    const httpPut = await cannon(port, 'PUT', recordPath, body);
    log(`xdrgate PUT  ${httpPut.opsPerSec} ops/s`);
    const httpGet = await cannon(port, 'GET', recordPath);
    log(`xdrgate GET  ${httpGet.opsPerSec} ops/s`);
    // The floor: the same server and client answering GET /healthz, no engine,
    // shows how much of a record request is HTTP itself on this machine.
    const httpFloor = await cannon(port, 'GET', () => '/healthz');
    log(`xdrgate GET /healthz ${httpFloor.opsPerSec} ops/s`);
    const redisKey = (i: number) => `${prefix}bench:${i % keys}`;
    for (let i = 0; i < keys; i += 100) await Promise.all(Array.from({ length: Math.min(100, keys - i) }, (_, j) => redis.set(redisKey(i + j), body)));
    const redisSet = await drive(async (i) => (await redis.set(redisKey(i), body)) === 'OK');
    log(`redis   SET  ${redisSet.opsPerSec} ops/s`);
    const redisGet = await drive(async (i) => (await redis.get(redisKey(i))) !== null);
    log(`redis   GET  ${redisGet.opsPerSec} ops/s`);

    const ratio = (a: Result, b: Result) => Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100;
    const result = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown' },
      settings: { seconds, concurrency, valueBytes, keys, namespace: 'user_data (device, commit-to-device false)', httpClient: 'autocannon 9, keep-alive, pipelining 1', redisClient: 'ioredis, one connection' },
      put: { xdrgate: httpPut, redis: redisSet, ratio: ratio(httpPut, redisSet), goal: 0.5 },
      get: { xdrgate: httpGet, redis: redisGet, ratio: ratio(httpGet, redisGet), goal: 0.5 },
      httpFloor: { healthz: httpFloor, note: 'same server and client, no engine: the HTTP cost alone' },
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const row = (name: string, a: Result, b: Result) =>
        `${name.padEnd(5)} ${String(a.opsPerSec).padStart(9)} ${a.p50Ms.toFixed(2).padStart(8)} ${a.p99Ms.toFixed(2).padStart(8)}   ${String(b.opsPerSec).padStart(9)} ${b.p50Ms.toFixed(2).padStart(8)} ${b.p99Ms.toFixed(2).padStart(8)}   ${ratio(a, b).toFixed(2).padStart(5)}× (goal ≥ 0.5×)`;
      process.stdout.write(
        [
          '',
          `op    xdrgate/s  p50 ms   p99 ms       redis/s  p50 ms   p99 ms   ratio`,
          row('put', httpPut, redisSet),
          row('get', httpGet, redisGet),
          `http floor (GET /healthz, no engine): ${httpFloor.opsPerSec}/s p50 ${httpFloor.p50Ms.toFixed(2)} ms p99 ${httpFloor.p99Ms.toFixed(2)} ms`,
          `errors: xdrgate put ${httpPut.errors} get ${httpGet.errors}, redis set ${redisSet.errors} get ${redisGet.errors}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    const stale = await redis.keys(`${prefix}*`);
    if (stale.length > 0) await redis.del(...stale);
    redis.disconnect();
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
    await redisHandle.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
