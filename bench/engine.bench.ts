/**
 * Engine storage core, in process, single thread, each figure next to its target:
 *   - puts/s and gets/s with p50/p99 latency for 1 KiB records, buffered and
 *     commit-to-device (concurrent writers sharing fsyncs, as a server would);
 *     buffered puts twice: in a fresh process (block buffers are new memory
 *     until the post-write queue is full) and in steady state (after it filled
 *     once, buffers are recycled), the target applying to the steady state;
 *     and the process CPU per operation: sealed blocks are written and fresh
 *     buffers faulted in by worker threads (engine/storage/io-worker.ts), so
 *     CPU beyond 1 / rate shows work done off the calling thread
 *   - primary-index bytes per record at 1 M and 10 M (bench/index-memory.ts)
 *   - cold-start rebuild rate (records/s) from the device files
 *   - beside gets from the device file, their floor: fs.readSync of as many
 *     random 1 KiB ranges of the same file, nothing else
 *   - beside puts and gets, the same run's peer: lmdb-js with the same records,
 *     keys and load loop (bench/lmdb-peer.ts says which lmdb mode stands beside
 *     which engine mode); the targets are ratios to it and to the pread floor,
 *     because absolute figures move ±40 % between these VMs
 *
 *   - with --ops: batch get, operate increment, secondary-index query and build on
 *     --ops-records (default 1M) records, each against its peer (bench/engine-ops.bench.ts)
 *
 *   - with --direct-io: only puts and gets with the device files opened normally
 *     and with O_DIRECT, side by side (bench/direct-io.bench.ts)
 *
 *   npm run bench:engine [-- --records 200000] [--cold-records 1000000] [--index 1000000,10000000] [--ops] [--ops-records 1000000] [--direct-io] [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type EngineOptions } from '../engine/index.js';
import { measureIndexBytesPerRecord } from './index-memory.js';
import { openLmdbPeer } from './lmdb-peer.js';

interface Row {
  case: string;
  value: number;
  unit: string;
  p50Us?: number;
  p99Us?: number;
  /** Process CPU time (user + system, every thread: the I/O workers too) per operation. */
  cpuUs?: number;
  target: string;
  met?: boolean;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const json = process.argv.includes('--json');
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-engine-'));
}

function engineOptions(dir: string, commitToDevice: boolean, filesize: number): EngineOptions {
  return {
    dataDir: dir,
    regionId: 1,
    namespaces: [{ name: 'bench', filesize, writeBlockSize: 1024 * 1024, commitToDevice, nsupPeriod: 0 }],
  };
}

const PAYLOAD = 'p'.repeat(940);

/** A record of about 1 KiB once encoded: a few small bins and a ~940-byte payload (built once, as a server receives it). */
function bins(i: number): Record<string, string | number> {
  return { name: `user-${i}`, plan: 'premium', last_seen: 1_737_500_000 + i, payload: PAYLOAD };
}

/** Runs `total` operations with `concurrency` in flight; returns ops/s and per-op latencies (µs). */
async function drive(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<{ opsPerSec: number; lat: Float64Array; cpuUs: number }> {
  const lat = new Float64Array(total);
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      lat[i] = (performance.now() - t0) * 1000;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  lat.sort();
  return { opsPerSec: Math.round((total / ms) * 1000), lat, cpuUs: (used.user + used.system) / total };
}

/**
 * The floor under a device get: one fs.readSync of a record's size at a random
 * offset of the device file (in the page cache, as the gets above read it),
 * with nothing else around it.
 */
function rawPreads(file: string, total: number, spanBytes: number): { opsPerSec: number; lat: Float64Array } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(RECORD_BYTES_STORED);
    const slots = Math.max(1, Math.floor(spanBytes / RECORD_BYTES_STORED) - 1);
    const lat = new Float64Array(total);
    let x = 12345;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const t0 = performance.now();
      fs.readSync(fd, buf, 0, RECORD_BYTES_STORED, (x % slots) * RECORD_BYTES_STORED);
      lat[i] = (performance.now() - t0) * 1000;
    }
    const ms = performance.now() - started;
    lat.sort();
    return { opsPerSec: Math.round((total / ms) * 1000), lat };
  } finally {
    fs.closeSync(fd);
  }
}

/** The engine's default post-write queue (blocks) and this bench's write block: RAM the queue holds. */
const POST_WRITE_QUEUE_BYTES = 256 * 1024 * 1024;
/** Bytes a bench record takes in a block (header, set, key, body, alignment). */
const RECORD_BYTES_STORED = 1072;

