/**
 * The gateway's HTTP API against Redis, same machine, same run, same values,
 * same client, same concurrency:
 *   - puts/s and gets/s through PUT/GET /v1/records of the gateway
 *   - SET/GET of the same values on Redis
 *   - the ratio (goal: ≥ 0.5× Redis), and GET /healthz as the floor of HTTP itself
 * Both servers are driven by the same load generator (bench/wire-load.ts: raw
 * TCP, requests built once as bytes, `--concurrency` connections each with
 * `--depth` requests in flight — 1 by default, as an HTTP/1.1 client without
 * pipelining has), so neither side is flattered by a cheaper client or by more
 * requests in flight. The generator's own CPU is reported beside every figure.
 * The gateway runs as its own process (`xdrgate serve --standalone`, the device
 * namespace user_data of config/tokyo.yaml) so it does not share an event loop
 * with the load generator.
 *
 * The cases alternate (gateway put, Redis set, gateway get, Redis get) for
 * `--rounds` rounds and each figure is the median over the rounds, so a change
 * in the machine's other load during the run falls on both servers alike.
 *
 *   npm run bench:http [-- --seconds 3] [--rounds 3] [--concurrency 32] [--depth 1] [--value-bytes 1024] [--keys 10000] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ensureRedis, freePort } from '../xdr/infra/index.js';
import { driveLoad, httpReplies, httpRequest, respCommand, respReplies, type LoadResult } from './wire-load.js';
import { arg, json, processCpuSeconds } from './harness.js';

const seconds = arg('seconds', 3);
const rounds = Math.max(1, arg('rounds', 3));
const concurrency = arg('concurrency', 32);
const depth = arg('depth', 1);
const valueBytes = arg('value-bytes', 1024);
const keys = arg('keys', 10_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};


/** A case's result plus the server's CPU per request (µs), which other load on the machine moves far less than throughput. */
interface CaseResult extends LoadResult {
  serverCpuUsPerOp: number | null;
}

async function measured(serverPid: number | undefined, run: () => Promise<LoadResult>): Promise<CaseResult> {
  const before = processCpuSeconds(serverPid);
  const result = await run();
  const after = processCpuSeconds(serverPid);
  const ops = result.ops;
  const serverCpuUsPerOp = before === null || after === null || ops === 0 ? null : Math.round(((after - before) / ops) * 1e6 * 10) / 10;
  return { ...result, serverCpuUsPerOp };
}

async function redisPid(url: string): Promise<number | undefined> {
  const client = new Redis(url, { lazyConnect: true });
  try {
    await client.connect();
    const info = await client.info('server');
    const match = /process_id:(\d+)/.exec(info);
    return match ? Number(match[1]) : undefined;
  } finally {
    client.disconnect();
  }
}

