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
 *   - put-buffered: the same put into user_data_buffered, a copy of user_data
 *     with `durability: buffered` (acknowledged from RAM, written within
 *     flush-max-ms): the like-for-like of Redis without appendfsync; its
 *     ratio is to Redis's SET
 * with each server's CPU per request beside it (from /proc: the figure other
 * load on the machine moves least). Cases alternate within each round and
 * each figure is the median of `--rounds`. The gateway runs as its own process
 * (`xdrgate serve --standalone` with config/tokyo.yaml plus user_data_buffered;
 * user_data as shipped: commit-to-device, so a put waits for the group
 * fdatasync); HTTP and the service port are the same process. `--fronts`
 * narrows the servers driven (a CPU profile of the protocol alone).
 *
 *   npm run bench:protocol [-- --seconds 3] [--rounds 3] [--concurrency 32] [--depths 1,8] [--value-bytes 1024] [--keys 10000] [--batch-keys 100] [--ops put,put-buffered,get,batch] [--fronts protocol,http,redis,floor] [--cpu-prof <dir>] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { FieldType, Info1, Info2, Info3, OpType, ParticleType } from '../aerospike-protocol/index.js';
import { computeDigest } from '../engine/index.js';
import { ensureRedis, freePort } from '../xdr/infra/index.js';
import { keyFields, msgFrame } from '../test/helpers/aerospike-wire.js';
import { driveLoad, httpReplies, httpRequest, respArrayReplies, respCommand, respReplies, type LoadResult, type ReplyParser } from './wire-load.js';
import { arg, json, processCpuSeconds } from './harness.js';

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


interface CaseResult extends LoadResult {
  serverCpuUsPerOp: number | null;
  /** Gateway puts only: puts answered per group-commit round of the namespace's devices (device_syncs), the fdatasyncs they shared. */
  putsPerDeviceSync?: number;
}

