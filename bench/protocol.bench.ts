/**
 * The Aerospike service port against Redis, same machine, same run, same
 * values, same client, same concurrency (the bench:http method, applied to
 * the binary protocol):
 *   - puts/s and gets/s of AS_MSG requests (what the official clients send:
 *     digest-addressed, one string bin) on the gateway's service port
 *   - SET/GET of the same values on Redis
 *   - the server CPU per request of both, which other load on the machine
 *     moves far less than throughput: the figure to compare with the engine's
 *     own put/get cost (bench:engine).
 * Both servers are driven by bench/wire-load.ts (raw TCP, requests built once
 * as bytes, `--concurrency` connections each with `--depth` requests in
 * flight). The gateway runs as its own process (`xdrgate serve --standalone`,
 * the device namespace user_data of config/tokyo.yaml as shipped — durability
 * commit-to-device, so a put waits for the group fdatasync — service port on).
 *
 *   npm run bench:protocol [-- --seconds 3] [--rounds 3] [--concurrency 32] [--depth 1] [--value-bytes 1024] [--keys 10000] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Info1, Info2, OpType, ParticleType } from '../aerospike-protocol/index.js';
import { ensureRedis, freePort } from '../xdr/infra/index.js';
import { keyFields, msgFrame } from '../test/helpers/aerospike-wire.js';
import { driveLoad, respCommand, respReplies, type LoadResult, type ReplyParser } from './wire-load.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
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

/** AS_MSG replies: the proto header's 48-bit size says where a reply ends; result code 0 is success. */
const asReplies: ReplyParser = {
  parse(buf, start) {
    if (buf.length - start < 8) return null;
    const end = start + 8 + buf.readUIntBE(start + 2, 6);
    return end <= buf.length ? { end, ok: buf[start + 8 + 5] === 0 } : null;
  },
};

function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface CaseResult extends LoadResult {
  serverCpuUsPerOp: number | null;
}

async function measured(pid: number | undefined, run: () => Promise<LoadResult>): Promise<CaseResult> {
  const before = cpuSecondsOf(pid);
  const result = await run();
  const after = cpuSecondsOf(pid);
  const serverCpuUsPerOp = before === null || after === null || result.ops === 0 ? null : Math.round(((after - before) / result.ops) * 1e6 * 10) / 10;
  return { ...result, serverCpuUsPerOp };
}

function median(results: CaseResult[]): CaseResult {
  return [...results].sort((a, b) => a.opsPerSec - b.opsPerSec)[Math.floor(results.length / 2)]!;
}

async function redisPid(url: string): Promise<number | undefined> {
  const client = new Redis(url, { lazyConnect: true });
  try {
    await client.connect();
    const match = /process_id:(\d+)/.exec(await client.info('server'));
    return match ? Number(match[1]) : undefined;
  } finally {
    client.disconnect();
  }
}

