/**
 * The Aerospike service port against the gateway's HTTP API, Redis and a bare
 * socket server, same machine, same run, same values, same load generator
 * (bench/wire-load.ts: raw TCP, requests built once as bytes, `--concurrency`
 * connections each with `--depth` requests in flight), for each depth of
 * `--depths` (1 and 8 by default):
 *   - put: AS_MSG write of one 1 KiB string bin / PUT /v1/records / SET
 *   - get: AS_MSG read (all bins) / GET /v1/records / GET
 *   - batch: a 100-key batch read (batch-index, what clients send) /
 *     POST /v1/batch/get / MGET of 100 keys; figures in keys/s
 *   - floor: a bare Node server (bench/bare-server.ts) that frames the same
 *     AS_MSG requests and answers each with the gateway's own captured reply,
 *     doing no other work: what sockets and framing cost here
 * with each server's CPU per request beside it (from /proc: the figure other
 * load on the machine moves least). Cases alternate within each round and
 * each figure is the median of `--rounds`. The gateway runs as its own process
 * (`xdrgate serve --standalone`, the device namespace user_data of
 * config/tokyo.yaml as shipped: commit-to-device, so a put waits for the group
 * fdatasync); HTTP and the service port are the same process.
 *
 *   npm run bench:protocol [-- --seconds 3] [--rounds 3] [--concurrency 32] [--depths 1,8] [--value-bytes 1024] [--keys 10000] [--batch-keys 100] [--ops put,get,batch] [--cpu-prof <dir>] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { FieldType, Info1, Info2, Info3, OpType, ParticleType } from '../aerospike-protocol/index.js';
import { computeDigest } from '../engine/index.js';
import { ensureRedis, freePort } from '../xdr/infra/index.js';
import { keyFields, msgFrame } from '../test/helpers/aerospike-wire.js';
import { driveLoad, httpReplies, httpRequest, respArrayReplies, respCommand, respReplies, type LoadResult, type ReplyParser } from './wire-load.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const seconds = arg('seconds', 3);
const rounds = Math.max(1, arg('rounds', 3));
const concurrency = arg('concurrency', 32);
const depthsArg = process.argv.indexOf('--depths');
const depths = depthsArg >= 0 ? process.argv[depthsArg + 1]!.split(',').map(Number) : process.argv.includes('--depth') ? [arg('depth', 1)] : [1, 8];
const batchKeys = arg('batch-keys', 100);
const opsArg = process.argv.indexOf('--ops');
/** `--cpu-prof <dir>`: the gateway writes a V8 CPU profile there when it stops (node --cpu-prof). */
const profArg = process.argv.indexOf('--cpu-prof');
const cpuProfDir = profArg >= 0 ? path.resolve(process.argv[profArg + 1]!) : undefined;
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
  const child = spawn(process.execPath, [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), path.join(root, 'bin', 'xdrgate.js'), 'serve', '--standalone', '--config', path.join(root, 'config', 'tokyo.yaml')], {
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

/** Walks the AS_MSG headers of one frame body; returns the LAST header's result code, or -1 when the frame holds no LAST. */
function lastResultOf(buf: Buffer, start: number, end: number): number {
  let at = start;
  while (at + 22 <= end) {
    const info3 = buf[at + 3]!;
    const result = buf[at + 5]!;
    const nFields = buf.readUInt16BE(at + 18);
    const nOps = buf.readUInt16BE(at + 20);
    at += 22;
    for (let i = 0; i < nFields + nOps; i++) at += 4 + buf.readUInt32BE(at);
    if ((info3 & Info3.LAST) !== 0) return result;
  }
  return -1;
}

/** Batch replies: frames of row headers until the one holding the LAST header. */
const asBatchReplies: ReplyParser = {
  parse(buf, start) {
    let at = start;
    for (;;) {
      if (buf.length - at < 8) return null;
      const end = at + 8 + buf.readUIntBE(at + 2, 6);
      if (end > buf.length) return null;
      const last = lastResultOf(buf, at + 8, end);
      if (last >= 0) return { end, ok: last === 0 };
      at = end;
    }
  },
};

/** A batch-index read of `names` (all bins), laid out as the clients lay it out. */
function batchFrame(names: string[]): Buffer {
  const ns = Buffer.concat([Buffer.from([0, 0, 0, 1 + 'user_data'.length, FieldType.NAMESPACE]), Buffer.from('user_data')]);
  const set = Buffer.concat([Buffer.from([0, 0, 0, 1 + 'bench'.length, FieldType.SET]), Buffer.from('bench')]);
  const rows = names.map((name, i) => {
    const head = Buffer.alloc(36);
    head.writeUInt32BE(i, 0);
    Buffer.from(computeDigest('bench', name)).copy(head, 4);
    head[24] = 0x02 | 0x08; // the row carries its own info bytes and ttl
    head[25] = Info1.READ | Info1.GET_ALL;
    head.writeUInt16BE(2, 32);
    return Buffer.concat([head, ns, set]);
  });
  const content = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), ...rows]);
  content.writeUInt32BE(names.length, 0);
  return msgFrame({ info1: Info1.BATCH, fields: [[FieldType.BATCH_INDEX, content]] });
}

