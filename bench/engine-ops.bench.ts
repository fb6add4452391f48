/**
 * Engine operations (issue 3) on a namespace of `--records` records (default
 * 1M), each against its peer in the same run:
 *   - batch get (keys/s)            vs  the same keys read one get() at a time
 *   - operate increment (ops/s)     vs  read-modify-write with get() + put()
 *   - sindex equals query (results/s) vs a full scan filtering the same bin
 *   - sindex build on create (records/s)
 *
 *   npm run bench:engine-ops [-- --records 1000000] [--json]
 * bench/engine.bench.ts runs the same cases in its `ops` section (runOpsBench).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../engine/index.js';

export interface OpsBenchRow {
  case: string;
  value: number;
  unit: string;
  peer: string;
  peerValue: number;
}

export interface OpsBenchOptions {
  records: number;
  /** Distinct values of the indexed bin: an equals query returns records / cardinality results. */
  cardinality?: number;
  log?: (line: string) => void;
}

const SET = 'users';

function rate(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** A deterministic pseudo-random sequence (xorshift32), so runs compare. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export async function runOpsBench(options: OpsBenchOptions): Promise<OpsBenchRow[]> {
  const records = options.records;
  const cardinality = options.cardinality ?? 1000;
  const log = options.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-ops-'));
  // ~150 B per stored record (header, key, set, bins, luts) plus write-block slack.
  const filesize = Math.max(64, Math.ceil((records * 256) / 2 ** 20) * 2) * 2 ** 20;
  const engine = await Engine.open({
    dataDir: dir,
    regionId: 1,
    namespaces: [{ name: 'bench', filesize, writeBlockSize: 1024 * 1024, nsupPeriod: 0, commitToDevice: false }],
  });
  const rows: OpsBenchRow[] = [];
  try {
    let t0 = performance.now();
    for (let i = 0; i < records; i++) await engine.put({ ns: 'bench', set: SET, key: i }, { tier: i % cardinality, views: 0, name: `user-${i}` });
    log(`loaded ${records} records in ${Math.round(performance.now() - t0)} ms`);

    // Secondary-index build from existing records.
    t0 = performance.now();
    await engine.createIndex({ ns: 'bench', name: 'by_tier', set: SET, bin: 'tier', type: 'integer' });
    const buildMs = performance.now() - t0;

    // Batch get: batches of 5,000 random keys, 1 in 10 absent. The machine is
    // shared, so each case and its peer alternate for three rounds and the
    // median round counts.
    const random = rng(42);
    const batches = Math.max(4, Math.min(20, Math.floor(records / 5000)));
    const keys = Array.from({ length: batches }, () =>
      Array.from({ length: 5000 }, () => ({ ns: 'bench', set: SET, key: Math.floor(random() * records * 1.1) })),
    );
    const batchRates: number[] = [];
    const singleRates: number[] = [];
    let found = 0;
    for (let round = 0; round < 3; round++) {
      t0 = performance.now();
      for (const batch of keys) for (const rec of await engine.batchGet(batch)) if (rec !== null) found++;
      batchRates.push(rate(batches * 5000, performance.now() - t0));
      t0 = performance.now();
      for (const batch of keys) for (const k of batch) await engine.get(k);
      singleRates.push(rate(batches * 5000, performance.now() - t0));
    }
    rows.push({ case: 'batch get (5,000 keys/call)', value: median(batchRates), unit: 'keys/s', peer: 'get() per key', peerValue: median(singleRates) });
    log(`batch: ${found / 3} of ${batches * 5000} found`);

    // operate increment vs read-modify-write with get + put.
    const incrN = Math.min(100_000, records);
    const incrRates: number[] = [];
    const rmwRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      t0 = performance.now();
      for (let i = 0; i < incrN; i++) await engine.operate({ ns: 'bench', set: SET, key: (i * 7919) % records }, [{ op: 'incr', bin: 'views', value: 1 }]);
      incrRates.push(rate(incrN, performance.now() - t0));
      const rmwN = Math.max(1, incrN / 4);
      t0 = performance.now();
      for (let i = 0; i < rmwN; i++) {
        const k = { ns: 'bench', set: SET, key: (i * 104729) % records };
        const rec = await engine.get(k);
        await engine.put(k, { views: ((rec?.bins.views as number) ?? 0) + 1 });
      }
      rmwRates.push(rate(rmwN, performance.now() - t0));
    }
    rows.push({ case: 'operate increment', value: median(incrRates), unit: 'ops/s', peer: 'get() + put()', peerValue: median(rmwRates) });

    // Secondary-index equals query vs a full scan answering the same question.
    const perQuery = Math.round(records / cardinality);
    const queries = Math.max(1, Math.min(cardinality, Math.ceil(100_000 / perQuery)));
    const queryRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      t0 = performance.now();
      let results = 0;
      for (let q = 0; q < queries; q++) for await (const _ of engine.query('bench', { bin: 'tier', equals: (q * 37 + round) % cardinality }, { set: SET })) results++;
      queryRates.push(rate(results, performance.now() - t0));
    }
    t0 = performance.now();
    let scanned = 0;
    for await (const rec of engine.scan('bench', { set: SET })) if (rec.bins.tier === 7) scanned++;
    const scanMs = performance.now() - t0;
    rows.push({ case: `sindex equals query (${perQuery} results each)`, value: median(queryRates), unit: 'results/s', peer: 'full scan + filter', peerValue: rate(scanned, scanMs) });
    rows.push({ case: 'sindex build on create', value: rate(records, buildMs), unit: 'records/s', peer: 'full scan', peerValue: rate(records, scanMs) });
    return rows;
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatOpsRows(rows: OpsBenchRow[]): string {
  const lines = rows.map((r) => `${r.case.padEnd(42)} ${String(r.value).padStart(10)} ${r.unit.padEnd(10)} | ${r.peer.padEnd(20)} ${String(r.peerValue).padStart(10)}`);
  return [`${'case'.padEnd(42)} ${'value'.padStart(10)} ${'unit'.padEnd(10)} | ${'peer'.padEnd(20)} ${'peer value'.padStart(10)}`, ...lines].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--records');
  const records = at >= 0 ? Number(args[at + 1]) : 1_000_000;
  const json = args.includes('--json');
  const rows = await runOpsBench({ records, log: json ? undefined : (l) => console.log(l) });
  if (json) console.log(JSON.stringify({ records, cpu: os.cpus()[0]?.model, rows }, null, 2));
  else console.log(formatOpsRows(rows));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