/** Sets a row's target to `ratio`× a peer measured in the same run, and whether it met it. */
function setRatioTarget(row: Row, peerValue: number, ratio: number, peerName: string): void {
  const measured = row.value / peerValue;
  row.target = `≥ ${ratio}× ${peerName} (${measured.toFixed(2)}×)`;
  row.met = measured >= ratio;
}

const lmdbMapSizeBytes = (records: number): number => Math.ceil((records * 1100 * 3) / 2 ** 20 + 64) * 2 ** 20;

/** lmdb-js beside the buffered rows: asynchronous commits without fsync, one caller at a time; then its gets of the same keys. */
async function lmdbBesideBuffered(total: number, rows: Row[], putRow: Row, getRow: Row): Promise<void> {
  const lmdb = openLmdbPeer({ sync: false, mapSizeBytes: lmdbMapSizeBytes(total) });
  try {
    const puts = await drive(total, 1, (i) => lmdb.put(`users:${i}`, bins(i)));
    rows.push({ case: 'peer: lmdb-js put 1 KiB, asynchronous commit, noSync, 1 in flight', value: puts.opsPerSec, unit: 'puts/s',
      p50Us: percentile(puts.lat, 0.5), p99Us: percentile(puts.lat, 0.99), cpuUs: puts.cpuUs, target: 'peer' });
    log(`  ${rows.at(-1)!.case}: ${puts.opsPerSec} puts/s`);
    setRatioTarget(putRow, puts.opsPerSec, 1, 'lmdb-js');
    let x = 12345;
    const gets = await drive(total, 1, async () => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      if (lmdb.get(`users:${x % total}`) === undefined) throw new Error('lmdb peer lost a record');
    });
    rows.push({ case: 'peer: lmdb-js get 1 KiB (random keys, memory map, value decoded)', value: gets.opsPerSec, unit: 'gets/s',
      p50Us: percentile(gets.lat, 0.5), p99Us: percentile(gets.lat, 0.99), cpuUs: gets.cpuUs, target: 'peer' });
    log(`  ${rows.at(-1)!.case}: ${gets.opsPerSec} gets/s`);
    setRatioTarget(getRow, gets.opsPerSec, 0.5, 'lmdb-js');
  } finally {
    await lmdb.close();
  }
}

/** lmdb-js beside commit-to-device: asynchronous commits with fsync, as many in flight, sharing transactions and fsyncs. */
async function lmdbBesideCommitToDevice(total: number, concurrency: number, filesize: number, rows: Row[], putRow: Row): Promise<void> {
  const lmdb = openLmdbPeer({ sync: true, mapSizeBytes: Math.max(filesize, lmdbMapSizeBytes(total)) });
  try {
    const puts = await drive(total, concurrency, (i) => lmdb.put(`users:${i}`, bins(i)));
    rows.push({ case: `peer: lmdb-js put 1 KiB, asynchronous commit with fsync, ${concurrency} in flight`, value: puts.opsPerSec, unit: 'puts/s',
      p50Us: percentile(puts.lat, 0.5), p99Us: percentile(puts.lat, 0.99), cpuUs: puts.cpuUs, target: 'peer' });
    log(`  ${rows.at(-1)!.case}: ${puts.opsPerSec} puts/s`);
    setRatioTarget(putRow, puts.opsPerSec, 1, 'lmdb-js');
  } finally {
    await lmdb.close();
  }
}