async function startGateway(httpPort: number, servicePort: number, dataDir: string, redisUrl: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--standalone', '--config', path.join(root, 'config', 'tokyo.yaml')], {
    env: {
      ...process.env,
      XDRGATE_LISTEN: `127.0.0.1:${httpPort}`,
      XDRGATE_SERVICE: `127.0.0.1:${servicePort}`,
      XDRGATE_DATA_DIR: dataDir,
      XDRGATE_REDIS_URL: redisUrl,
      XDRGATE_REDIS_PREFIX: prefix,
      XDRGATE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with code ${child.exitCode}`);
    // The service port is bound before the gateway is ready; /readyz says when it serves.
    const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined);
    if (res?.status === 200) return child;
    await sleep(200);
  }
  throw new Error('gateway not ready after 60 s');
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-protocol-'));
  const prefix = `bench-${process.pid}:`;
  const redisHandle = await ensureRedis();
  const redisAddress = new URL(redisHandle.url);
  const redisPort = Number(redisAddress.port || 6379);
  const redisHost = redisAddress.hostname || '127.0.0.1';
  const [httpPort, servicePort] = [await freePort(), await freePort()];
  log(`gateway (standalone, device namespace user_data) service port :${servicePort}, Redis ${redisHandle.url}; ${concurrency} connections × ${depth} in flight, ${valueBytes}-byte values, ${keys} keys, ${rounds} rounds of ${seconds}s per case`);
  const gateway = await startGateway(httpPort, servicePort, dataDir, redisHandle.url, prefix);
  try {
    const value = Buffer.from('x'.repeat(valueBytes));
    const puts = Array.from({ length: keys }, (_, i) =>
      msgFrame({ info2: Info2.WRITE, fields: keyFields('user_data', 'bench', `k${i}`), ops: [{ type: OpType.WRITE, particle: ParticleType.STRING, name: 'v', value }] }),
    );
    const gets = Array.from({ length: keys }, (_, i) => msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('user_data', 'bench', `k${i}`) }));
    const sets = Array.from({ length: keys }, (_, i) => respCommand('SET', `${prefix}bench:${i}`, value));
    const redisGets = Array.from({ length: keys }, (_, i) => respCommand('GET', `${prefix}bench:${i}`));
    const as = (requests: Buffer[], o: { total?: number; seconds?: number } = {}) =>
      driveLoad({ port: servicePort, connections: concurrency, depth, seconds: o.seconds ?? seconds, ...(o.total ? { total: o.total } : {}), requests, replies: asReplies });
    const redis = (requests: Buffer[], o: { total?: number; seconds?: number } = {}) =>
      driveLoad({ port: redisPort, host: redisHost, connections: concurrency, depth, seconds: o.seconds ?? seconds, ...(o.total ? { total: o.total } : {}), requests, replies: respReplies });

    const preload = await as(puts, { total: keys, seconds: 120 });
    if (preload.errors > 0) throw new Error(`${preload.errors} of the ${keys} preload puts failed`);
    await redis(sets, { total: keys, seconds: 120 });
    for (const warm of [() => as(puts, { seconds: 1 }), () => as(gets, { seconds: 1 }), () => redis(sets, { seconds: 1 }), () => redis(redisGets, { seconds: 1 })]) await warm();

    const runs: Record<'asPut' | 'redisSet' | 'asGet' | 'redisGet', CaseResult[]> = { asPut: [], redisSet: [], asGet: [], redisGet: [] };
    const redisServerPid = await redisPid(redisHandle.url);
    for (let round = 1; round <= rounds; round++) {
      runs.asPut.push(await measured(gateway.pid, () => as(puts)));
      runs.redisSet.push(await measured(redisServerPid, () => redis(sets)));
      runs.asGet.push(await measured(gateway.pid, () => as(gets)));
      runs.redisGet.push(await measured(redisServerPid, () => redis(redisGets)));
      const last = (name: keyof typeof runs) => runs[name].at(-1)!.opsPerSec;
      log(`round ${round}/${rounds}: xdrgate put ${last('asPut')}/s, redis set ${last('redisSet')}/s, xdrgate get ${last('asGet')}/s, redis get ${last('redisGet')}/s (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    await redis(Array.from({ length: keys }, (_, i) => respCommand('DEL', `${prefix}bench:${i}`)), { total: keys, seconds: 120 });
    const [asPut, redisSet, asGet, redisGet] = [median(runs.asPut), median(runs.redisSet), median(runs.asGet), median(runs.redisGet)];
    const ratio = (a: LoadResult, b: LoadResult) => Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100;
    const result = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { seconds, rounds, concurrency, depth, valueBytes, keys, namespace: 'user_data of config/tokyo.yaml (device, durability commit-to-device: a put waits for the group fdatasync)', client: 'bench/wire-load.ts for both servers: raw TCP, prebuilt requests' },
      put: { xdrgate: asPut, redis: redisSet, ratio: ratio(asPut, redisSet) },
      get: { xdrgate: asGet, redis: redisGet, ratio: ratio(asGet, redisGet) },
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const cpu = (r: CaseResult) => (r.serverCpuUsPerOp === null ? 'n/a' : r.serverCpuUsPerOp.toFixed(1));
    const row = (name: string, a: LoadResult, b: LoadResult) =>
      `${name.padEnd(5)} ${String(a.opsPerSec).padStart(9)} ${a.p50Ms.toFixed(2).padStart(8)} ${a.p99Ms.toFixed(2).padStart(8)}   ${String(b.opsPerSec).padStart(9)} ${b.p50Ms.toFixed(2).padStart(8)} ${b.p99Ms.toFixed(2).padStart(8)}   ${ratio(a, b).toFixed(2).padStart(5)}×`;
    process.stdout.write(
      [
        '',
        `medians of ${rounds} alternated rounds`,
        `op    xdrgate/s  p50 ms   p99 ms       redis/s  p50 ms   p99 ms   ratio`,
        row('put', asPut, redisSet),
        row('get', asGet, redisGet),
        `server CPU per request: xdrgate put ${cpu(asPut)} get ${cpu(asGet)}; redis set ${cpu(redisSet)} get ${cpu(redisGet)} (µs, user + system)`,
        `client CPU: put ${asPut.clientCpuPct} % get ${asGet.clientCpuPct} % set ${redisSet.clientCpuPct} % get ${redisGet.clientCpuPct} % of one core`,
        `errors: xdrgate put ${asPut.errors} get ${asGet.errors}, redis set ${redisSet.errors} get ${redisGet.errors}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
        '',
      ].join('\n'),
    );
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
    await redisHandle.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