/** A namespace's device_syncs counter (group-commit rounds that fdatasync'd), from the gateway's /metrics. */
async function deviceSyncs(httpPort: number, ns: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('xdrgate_namespace_device_syncs') && l.includes(`ns="${ns}"`));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function measured(pid: number | undefined, run: () => Promise<LoadResult>, syncsOf?: () => Promise<number>): Promise<CaseResult> {
  const syncsBefore = syncsOf ? await syncsOf() : 0;
  const before = processCpuSeconds(pid);
  const result = await run();
  const after = processCpuSeconds(pid);
  const serverCpuUsPerOp = before === null || after === null || result.ops === 0 ? null : Math.round(((after - before) / result.ops) * 1e6 * 10) / 10;
  if (!syncsOf) return { ...result, serverCpuUsPerOp };
  const syncs = (await syncsOf()) - syncsBefore;
  return { ...result, serverCpuUsPerOp, putsPerDeviceSync: syncs > 0 ? Math.round((result.ops / syncs) * 10) / 10 : Number.NaN };
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

/** The namespace put-buffered writes to: user_data's storage settings, acknowledged from RAM. */
const BUFFERED_NS = 'user_data_buffered';

/** config/tokyo.yaml as shipped, plus BUFFERED_NS; written into the run's data directory. */
function benchConfig(dataDir: string): string {
  const doc = parseYaml(fs.readFileSync(path.join(root, 'config', 'tokyo.yaml'), 'utf8')) as { namespaces: Record<string, Record<string, unknown>> };
  doc.namespaces[BUFFERED_NS] = { ...structuredClone(doc.namespaces.user_data!), durability: 'buffered' };
  const file = path.join(dataDir, 'bench.yaml');
  fs.writeFileSync(file, stringifyYaml(doc));
  return file;
}

async function startGateway(httpPort: number, servicePort: number, dataDir: string, redisUrl: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), path.join(root, 'bin', 'xdrgate.js'), 'serve', '--standalone', '--config', benchConfig(dataDir)], {
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

type Op = 'put' | 'put-buffered' | 'get' | 'batch';
type Front = 'protocol' | 'http' | 'redis' | 'floor';
const OPS: Op[] = opsArg >= 0 ? (process.argv[opsArg + 1]!.split(',') as Op[]) : ['put', 'put-buffered', 'get', 'batch'];
const frontsArg = process.argv.indexOf('--fronts');
const FRONTS: Front[] = frontsArg >= 0 ? (process.argv[frontsArg + 1]!.split(',') as Front[]) : ['protocol', 'http', 'redis', 'floor'];
/** put-buffered is measured against the gateway only; Redis and the floor do the same work as for put. */
const hasCase = (op: Op, front: Front) => op !== 'put-buffered' || front === 'protocol' || front === 'http';
/** The Redis figure an op's ratio is taken against. */
const redisOp = (op: Op): Op => (op === 'put-buffered' ? 'put' : op);

interface Target {
  port: number;
  pid: number | undefined;
  requests: Partial<Record<Op, Buffer[]>>;
  replies: Partial<Record<Op, ReplyParser>>;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-protocol-'));
  const prefix = `bench-${process.pid}:`;
  const redisHandle = await ensureRedis();
  const redisAddress = new URL(redisHandle.url);
  const redisPort = Number(redisAddress.port || 6379);
  const redisHost = redisAddress.hostname || '127.0.0.1';
  const [httpPort, servicePort] = [await freePort(), await freePort()];
  log(`gateway (standalone, device namespaces user_data and ${BUFFERED_NS}) service :${servicePort} http :${httpPort}, Redis ${redisHandle.url}; ${concurrency} connections × ${depths.join(' and ')} in flight, ${valueBytes}-byte values, ${keys} keys, batches of ${batchKeys}, ${rounds} rounds of ${seconds}s per case`);
  const gateway = await startGateway(httpPort, servicePort, dataDir, redisHandle.url, prefix);
  let floor: { child: ChildProcess; port: number } | undefined;
  try {
    const value = Buffer.from('x'.repeat(valueBytes));
    const name = (i: number) => `k${i}`;
    const batchOf = (b: number) => Array.from({ length: batchKeys }, (_, j) => (b * batchKeys + j) % keys);
    const batches = Math.max(1, Math.floor(keys / batchKeys));
    const asPut = (ns: string) => Array.from({ length: keys }, (_, i) => msgFrame({ info2: Info2.WRITE, fields: keyFields(ns, 'bench', name(i)), ops: [{ type: OpType.WRITE, particle: ParticleType.STRING, name: 'v', value }] }));
    const asRequests: Record<Op, Buffer[]> = {
      put: asPut('user_data'),
      'put-buffered': asPut(BUFFERED_NS),
      get: Array.from({ length: keys }, (_, i) => msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('user_data', 'bench', name(i)) })),
      batch: Array.from({ length: batches }, (_, b) => batchFrame(batchOf(b).map(name))),
    };
    const host = `127.0.0.1:${httpPort}`;
    const httpBody = JSON.stringify({ bins: { v: value.toString() } });
    const httpRequests: Record<Op, Buffer[]> = {
      put: Array.from({ length: keys }, (_, i) => httpRequest('PUT', `/v1/records/user_data/bench/${name(i)}`, host, httpBody)),
      'put-buffered': Array.from({ length: keys }, (_, i) => httpRequest('PUT', `/v1/records/${BUFFERED_NS}/bench/${name(i)}`, host, httpBody)),
      get: Array.from({ length: keys }, (_, i) => httpRequest('GET', `/v1/records/user_data/bench/${name(i)}`, host)),
      batch: Array.from({ length: batches }, (_, b) => httpRequest('POST', '/v1/batch/get', host, JSON.stringify({ keys: batchOf(b).map((i) => ({ ns: 'user_data', set: 'bench', key: name(i) })) }))),
    };
    const redisRequests: Partial<Record<Op, Buffer[]>> = {
      put: Array.from({ length: keys }, (_, i) => respCommand('SET', `${prefix}bench:${i}`, value)),
      get: Array.from({ length: keys }, (_, i) => respCommand('GET', `${prefix}bench:${i}`)),
      batch: Array.from({ length: batches }, (_, b) => respCommand('MGET', ...batchOf(b).map((i) => `${prefix}bench:${i}`))),
    };
    const asParsers: Record<Op, ReplyParser> = { put: asReplies, 'put-buffered': asReplies, get: asReplies, batch: asBatchReplies };
    const drive = (t: { port: number; host?: string }, requests: Buffer[], replies: ReplyParser, depth: number, o: { total?: number; seconds?: number } = {}) =>
      driveLoad({ ...t, connections: concurrency, depth, seconds: o.seconds ?? seconds, ...(o.total ? { total: o.total } : {}), requests, replies });

    // Every measured put overwrites a record (a read-merge-write, as Aerospike's), in both namespaces.
    for (const requests of [asRequests.put, asRequests['put-buffered']]) {
      const preload = await drive({ port: servicePort }, requests, asReplies, 1, { total: keys, seconds: 120 });
      if (preload.errors > 0) throw new Error(`${preload.errors} of the ${keys} preload puts failed`);
    }
    await drive({ port: redisPort, host: redisHost }, redisRequests.put!, respReplies, 1, { total: keys, seconds: 120 });
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
      http: { port: httpPort, pid: gateway.pid, requests: httpRequests, replies: { put: httpReplies, 'put-buffered': httpReplies, get: httpReplies, batch: httpReplies } },
      redis: { port: redisPort, host: redisHost, pid: redisServerPid, requests: redisRequests, replies: { put: respReplies, get: respReplies, batch: respArrayReplies } },
      floor: { port: floor.port, pid: floor.child.pid, requests: asRequests, replies: asParsers },
    };
    const runCase = (front: Front, op: Op, depth: number, o: { seconds?: number } = {}) => drive(targets[front], targets[front].requests[op]!, targets[front].replies[op]!, depth, o);
    for (const front of FRONTS) for (const op of OPS) if (hasCase(op, front)) await runCase(front, op, 1, { seconds: 0.5 });

    const results: Results = {};
    for (const depth of depths) {
      const runs: Record<string, Record<string, CaseResult[]>> = Object.fromEntries(OPS.map((op) => [op, Object.fromEntries(FRONTS.filter((f) => hasCase(op, f)).map((f) => [f, [] as CaseResult[]]))]));
      for (let round = 1; round <= rounds; round++) {
        for (const op of OPS) for (const front of FRONTS) if (hasCase(op, front)) runs[op]![front]!.push(await measured(targets[front].pid, () => runCase(front, op, depth), front === 'protocol' && op.startsWith('put') ? () => deviceSyncs(httpPort, op === 'put' ? 'user_data' : BUFFERED_NS) : undefined));
        log(`depth ${depth} round ${round}/${rounds}: ${OPS.map((op) => `${op} ${Object.entries(runs[op]!).map(([f, r]) => `${f} ${r.at(-1)!.opsPerSec}`).join(' ')}`).join(' | ')} (load ${os.loadavg()[0]!.toFixed(1)})`);
      }
      results[String(depth)] = Object.fromEntries(OPS.map((op) => [op, Object.fromEntries(Object.entries(runs[op]!).map(([f, r]) => [f, median(r)]))])) as Results[string];
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

/** Per depth, per op, per front that ran it: the median round. */
type Results = Record<string, Record<Op, Partial<Record<Front, CaseResult>>>>;

const ratio = (a: LoadResult | undefined, b: LoadResult | undefined) => (a === undefined || b === undefined ? null : Math.round((a.opsPerSec / b.opsPerSec) * 100) / 100);

function report(results: Results): void {
  if (json) {
    const out = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { seconds, rounds, concurrency, depths, valueBytes, keys, batchKeys, namespaces: { put: 'user_data of config/tokyo.yaml (device, commit-to-device)', 'put-buffered': `${BUFFERED_NS} (user_data with durability buffered)` }, client: 'bench/wire-load.ts for every server' },
      results,
      ratiosToRedis: Object.fromEntries(Object.entries(results).map(([d, r]) => [d, Object.fromEntries(OPS.map((op) => [op, Object.fromEntries(Object.entries(r[op]).filter(([f]) => f !== 'redis').map(([f, c]) => [f, ratio(c, r[redisOp(op)]?.redis)]))]))])),
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const cpu = (r: CaseResult) => (r.serverCpuUsPerOp === null ? 'n/a' : r.serverCpuUsPerOp.toFixed(1));
  const lines = ['', `medians of ${rounds} alternated rounds; batch rows count requests of ${batchKeys} keys (keys/s = requests/s × ${batchKeys}); put-buffered writes to ${BUFFERED_NS} (durability buffered), put to user_data (commit-to-device), both against Redis's SET; CPU: server µs per request (user + system)`];
  for (const [depth, r] of Object.entries(results)) {
    lines.push('', `${concurrency} connections × ${depth} in flight`, 'op             front       req/s   p50 ms   p99 ms   cpu µs   × redis');
    for (const op of OPS) {
      for (const [front, c] of Object.entries(r[op]) as Array<[Front, CaseResult]>) {
        const x = ratio(c, r[redisOp(op)]?.redis);
        lines.push(`${op.padEnd(14)} ${front.padEnd(8)} ${String(c.opsPerSec).padStart(9)} ${c.p50Ms.toFixed(2).padStart(8)} ${c.p99Ms.toFixed(2).padStart(8)} ${cpu(c).padStart(8)}   ${front === 'redis' || x === null ? '' : `${x.toFixed(2)}×`}${c.putsPerDeviceSync === undefined ? '' : `  ${c.putsPerDeviceSync} puts per fdatasync round`}${c.errors > 0 ? `  (${c.errors} errors)` : ''}`);
      }
    }
  }
  lines.push(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`, '');
  process.stdout.write(lines.join('\n'));
}

await main();