async function putsAndGets(records: number, commitToDevice: boolean, rows: Row[]): Promise<void> {
  const dir = tempDir();
  const queueRecords = Math.ceil(POST_WRITE_QUEUE_BYTES / RECORD_BYTES_STORED);
  const filesize = Math.ceil(((2 * records + queueRecords) * 1100 * 1.3) / 2 ** 20 + 64) * 2 ** 20;
  const engine = await Engine.open(engineOptions(dir, commitToDevice, filesize));
  try {
    const mode = commitToDevice ? 'commit-to-device' : 'buffered';
    // Buffered: one caller at a time is the honest single-thread figure. Commit-to-device:
    // 256 concurrent writers, as a server with many clients would have, sharing fsyncs.
    const concurrency = commitToDevice ? 256 : 1;
    const total = commitToDevice ? Math.min(records, 100_000) : records;
    const puts = await drive(total, concurrency, (i) => engine.put({ ns: 'bench', set: 'users', key: i }, bins(i)));
    const putsRow: Row = { case: commitToDevice ? `put 1 KiB, ${mode}, ${concurrency} in flight` : `put 1 KiB, ${mode}, fresh process (every block buffer is new memory, faulted in as the post-write queue fills)`,
      value: puts.opsPerSec, unit: 'puts/s', p50Us: percentile(puts.lat, 0.5), p99Us: percentile(puts.lat, 0.99), cpuUs: puts.cpuUs, target: 'for reference' };
    rows.push(putsRow);
    log(`  ${putsRow.case}: ${puts.opsPerSec} puts/s`);
    if (commitToDevice) await lmdbBesideCommitToDevice(total, concurrency, filesize, rows, putsRow);
    if (!commitToDevice) {
      // Steady state, as a server that has run a while: once the post-write queue
      // (256 blocks) has filled, every block turn recycles a buffer whose pages are
      // backed, instead of faulting in new memory (~14 µs a 4 KiB page on this VM).
      // Fill it (other keys), then measure as many puts again, to new keys.
      for (let i = 0; i < Math.max(0, queueRecords - total) + 10_000; i++) await engine.put({ ns: 'bench', set: 'fill', key: i }, bins(i));
      const steady = await drive(total, 1, (i) => engine.put({ ns: 'bench', set: 'users', key: total + i }, bins(total + i)));
      rows.push({ case: `put 1 KiB, ${mode}, steady state (post-write queue full, block buffers recycled)`, value: steady.opsPerSec, unit: 'puts/s',
        p50Us: percentile(steady.lat, 0.5), p99Us: percentile(steady.lat, 0.99), cpuUs: steady.cpuUs, target: '' });
      const steadyRow = rows.at(-1)!;
      log(`  ${steadyRow.case}: ${steady.opsPerSec} puts/s`);
      // Gets and overwrites go to the steady-state keys (total .. 2 total - 1), all in the post-write queue.
      let x = 12345;
      const gets = await drive(total, 1, () => {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        return engine.get({ ns: 'bench', set: 'users', key: total + (x % total) });
      });
      rows.push({ case: `get 1 KiB (random keys; records in the post-write queue, RAM)`, value: gets.opsPerSec, unit: 'gets/s',
        p50Us: percentile(gets.lat, 0.5), p99Us: percentile(gets.lat, 0.99), cpuUs: gets.cpuUs, target: '' });
      const getsRow = rows.at(-1)!;
      log(`  ${getsRow.case}: ${gets.opsPerSec} gets/s`);
      await lmdbBesideBuffered(total, rows, steadyRow, getsRow);
      // Overwrites: a put to an existing record reads and merges it first (as a
      // gateway's or Aerospike's put does), a path the fresh-key puts above never take.
      let y = 54321;
      const overwrites = await drive(total, 1, (i) => {
        y = (y * 1103515245 + 12345) & 0x7fffffff;
        return engine.put({ ns: 'bench', set: 'users', key: total + (y % total) }, bins(i));
      });
      rows.push({ case: 'put 1 KiB, buffered, overwriting random existing records (read-merge-write)', value: overwrites.opsPerSec, unit: 'puts/s',
        p50Us: percentile(overwrites.lat, 0.5), p99Us: percentile(overwrites.lat, 0.99), cpuUs: overwrites.cpuUs, target: 'for reference' });
      log(`  ${rows.at(-1)!.case}: ${overwrites.opsPerSec} puts/s`);
      // The same gets after a clean restart: the post-write queue is empty, so
      // every record is read from its device file (page cache, one pread each)
      // and both its checksums are verified, which reads from RAM skip.
      await engine.close();
      const reopened = await Engine.open(engineOptions(dir, commitToDevice, filesize));
      try {
        let z = 12345;
        const deviceGets = await drive(total, 1, () => {
          z = (z * 1103515245 + 12345) & 0x7fffffff;
          return reopened.get({ ns: 'bench', set: 'users', key: total + (z % total) });
        });
        rows.push({ case: 'get 1 KiB (random keys; after a restart, read from the device file in the page cache, checksums verified)', value: deviceGets.opsPerSec, unit: 'gets/s',
          p50Us: percentile(deviceGets.lat, 0.5), p99Us: percentile(deviceGets.lat, 0.99), cpuUs: deviceGets.cpuUs, target: '' });
        const deviceGetsRow = rows.at(-1)!;
        log(`  ${deviceGetsRow.case}: ${deviceGets.opsPerSec} gets/s`);
        const raw = rawPreads(path.join(dir, 'bench', 'data-0.dat'), total, (2 * total + queueRecords) * RECORD_BYTES_STORED);
        rows.push({ case: 'limit for the row above: fs.readSync of 1 KiB at as many random offsets of the same device file (no index, no checksum, no decode)', value: raw.opsPerSec, unit: 'reads/s',
          p50Us: percentile(raw.lat, 0.5), p99Us: percentile(raw.lat, 0.99), target: 'peer (the system call alone)' });
        log(`  ${rows.at(-1)!.case}: ${raw.opsPerSec} reads/s`);
        setRatioTarget(deviceGetsRow, raw.opsPerSec, 0.5, 'the pread floor');
      } finally {
        await reopened.close();
      }
    }
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function coldStart(records: number, rows: Row[]): Promise<void> {
  const dir = tempDir();
  const filesize = Math.ceil((records * 200) / 2 ** 20 + 64) * 2 ** 20;
  const options = engineOptions(dir, false, filesize);
  let engine = await Engine.open(options);
  try {
    for (let i = 0; i < records; i++) await engine.put({ ns: 'bench', set: 'users', key: i }, { n: i, s: 'small' });
    await engine.close();
    fs.rmSync(path.join(dir, 'bench', 'clean-shutdown.json'));
    const started = performance.now();
    engine = await Engine.open(options);
    const ms = performance.now() - started;
    const info = engine.recoveryInfo('bench');
    if (info.source !== 'cold-start' || info.records !== records) throw new Error(`cold start rebuilt ${info.records} of ${records}`);
    const rebuildPerSec = Math.round((records / info.elapsedMs) * 1000);
    rows.push({ case: `cold start: index rebuilt from the devices, ${records.toLocaleString('en')} records (~100 B), every checksum verified`,
      value: rebuildPerSec, unit: 'records/s', target: '≥ 1,000,000', met: rebuildPerSec >= 1_000_000 });
    log(`  ${rows.at(-1)!.case}: ${rebuildPerSec} records/s`);
    const openPerSec = Math.round((records / ms) * 1000);
    rows.push({ case: 'cold start: whole open (also recovers the change log of as many entries)', value: openPerSec, unit: 'records/s', target: 'for reference' });
    log(`  ${rows.at(-1)!.case}: ${openPerSec} records/s`);
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const records = Number(arg('records', '200000'));
  const coldRecords = Number(arg('cold-records', '1000000'));
  const indexSizes = arg('index', '1000000,10000000').split(',').filter((s) => s.length > 0).map(Number);
  const rows: Row[] = [];
  if (process.argv.includes('--direct-io')) {
    const { runDirectIoBench } = await import('./direct-io.bench.js');
    const side = await runDirectIoBench({ records: Number(arg('records', '100000')), log });
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine: { node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length }, directIo: side }, null, 2)}\n`);
      return;
    }
    log('\n| case | without direct-io | with direct-io | unit | p99 µs without | p99 µs with |');
    log('|---|---:|---:|---|---:|---:|');
    for (const r of side) log(`| ${r.case} | ${r.buffered.toLocaleString('en')} | ${r.direct.toLocaleString('en')} | ${r.unit} | ${r.bufferedP99Us ?? ''} | ${r.directP99Us ?? ''} |`);
    return;
  }
  log(`engine bench: ${records} records of 1 KiB, Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
  await putsAndGets(records, false, rows);
  await putsAndGets(records, true, rows);
  await coldStart(coldRecords, rows);
  for (const n of indexSizes) {
    const r = await measureIndexBytesPerRecord(n);
    rows.push({ case: `primary index at ${n.toLocaleString('en')} records`, value: Number(r.bytesPerRecord.toFixed(1)), unit: 'B/record', target: '≤ 64', met: r.bytesPerRecord <= 64 });
    log(`  ${rows.at(-1)!.case}: ${rows.at(-1)!.value} B/record`);
  }
  if (process.argv.includes('--ops')) {
    const { runOpsBench } = await import('./engine-ops.bench.js');
    // Batch, operate and query figures are for 1M records, whatever --records says for the core cases.
    for (const r of await runOpsBench({ records: Number(arg('ops-records', '1000000')), log })) {
      rows.push({ case: `ops: ${r.case}`, value: r.value, unit: r.unit, target: `peer ${r.peer}: ${r.peerValue}` });
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine: { node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length }, rows }, null, 2)}\n`);
    return;
  }
  const fmt = (x: number | undefined) => (x === undefined ? '' : x.toFixed(1));
  log('\n| case | value | unit | p50 µs | p99 µs | CPU µs/op (all threads) | target | met |');
  log('|---|---:|---|---:|---:|---:|---|---|');
  for (const r of rows) log(`| ${r.case} | ${r.value.toLocaleString('en')} | ${r.unit} | ${fmt(r.p50Us)} | ${fmt(r.p99Us)} | ${fmt(r.cpuUs)} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`);
}

await main();
