/**
 * GeoJSON queries on a GEO2DSPHERE index, against their peer in the same run:
 * the same question answered by a full scan that checks every record's
 * geometry. `--records` GeoJSON points (default 200,000) spread uniformly over
 * a 10° × 10° area (about 1,100 km square), plus one region per 100 points.
 *   - points within a 2 km circle (queries/s, results each)  vs  full scan + exact check
 *   - points within a 0.2° square polygon                     vs  full scan + exact check
 *   - regions containing a point                              vs  full scan + exact check
 *   - index build on create (records/s) and its entries and estimated bytes
 *
 *   npm run bench:geo [-- --records 200000] [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type QueryFilter } from '../engine/index.js';
import { GeoJson, parseGeoJson, regionContains, type BinValue, type Bins, type Region } from '../record/index.js';

const args = process.argv.slice(2);
const records = Number(args[args.indexOf('--records') + 1] ?? 0) || 200_000;
const json = args.includes('--json');
const SET = 'places';

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

const point = (lng: number, lat: number) => JSON.stringify({ type: 'Point', coordinates: [lng, lat] });
const square = (lng: number, lat: number, half: number) =>
  JSON.stringify({ type: 'Polygon', coordinates: [[[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half], [lng - half, lat - half]]] });

type ScanQuestion = { bin: string; within?: Region; contains?: { lng: number; lat: number } };

/** A filter parsed once, as the query parses it once: the scan then runs the same exact test per record. */
function question(filter: QueryFilter): ScanQuestion {
  const text = 'geoWithin' in filter ? filter.geoWithin : 'geoContains' in filter ? filter.geoContains : '';
  const g = parseGeoJson(text);
  if ('error' in g) throw new Error(g.error);
  return g.kind === 'point' ? { bin: filter.bin, contains: g.point } : { bin: filter.bin, within: g };
}

function scanMatches(q: ScanQuestion, value: BinValue | undefined): boolean {
  if (!(value instanceof GeoJson)) return false;
  const g = parseGeoJson(value.text);
  if ('error' in g) return false;
  if (q.within !== undefined) return g.kind === 'point' && regionContains(q.within, g.point);
  return g.kind !== 'point' && regionContains(g, q.contains!);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-geo-'));
  const filesize = Math.max(64, Math.ceil((records * 384) / 2 ** 20) * 2) * 2 ** 20;
  const engine = await Engine.open({ dataDir: dir, regionId: 1, namespaces: [{ name: 'bench', filesize, writeBlockSize: 1024 * 1024, nsupPeriod: 0, commitToDevice: false }] });
  const log = (line: string) => process.stderr.write(`[bench:geo] ${line}\n`);
  const rows: Array<{ case: string; value: number; unit: string; results: number; peer: string; peerValue: number }> = [];
  try {
    const random = rng(7);
    let t0 = performance.now();
    for (let i = 0; i < records; i++) {
      const lng = 100 + random() * 10;
      const lat = random() * 10;
      const bins: Bins = i % 100 === 0 ? { zone: new GeoJson(square(lng, lat, 0.05)) } : { spot: new GeoJson(point(lng, lat)) };
      await engine.put({ ns: 'bench', set: SET, key: i }, bins);
    }
    log(`loaded ${records} records in ${Math.round(performance.now() - t0)} ms`);
    t0 = performance.now();
    await engine.createIndex({ ns: 'bench', name: 'by_spot', set: SET, bin: 'spot', type: 'geo2dsphere' });
    await engine.createIndex({ ns: 'bench', name: 'by_zone', set: SET, bin: 'zone', type: 'geo2dsphere' });
    const buildMs = performance.now() - t0;

    const cases: Array<{ name: string; filters: QueryFilter[] }> = [];
    const centres = Array.from({ length: 50 }, () => [100.5 + random() * 9, 0.5 + random() * 9] as const);
    cases.push({ name: 'points within a 2 km AeroCircle', filters: centres.map(([lng, lat]) => ({ bin: 'spot', geoWithin: JSON.stringify({ type: 'AeroCircle', coordinates: [[lng, lat], 2000] }) })) });
    cases.push({ name: 'points within a 0.2° square Polygon', filters: centres.map(([lng, lat]) => ({ bin: 'spot', geoWithin: square(lng, lat, 0.1) })) });
    cases.push({ name: 'regions containing a Point', filters: centres.map(([lng, lat]) => ({ bin: 'zone', geoContains: point(lng, lat) })) });

    let scanMs = 0;
    for (const c of cases) {
      let results = 0;
      t0 = performance.now();
      for (const filter of c.filters) for await (const _ of engine.query('bench', filter, { set: SET })) results++;
      const queryMs = performance.now() - t0;
      // The peer: one full scan answering the first three questions of the case (a scan per query would take minutes).
      const asked = c.filters.slice(0, 3).map(question);
      let scanned = 0;
      let scanResults = 0;
      t0 = performance.now();
      for await (const rec of engine.scan('bench', { set: SET })) {
        scanned++;
        for (const q of asked) if (scanMatches(q, rec.bins[q.bin])) scanResults++;
      }
      scanMs = performance.now() - t0;
      rows.push({
        case: c.name,
        value: Math.round((c.filters.length / queryMs) * 1000),
        unit: 'queries/s',
        results: Math.round((results / c.filters.length) * 100) / 100,
        peer: `full scan of ${scanned} records + exact check (${scanResults} results for ${asked.length} queries)`,
        peerValue: Math.round((asked.length / scanMs) * 1000 * 100) / 100,
      });
    }
    const stats = engine.stats('bench') as { sindexes?: Array<{ name: string; entries: number; bytesEstimate: number }> };
    for (const s of stats.sindexes ?? []) log(`index ${s.name}: ${s.entries} entries, ~${Math.round(s.bytesEstimate / 1024)} KiB`);
    rows.push({ case: 'index build on create (both indexes)', value: Math.round((records / buildMs) * 1000), unit: 'records/s', results: 0, peer: 'full scan', peerValue: Math.round((records / scanMs) * 1000) });
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) process.stdout.write(`${r.case}: ${r.value} ${r.unit}${r.unit === 'queries/s' ? ` (${r.results} results each)` : ''}; ${r.peer}: ${r.peerValue}${r.unit === 'queries/s' ? ' queries/s' : ' records/s'}\n`);
}

await main();
