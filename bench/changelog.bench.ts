/**
 * Change-log hot paths: append() against its 1 µs budget, group commit against
 * one fdatasync per write (the peer: a lone writer that syncs every append),
 * cursor reads from the in-memory tail and from segment files, and the recovery
 * scan on open.
 *
 *   npm run bench:changelog [-- --appends 2000000] [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChangeLog, type ChangeLogOptions, type NewChangeEvent } from '../engine/changelog/index.js';

const APPEND_NS_LIMIT = 1000;

interface Row {
  case: string;
  value: number;
  unit: string;
  note: string;
}

function eventsFor(n: number): NewChangeEvent[] {
  // A pool of prepared events, reused round-robin, so the bench measures the log and not the caller.
  const pool: NewChangeEvent[] = [];
  for (let i = 0; i < n; i++) {
    const digest = new Uint8Array(20);
    for (let k = 0; k < 20; k++) digest[k] = (i * 31 + k * 7) & 255;
    pool.push({ kind: 'write', ns: 'bench', set: i % 3 === 0 ? 'users' : 'orders', digest, lut: 1_700_000_000_000 * 1024 + i, region: 1 });
  }
  return pool;
}

async function withLog<T>(options: Partial<ChangeLogOptions>, fn: (log: ChangeLog, dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-changelog-'));
  const log = await ChangeLog.open({ dir, ns: 'bench', readVisibility: 'appended', ...options });
  try {
    return await fn(log, dir);
  } finally {
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchAppend(n: number): Promise<{ nsPerAppend: number; appendsPerSec: number }> {
  const pool = eventsFor(4096);
  return withLog({}, async (log) => {
    for (let i = 0; i < 100_000; i++) log.append(pool[i & 4095]!); // warm-up
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) log.append(pool[i & 4095]!);
    const ns = Number(process.hrtime.bigint() - t0);
    await log.sync();
    return { nsPerAppend: ns / n, appendsPerSec: (n / ns) * 1e9 };
  });
}

/** `writers` concurrent loops of append + await sync(), for durationMs. */
async function benchCommit(writers: number, durationMs: number): Promise<{ appendsPerSec: number; appendsPerFsync: number }> {
  const pool = eventsFor(1024);
  return withLog({}, async (log) => {
    const end = Date.now() + durationMs;
    let acked = 0;
    const before = log.stats().fdatasyncs;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = w; Date.now() < end; i += writers) {
          log.append(pool[i & 1023]!);
          await log.sync();
          acked++;
        }
      }),
    );
    const sec = (performance.now() - t0) / 1000;
    const syncs = log.stats().fdatasyncs - before;
    return { appendsPerSec: acked / sec, appendsPerFsync: acked / Math.max(1, syncs) };
  });
}

async function benchRead(n: number, fromFiles: boolean): Promise<number> {
  const pool = eventsFor(4096);
  const options: Partial<ChangeLogOptions> = fromFiles ? { tailBytesMax: 1024 * 1024 } : { tailBytesMax: 512 * 1024 * 1024, segmentBytes: 512 * 1024 * 1024 };
  return withLog(options, async (log) => {
    for (let i = 0; i < n; i++) log.append(pool[i & 4095]!);
    await log.sync();
    const c = await log.cursor('bench');
    let got = 0;
    const t0 = performance.now();
    for (;;) {
      const b = await c.read(1000);
      if (b.overflow || b.events.length === 0) break;
      got += b.events.length;
    }
    if (got !== n) throw new Error(`read ${got} of ${n}`);
    return got / ((performance.now() - t0) / 1000);
  });
}

async function benchRecovery(n: number): Promise<{ entriesPerSec: number; mbPerSec: number }> {
  const pool = eventsFor(4096);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-changelog-'));
  try {
    const log = await ChangeLog.open({ dir, ns: 'bench' });
    for (let i = 0; i < n; i++) log.append(pool[i & 4095]!);
    const bytes = log.stats().bytes;
    await log.close();
    const t0 = performance.now();
    const again = await ChangeLog.open({ dir, ns: 'bench' });
    const sec = (performance.now() - t0) / 1000;
    if (again.headSeq() !== n) throw new Error('recovery lost entries');
    await again.close();
    return { entriesPerSec: n / sec, mbPerSec: bytes / 1e6 / sec };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function argNumber(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const appends = argNumber(argv, '--appends', 2_000_000);
  const append = await benchAppend(appends);
  const lone = await benchCommit(1, 1500);
  const group = await benchCommit(64, 1500);
  const readTail = await benchRead(1_000_000, false);
  const readFiles = await benchRead(1_000_000, true);
  const recovery = await benchRecovery(2_000_000);
  const rows: Row[] = [
    { case: 'append (buffered)', value: append.nsPerAppend, unit: 'ns/append', note: `limit ${APPEND_NS_LIMIT} ns: ${append.nsPerAppend <= APPEND_NS_LIMIT ? 'met' : 'MISSED'}` },
    { case: 'append (buffered)', value: append.appendsPerSec, unit: 'appends/s', note: '' },
    { case: 'append+sync, 1 writer (peer)', value: lone.appendsPerSec, unit: 'appends/s', note: 'one fdatasync per append' },
    { case: 'append+sync, 64 writers', value: group.appendsPerSec, unit: 'appends/s', note: `${group.appendsPerFsync.toFixed(1)} appends per fdatasync; ×${(group.appendsPerSec / lone.appendsPerSec).toFixed(1)} the peer` },
    { case: 'cursor read, in-memory tail', value: readTail, unit: 'events/s', note: 'read(1000)' },
    { case: 'cursor read, segment files', value: readFiles, unit: 'events/s', note: 'read(1000), crc checked' },
    { case: 'recovery scan on open', value: recovery.entriesPerSec, unit: 'entries/s', note: `${recovery.mbPerSec.toFixed(0)} MB/s, 2M entries` },
  ];
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
        appendNsPerOp: append.nsPerAppend,
        appendNsLimit: APPEND_NS_LIMIT,
        appendsPerSec: append.appendsPerSec,
        commitLoneWriterAppendsPerSec: lone.appendsPerSec,
        commit64WritersAppendsPerSec: group.appendsPerSec,
        commit64WritersAppendsPerFsync: group.appendsPerFsync,
        readTailEventsPerSec: readTail,
        readFilesEventsPerSec: readFiles,
        recoveryEntriesPerSec: recovery.entriesPerSec,
        recoveryMbPerSec: recovery.mbPerSec,
      })}\n`,
    );
    return;
  }
  const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
  process.stdout.write(`change log bench (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cpus, node ${process.version})\n`);
  process.stdout.write(`${'case'.padEnd(32)} ${'value'.padStart(14)}  ${'unit'.padEnd(10)} note\n`);
  for (const r of rows) process.stdout.write(`${r.case.padEnd(32)} ${fmt(r.value).padStart(14)}  ${r.unit.padEnd(10)} ${r.note}\n`);
}

await main(process.argv.slice(2));
