/**
 * direct-io side by side, one run, the same records and load loop: 1 KiB puts
 * (buffered, 1 in flight; commit-to-device, 64 in flight) and random gets after
 * a clean restart (the post-write queue is empty, so every get reads the device
 * file), with the device files opened normally and with O_DIRECT. Beside them,
 * what direct-io is for: how much the page cache grew while the namespace was
 * written and read (/proc/meminfo Cached; the machine is shared, so that figure
 * is only indicative).
 *
 *   npm run bench:engine -- --direct-io [--records 100000] [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type EngineOptions } from '../engine/index.js';

export interface DirectIoRow {
  case: string;
  buffered: number;
  direct: number;
  unit: string;
  bufferedP99Us?: number;
  directP99Us?: number;
}

const TMPFS_MAGIC = 0x01021994;
const PAYLOAD = 'p'.repeat(940);
const bins = (i: number) => ({ name: `user-${i}`, plan: 'premium', last_seen: 1_737_500_000 + i, payload: PAYLOAD });

/** O_DIRECT needs a real file system: the temp dir unless it is tmpfs, else the working directory. */
function benchDir(): string {
  const base = fs.statfsSync(os.tmpdir()).type === TMPFS_MAGIC ? process.cwd() : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'xdrgate-bench-direct-'));
}

function cachedMiB(): number {
  const m = /^Cached:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function drive(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<{ opsPerSec: number; p99Us: number }> {
  const lat = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      lat[i] = (performance.now() - t0) * 1000;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  lat.sort();
  return { opsPerSec: Math.round((total / ms) * 1000), p99Us: Math.round(lat[Math.floor(total * 0.99)]! * 10) / 10 };
}

interface ModeFigures {
  bufferedPuts: { opsPerSec: number; p99Us: number };
  committedPuts: { opsPerSec: number; p99Us: number };
  deviceGets: { opsPerSec: number; p99Us: number };
  cacheGrowthMiB: number;
}

async function runMode(records: number, directIo: boolean): Promise<ModeFigures> {
  const dir = benchDir();
  const filesize = Math.ceil((records * 2 * 1100 * 1.3) / 2 ** 20 + 64) * 2 ** 20;
  // A small post-write queue: gets after the restart read the device either way, and RAM stays modest.
  const options = (commitToDevice: boolean): EngineOptions => ({
    dataDir: dir, regionId: 1,
    namespaces: [{ name: 'bench', filesize, writeBlockSize: 1024 * 1024, commitToDevice, nsupPeriod: 0, postWriteQueue: 8, directIo }],
  });
  const cacheBefore = cachedMiB();
  try {
    let engine = await Engine.open(options(false));
    const bufferedPuts = await drive(records, 1, (i) => engine.put({ ns: 'bench', set: 'users', key: i }, bins(i)));
    await engine.close();
    engine = await Engine.open(options(true));
    const committed = Math.min(records, 50_000);
    const committedPuts = await drive(committed, 64, (i) => engine.put({ ns: 'bench', set: 'users', key: records + i }, bins(i)));
    await engine.close();
    engine = await Engine.open(options(false));
    let x = 12345;
    const deviceGets = await drive(records, 1, async () => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      if ((await engine.get({ ns: 'bench', set: 'users', key: x % records })) === null) throw new Error('a record went missing');
    });
    await engine.close();
    return { bufferedPuts, committedPuts, deviceGets, cacheGrowthMiB: Math.round(cachedMiB() - cacheBefore) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function runDirectIoBench(opts: { records: number; log: (line: string) => void }): Promise<DirectIoRow[]> {
  const { records, log } = opts;
  log(`direct-io bench: ${records} records of 1 KiB, buffered files then O_DIRECT files`);
  // A small warm-up of each mode first, so neither measured mode pays for JIT compilation or first allocations.
  await runMode(Math.min(records, 5000), false);
  await runMode(Math.min(records, 5000), true);
  const b = await runMode(records, false);
  const d = await runMode(records, true);
  const rows: DirectIoRow[] = [
    { case: 'put 1 KiB, buffered (acknowledged from RAM), 1 in flight', buffered: b.bufferedPuts.opsPerSec, direct: d.bufferedPuts.opsPerSec, unit: 'puts/s', bufferedP99Us: b.bufferedPuts.p99Us, directP99Us: d.bufferedPuts.p99Us },
    { case: 'put 1 KiB, commit-to-device (fdatasync group commit), 64 in flight', buffered: b.committedPuts.opsPerSec, direct: d.committedPuts.opsPerSec, unit: 'puts/s', bufferedP99Us: b.committedPuts.p99Us, directP99Us: d.committedPuts.p99Us },
    { case: 'get 1 KiB after a restart, random keys (every get reads the device file)', buffered: b.deviceGets.opsPerSec, direct: d.deviceGets.opsPerSec, unit: 'gets/s', bufferedP99Us: b.deviceGets.p99Us, directP99Us: d.deviceGets.p99Us },
    { case: 'page cache growth over the whole mode (/proc/meminfo Cached; shared machine, indicative)', buffered: b.cacheGrowthMiB, direct: d.cacheGrowthMiB, unit: 'MiB' },
  ];
  for (const r of rows) log(`  ${r.case}: ${r.buffered} without, ${r.direct} with direct-io (${r.unit})`);
  return rows;
}