/** One request on a fresh connection; the reply's bytes (for the floor server to replay). */
async function captureReply(port: number, request: Buffer, parser: ReplyParser): Promise<Buffer> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let buf = Buffer.alloc(0);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const reply = parser.parse(buf, 0);
        if (reply === null) return;
        if (!reply.ok) reject(new Error('the gateway refused the request whose reply the floor replays'));
        resolve(buf.subarray(0, reply.end));
      });
      socket.on('error', reject);
    });
  } finally {
    socket.destroy();
  }
}

/** bench/bare-server.ts with the captured replies; resolves with its process and port. */
async function startFloor(repliesFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'bare-server.ts'), repliesFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
  });
  return { child, port };
}

type Op = 'put' | 'get' | 'batch';
type Front = 'protocol' | 'http' | 'redis' | 'floor';
const OPS: Op[] = opsArg >= 0 ? (process.argv[opsArg + 1]!.split(',') as Op[]) : ['put', 'get', 'batch'];
const FRONTS: Front[] = ['protocol', 'http', 'redis', 'floor'];

interface Target {
  port: number;
  pid: number | undefined;
  requests: Record<Op, Buffer[]>;
  replies: Record<Op, ReplyParser>;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-protocol-'));
  const prefix = `bench-${process.pid}:`;
  const redisHandle = await ensureRedis();
  const redisAddress = new URL(redisHandle.url);
  const redisPort = Number(redisAddress.port || 6379);
  const redisHost = redisAddress.hostname || '127.0.0.1';
  const [httpPort, servicePort] = [await freePort(), await freePort()];
  log(`gateway (standalone, device namespace user_data) service :${servicePort} http :${httpPort}, Redis ${redisHandle.url}; ${concurrency} connections × ${depths.join(' and ')} in flight, ${valueBytes}-byte values, ${keys} keys, batches of ${batchKeys}, ${rounds} rounds of ${seconds}s per case`);
  const gateway = await startGateway(httpPort, servicePort, dataDir, redisHandle.url, prefix);
  let floor: { child: ChildProcess; port: number } | undefined;
  try {
    const value = Buffer.from('x'.repeat(valueBytes));
    const name = (i: number) => `k${i}`;
    const batchOf = (b: number) => Array.from({ length: batchKeys }, (_, j) => (b * batchKeys + j) % keys);
    const batches = Math.max(1, Math.floor(keys / batchKeys));
    const asRequests: Record<Op, Buffer[]> = {
      put: Array.from({ length: keys }, (_, i) => msgFrame({ info2: Info2.WRITE, fields: keyFields('user_data', 'bench', name(i)), ops: [{ type: OpType.WRITE, particle: ParticleType.STRING, name: 'v', value }] })),
      get: Array.from({ length: keys }, (_, i) => msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('user_data', 'bench', name(i)) })),
      batch: Array.from({ length: batches }, (_, b) => batchFrame(batchOf(b).map(name))),
    };
    const host = `127.0.0.1:${httpPort}`;
    const httpBody = JSON.stringify({ bins: { v: value.toString() } });
    const httpRequests: Record<Op, Buffer[]> = {
      put: Array.from({ length: keys }, (_, i) => httpRequest('PUT', `/v1/records/user_data/bench/${name(i)}`, host, httpBody)),
      get: Array.from({ length: keys }, (_, i) => httpRequest('GET', `/v1/records/user_data/bench/${name(i)}`, host)),
      batch: Array.from({ length: batches }, (_, b) => httpRequest('POST', '/v1/batch/get', host, JSON.stringify({ keys: batchOf(b).map((i) => ({ ns: 'user_data', set: 'bench', key: name(i) })) }))),
    };
    const redisRequests: Record<Op, Buffer[]> = {
      put: Array.from({ length: keys }, (_, i) => respCommand('SET', `${prefix}bench:${i}`, value)),
      get: Array.from({ length: keys }, (_, i) => respCommand('GET', `${prefix}bench:${i}`)),
      batch: Array.from({ length: batches }, (_, b) => respCommand('MGET', ...batchOf(b).map((i) => `${prefix}bench:${i}`))),
    };
    const asParsers: Record<Op, ReplyParser> = { put: asReplies, get: asReplies, batch: asBatchReplies };
    const drive = (t: { port: number; host?: string }, requests: Buffer[], replies: ReplyParser, depth: number, o: { total?: number; seconds?: number } = {}) =>
      driveLoad({ ...t, connections: concurrency, depth, seconds: o.seconds ?? seconds, ...(o.total ? { total: o.total } : {}), requests, replies });

    const preload = await drive({ port: servicePort }, asRequests.put, asReplies, 1, { total: keys, seconds: 120 });
    if (preload.errors > 0) throw new Error(`${preload.errors} of the ${keys} preload puts failed`);
    await drive({ port: redisPort, host: redisHost }, redisRequests.put, respReplies, 1, { total: keys, seconds: 120 });
    const repliesFile = path.join(dataDir, 'floor-replies.json');
    fs.writeFileSync(repliesFile, JSON.stringify({
      put: (await captureReply(servicePort, asRequests.put[0]!, asReplies)).toString('hex'),
      get: (await captureReply(servicePort, asRequests.get[0]!, asReplies)).toString('hex'),
      batch: (await captureReply(servicePort, asRequests.batch[0]!, asBatchReplies)).toString('hex'),
    }));
    floor = await startFloor(repliesFile);
    const redisServerPid = await redisPid(redisHandle.url);
    const targets: Record<Front, Target & { host?: string }> = {
      protocol: { port: servicePort, pid: gateway.pid, requests: asRequests, replies: asParsers },
      http: { port: httpPort, pid: gateway.pid, requests: httpRequests, replies: { put: httpReplies, get: httpReplies, batch: httpReplies } },
      redis: { port: redisPort, host: redisHost, pid: redisServerPid, requests: redisRequests, replies: { put: respReplies, get: respReplies, batch: respArrayReplies } },
      floor: { port: floor.port, pid: floor.child.pid, requests: asRequests, replies: asParsers },
    };
    for (const front of FRONTS) for (const op of OPS) await drive(targets[front], targets[front].requests[op], targets[front].replies[op], 1, { seconds: 0.5 });

    const results: Record<string, Record<Op, Record<Front, CaseResult>>> = {};
    for (const depth of depths) {
      const runs = Object.fromEntries(OPS.map((op) => [op, Object.fromEntries(FRONTS.map((f) => [f, [] as CaseResult[]]))])) as Record<Op, Record<Front, CaseResult[]>>;
      for (let round = 1; round <= rounds; round++) {
        for (const op of OPS) for (const front of FRONTS) runs[op][front].push(await measured(targets[front].pid, () => drive(targets[front], targets[front].requests[op], targets[front].replies[op], depth)));
        log(`depth ${depth} round ${round}/${rounds}: ${OPS.map((op) => `${op} ${FRONTS.map((f) => `${f} ${runs[op][f].at(-1)!.opsPerSec}`).join(' ')}`).join(' | ')} (load ${os.loadavg()[0]!.toFixed(1)})`);
      }
      results[String(depth)] = Object.fromEntries(OPS.map((op) => [op, Object.fromEntries(FRONTS.map((f) => [f, median(runs[op][f])]))])) as Record<Op, Record<Front, CaseResult>>;
    }
    await drive({ port: redisPort, host: redisHost }, Array.from({ length: keys }, (_, i) => respCommand('DEL', `${prefix}bench:${i}`)), respReplies, 1, { total: keys, seconds: 120 });
    report(results);
  } finally {
    floor?.child.kill('SIGTERM');
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
    await redisHandle.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ratio = (a: LoadResult, b: LoadResult) => Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100;

function report(results: Record<string, Record<Op, Record<Front, CaseResult>>>): void {
  if (json) {
    const out = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { seconds, rounds, concurrency, depths, valueBytes, keys, batchKeys, namespace: 'user_data of config/tokyo.yaml (device, commit-to-device)', client: 'bench/wire-load.ts for every server' },
      results,
      ratiosToRedis: Object.fromEntries(Object.entries(results).map(([d, r]) => [d, Object.fromEntries(OPS.map((op) => [op, { protocol: ratio(r[op].protocol, r[op].redis), http: ratio(r[op].http, r[op].redis), floor: ratio(r[op].floor, r[op].redis) }]))])),
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const cpu = (r: CaseResult) => (r.serverCpuUsPerOp === null ? 'n/a' : r.serverCpuUsPerOp.toFixed(1));
  const lines = ['', `medians of ${rounds} alternated rounds; batch rows count requests of ${batchKeys} keys (keys/s = requests/s × ${batchKeys}); CPU: server µs per request (user + system)`];
  for (const [depth, r] of Object.entries(results)) {
    lines.push('', `${concurrency} connections × ${depth} in flight`, 'op     front       req/s   p50 ms   p99 ms   cpu µs   × redis');
    for (const op of OPS) {
      for (const front of FRONTS) {
        const c = r[op][front];
        lines.push(`${op.padEnd(6)} ${front.padEnd(8)} ${String(c.opsPerSec).padStart(9)} ${c.p50Ms.toFixed(2).padStart(8)} ${c.p99Ms.toFixed(2).padStart(8)} ${cpu(c).padStart(8)}   ${front === 'redis' ? '' : `${ratio(c, r[op].redis).toFixed(2)}×`}${c.errors > 0 ? `  (${c.errors} errors)` : ''}`);
      }
    }
  }
  lines.push(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`, '');
  process.stdout.write(lines.join('\n'));
}

await main();
