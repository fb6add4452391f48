/**
 * Primary-index memory and speed: bytes of RAM per record against Aerospike's
 * 64-byte limit, inserts/s and lookups/s, save and load times, and (at up to
 * 1 M records, where it still fits) a JS Map of metadata objects as the peer.
 *
 *   node --import tsx bench/index-memory.ts [--records 1000000,10000000] [--no-map] [--no-file] [--json]
 *
 * bench:engine imports measureIndexBytesPerRecord() for its own table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PrimaryIndex } from '../engine/primary-index/index.js';

/** Aerospike's primary index costs 64 bytes per record; ours must not cost more. */
export const INDEX_BYTES_PER_RECORD_LIMIT = 64;
/** V8 refuses a Map past 2^24 entries, and building one big Map just to measure it is slow. */
const MAP_PEER_RECORDS_MAX = 1_000_000;

export interface IndexMemoryResult {
  records: number;
  /** bytesAllocated() / records: every typed array the index holds. */
  bytesPerRecord: number;
  /** Growth of process memory (array buffers + JS heap) while building, per record: a cross-check. */
  measuredBytesPerRecord: number;
  insertsPerSec: number;
  lookupsPerSec: number;
  saveMs?: number;
  loadMs?: number;
  fileBytes?: number;
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

function usedBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Steps through 0..n-1 in a scattered order so lookups do not ride the cache. */
function strideFor(n: number): number {
  let step = Math.floor(n * 0.618_033_988) | 1;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  while (gcd(step, n) !== 1) step += 2;
  return step;
}

/** Builds an index of n random records and measures it; optionally saves and reloads it. */
export async function measureIndexBytesPerRecord(n: number, options: { saveLoad?: boolean } = {}): Promise<IndexMemoryResult> {
  const gc = collectGarbage();
  const digests = randomBytes(n * 20);
  gc();
  const before = usedBytes();
  const index = new PrimaryIndex();
  const setId = index.sets.idOf('bench');

  let t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const slot = index.insert(digests, i * 20);
    index.setGeneration(slot, 1);
    index.setLut(slot, 1_764_000_000_000 * 1024 + i);
    index.setRegion(slot, 1);
    index.setSetId(slot, setId);
    index.setLocation(slot, i & 3, i * 16, 1024);
  }
  const insertNs = Number(process.hrtime.bigint() - t0);
  gc();
  const measured = usedBytes() - before;

  const step = strideFor(n);
  let found = 0;
  t0 = process.hrtime.bigint();
  for (let k = 0, i = 0; k < n; k++, i = (i + step) % n) {
    if (index.find(digests, i * 20) >= 0) found++;
  }
  const lookupNs = Number(process.hrtime.bigint() - t0);
  if (found !== n) throw new Error(`lookups found ${found} of ${n} records`);

  const result: IndexMemoryResult = {
    records: n,
    bytesPerRecord: index.bytesAllocated() / n,
    measuredBytesPerRecord: measured / n,
    insertsPerSec: n / (insertNs / 1e9),
    lookupsPerSec: n / (lookupNs / 1e9),
  };
  if (options.saveLoad) {
    const dir = await mkdtemp(join(tmpdir(), 'xdrgate-index-bench-'));
    try {
      const path = join(dir, 'bench.index');
      t0 = process.hrtime.bigint();
      await index.save(path);
      result.saveMs = Number(process.hrtime.bigint() - t0) / 1e6;
      result.fileBytes = (await stat(path)).size;
      t0 = process.hrtime.bigint();
      const { index: loaded } = await PrimaryIndex.load(path);
      result.loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (loaded.count !== n) throw new Error('the loaded index lost records');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return result;
}

/** The peer: a Map from hex digest to a metadata object, as a naive index would hold it. */
export function measureMapBytesPerRecord(n: number): { records: number; bytesPerRecord: number } {
  const gc = collectGarbage();
  const digests = randomBytes(n * 20);
  gc();
  const before = usedBytes();
  const map = new Map<string, { generation: number; voidTime: number; lut: number; region: number; setId: number; flags: number; device: number; offset: number; size: number }>();
  for (let i = 0; i < n; i++) {
    map.set(digests.toString('latin1', i * 20, i * 20 + 20), { generation: 1, voidTime: 0, lut: 1_764_000_000_000 * 1024 + i, region: 1, setId: 1, flags: 0, device: i & 3, offset: i * 16, size: 1024 });
  }
  gc();
  const bytes = usedBytes() - before;
  if (map.size !== n) throw new Error('map lost entries');
  return { records: n, bytesPerRecord: bytes / n };
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const at = argv.indexOf('--records');
  const counts = at >= 0 ? (argv[at + 1] ?? '').split(',').map(Number) : [1_000_000, 10_000_000];
  const rows: Array<IndexMemoryResult & { limitBytesPerRecord: number; withinLimit: boolean }> = [];
  for (const n of counts) {
    const r = await measureIndexBytesPerRecord(n, { saveLoad: !argv.includes('--no-file') });
    rows.push({ ...r, limitBytesPerRecord: INDEX_BYTES_PER_RECORD_LIMIT, withinLimit: r.bytesPerRecord <= INDEX_BYTES_PER_RECORD_LIMIT });
  }
  const peer = argv.includes('--no-map') ? undefined : measureMapBytesPerRecord(Math.min(MAP_PEER_RECORDS_MAX, ...counts));
  if (json) {
    process.stdout.write(`${JSON.stringify({ index: rows, mapPeer: peer }, null, 2)}\n`);
    return;
  }
  const fmt = (x: number | undefined, digits = 1): string => (x === undefined ? '-' : x.toFixed(digits));
  const lines = [
    '| records | B/record (allocated) | B/record (measured) | limit | inserts/s | lookups/s | save ms | load ms | file MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) =>
      `| ${r.records.toLocaleString('en')} | ${fmt(r.bytesPerRecord)} | ${fmt(r.measuredBytesPerRecord)} | ${r.limitBytesPerRecord} | ${fmt(r.insertsPerSec, 0)} | ${fmt(r.lookupsPerSec, 0)} | ${fmt(r.saveMs, 0)} | ${fmt(r.loadMs, 0)} | ${fmt(r.fileBytes === undefined ? undefined : r.fileBytes / 2 ** 20)} |`,
    ),
  ];
  if (peer) lines.push('', `peer: JS Map<digest, metadata object> at ${peer.records.toLocaleString('en')} records: ${fmt(peer.bytesPerRecord)} B/record`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
