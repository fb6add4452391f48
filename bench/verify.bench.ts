/**
 * What `xdrgate verify` costs a gateway: hashing every partition of a
 * namespace (partitionDigests, all 4096), against its peer in the same run, a
 * full scan of the same records (engine.scan, which decodes every record
 * too). The verify hash also canonicalizes and SHA-256es each record, so the
 * ratio says what the hashing adds on top of reading.
 *
 *   npm run bench:verify [-- --records 200000] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, partitionDigests, partitionRecords } from '../engine/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const records = arg('records', 200_000);
  const json = process.argv.includes('--json');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-verify-'));
  const engine = await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'b', filesize: 1024 * 1024 * 1024, writeBlockSize: 1024 * 1024 }] });
  try {
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < records; i++) {
      writes.push(engine.put({ ns: 'b', set: 'users', key: `user-${i}` }, { name: `name-${i}`, age: i % 90, tags: ['a', 'b'], score: i / 7 }));
      if (writes.length >= 1000) await Promise.all(writes.splice(0));
    }
    await Promise.all(writes);

    let t0 = performance.now();
    let scanned = 0;
    for await (const _ of engine.scan('b')) scanned++;
    const scanMs = performance.now() - t0;

    t0 = performance.now();
    const digests = await partitionDigests(engine, 'b');
    const hashMs = performance.now() - t0;
    const hashed = digests.reduce((n, p) => n + p.records, 0);

    t0 = performance.now();
    const listed = await partitionRecords(engine, 'b', 0);
    const listMs = performance.now() - t0;

    const rows = [
      { case: 'scan (peer): records/s', value: Math.round(scanned / (scanMs / 1000)), note: `${scanned} records in ${scanMs.toFixed(0)} ms` },
      { case: 'partition hashes: records/s', value: Math.round(hashed / (hashMs / 1000)), note: `4096 partitions, ${hashed} records in ${hashMs.toFixed(0)} ms` },
      { case: 'hash / scan', value: Number((scanMs / hashMs).toFixed(2)), note: '1.0 = hashing costs nothing beyond reading' },
      { case: 'one partition listing: ms', value: Number(listMs.toFixed(1)), note: `${listed.records.length} records` },
    ];
    if (json) process.stdout.write(`${JSON.stringify({ records, load: os.loadavg()[0], rows }, null, 2)}\n`);
    else {
      process.stdout.write(`verify bench, ${records} records, load average ${os.loadavg()[0]!.toFixed(1)} (${os.cpus()[0]?.model ?? '?'})\n`);
      for (const r of rows) process.stdout.write(`${r.case.padEnd(32)} ${String(r.value).padStart(12)}  ${r.note}\n`);
    }
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