/** The run with the median throughput (its latencies and client CPU come with it). */
function median(results: CaseResult[]): CaseResult {
  const sorted = [...results].sort((a, b) => a.opsPerSec - b.opsPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function startGateway(port: number, dataDir: string, redisUrl: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--standalone', '--config', path.join(root, 'config', 'tokyo.yaml')], {
    env: { ...process.env, XDRGATE_LISTEN: `127.0.0.1:${port}`, XDRGATE_SERVICE: '127.0.0.1:0', XDRGATE_DATA_DIR: dataDir, XDRGATE_REDIS_URL: redisUrl, XDRGATE_REDIS_PREFIX: prefix, XDRGATE_LOG_LEVEL: 'warn' },
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
  const redisAddress = new URL(redisHandle.url);
  const redisPort = Number(redisAddress.port || 6379);
  const redisHost = redisAddress.hostname || '127.0.0.1';
  const port = await freePort();
  log(`gateway (standalone, device namespace user_data) on :${port}, Redis ${redisHandle.url}; ${concurrency} connections × ${depth} in flight, ${valueBytes}-byte values, ${keys} keys, ${rounds} rounds of ${seconds}s per case`);
  const gateway = await startGateway(port, dataDir, redisHandle.url, prefix);
  try {
    const value = 'x'.repeat(valueBytes);
    const body = JSON.stringify({ bins: { v: value } });
    const host = `127.0.0.1:${port}`;
    const recordPath = (i: number) => `/v1/records/user_data/bench/k${i}`;
    const http = (requests: Buffer[], options: { total?: number; seconds?: number } = {}) =>
      driveLoad({ port, connections: concurrency, depth, seconds: options.seconds ?? seconds, ...(options.total ? { total: options.total } : {}), requests, replies: httpReplies });
    const redis = (requests: Buffer[], options: { total?: number; seconds?: number } = {}) =>
      driveLoad({ port: redisPort, host: redisHost, connections: concurrency, depth, seconds: options.seconds ?? seconds, ...(options.total ? { total: options.total } : {}), requests, replies: respReplies });

    const puts = Array.from({ length: keys }, (_, i) => httpRequest('PUT', recordPath(i), host, body));
    const gets = Array.from({ length: keys }, (_, i) => httpRequest('GET', recordPath(i), host));
    const sets = Array.from({ length: keys }, (_, i) => respCommand('SET', `${prefix}bench:${i}`, body));
    const redisGets = Array.from({ length: keys }, (_, i) => respCommand('GET', `${prefix}bench:${i}`));

    // Every key written once first (the measured gets all hit), which also warms the JIT.
    const preload = await http(puts, { total: keys, seconds: 120 });
    if (preload.errors > 0) throw new Error(`${preload.errors} of the ${keys} preload puts failed`);
    await redis(sets, { total: keys, seconds: 120 });
    // One unmeasured second of every case, so the first round is not the JIT's warm-up.
    for (const warm of [() => http(puts, { seconds: 1 }), () => http(gets, { seconds: 1 }), () => redis(sets, { seconds: 1 }), () => redis(redisGets, { seconds: 1 })]) await warm();

    const gatewayPid = gateway.pid;
    const redisServerPid = await redisPid(redisHandle.url);
    const runs: Record<'httpPut' | 'redisSet' | 'httpGet' | 'redisGet' | 'httpFloor', CaseResult[]> = { httpPut: [], redisSet: [], httpGet: [], redisGet: [], httpFloor: [] };
    for (let round = 1; round <= rounds; round++) {
      runs.httpPut.push(await measured(gatewayPid, () => http(puts)));
      runs.redisSet.push(await measured(redisServerPid, () => redis(sets)));
      runs.httpGet.push(await measured(gatewayPid, () => http(gets)));
      runs.redisGet.push(await measured(redisServerPid, () => redis(redisGets)));
      // The floor: the same server and client answering GET /healthz, no engine,
      // shows how much of a record request is HTTP itself on this machine.
      runs.httpFloor.push(await measured(gatewayPid, () => http([httpRequest('GET', '/healthz', host)])));
      const last = (name: keyof typeof runs) => runs[name].at(-1)!.opsPerSec;
      log(`round ${round}/${rounds}: xdrgate put ${last('httpPut')}/s, redis set ${last('redisSet')}/s, xdrgate get ${last('httpGet')}/s, redis get ${last('redisGet')}/s, /healthz ${last('httpFloor')}/s (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    await redis(Array.from({ length: keys }, (_, i) => respCommand('DEL', `${prefix}bench:${i}`)), { total: keys, seconds: 120 });
    const httpPut = median(runs.httpPut);
    const redisSet = median(runs.redisSet);
    const httpGet = median(runs.httpGet);
    const redisGet = median(runs.redisGet);
    const httpFloor = median(runs.httpFloor);

    const ratio = (a: LoadResult, b: LoadResult) => Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100;
    const result = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { seconds, rounds, concurrency, depth, valueBytes, keys, namespace: 'user_data (device, commit-to-device false)', client: 'bench/wire-load.ts for both servers: raw TCP, prebuilt requests, keep-alive' },
      put: { xdrgate: httpPut, redis: redisSet, ratio: ratio(httpPut, redisSet), goal: 0.5, rounds: runs.httpPut.map((r, i) => ({ xdrgate: r.opsPerSec, redis: runs.redisSet[i]!.opsPerSec })) },
      get: { xdrgate: httpGet, redis: redisGet, ratio: ratio(httpGet, redisGet), goal: 0.5, rounds: runs.httpGet.map((r, i) => ({ xdrgate: r.opsPerSec, redis: runs.redisGet[i]!.opsPerSec })) },
      httpFloor: { healthz: httpFloor, note: 'same server and client, no engine: the HTTP cost alone' },
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const cpu = (r: CaseResult) => (r.serverCpuUsPerOp === null ? 'n/a' : r.serverCpuUsPerOp.toFixed(1));
      const row = (name: string, a: LoadResult, b: LoadResult) =>
        `${name.padEnd(5)} ${String(a.opsPerSec).padStart(9)} ${a.p50Ms.toFixed(2).padStart(8)} ${a.p99Ms.toFixed(2).padStart(8)}   ${String(b.opsPerSec).padStart(9)} ${b.p50Ms.toFixed(2).padStart(8)} ${b.p99Ms.toFixed(2).padStart(8)}   ${ratio(a, b).toFixed(2).padStart(5)}× (goal ≥ 0.5×)`;
      process.stdout.write(
        [
          '',
          `medians of ${rounds} alternated rounds`,
          `op    xdrgate/s  p50 ms   p99 ms       redis/s  p50 ms   p99 ms   ratio`,
          row('put', httpPut, redisSet),
          row('get', httpGet, redisGet),
          `http floor (GET /healthz, no engine): ${httpFloor.opsPerSec}/s p50 ${httpFloor.p50Ms.toFixed(2)} ms p99 ${httpFloor.p99Ms.toFixed(2)} ms`,
          `server CPU per request: xdrgate put ${cpu(httpPut)} get ${cpu(httpGet)} /healthz ${cpu(httpFloor)}; redis set ${cpu(redisSet)} get ${cpu(redisGet)} (µs, user + system)`,
          `client CPU: put ${httpPut.clientCpuPct} % get ${httpGet.clientCpuPct} % set ${redisSet.clientCpuPct} % get ${redisGet.clientCpuPct} % of one core`,
          `errors: xdrgate put ${httpPut.errors} get ${httpGet.errors}, redis set ${redisSet.errors} get ${redisGet.errors}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
    await redisHandle.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
