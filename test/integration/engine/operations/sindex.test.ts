// Secondary indexes on a real device namespace: create/list/drop, persistence,
// builds from existing data, queries, and a property test against a full scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine, isEngineError, type Engine as EngineT, type QueryFilter, type StoredRecord } from '../../../../engine/index.js';
import { openEngine, smallNamespace, track } from '../helpers.js';
import { engineErrorCode } from '../../../helpers/error-code.js';
import { GeoJson } from '../../../../record/index.js';

async function collect(it: AsyncIterable<StoredRecord>): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

async function keysOf(it: AsyncIterable<StoredRecord>): Promise<unknown[]> {
  return (await collect(it)).map((r) => r.key).sort((a, b) => String(a).localeCompare(String(b)));
}

test('create builds from existing records, list and drop persist across restarts', async (t) => {
  const { engine, dir, clock, options } = await openEngine(t);
  for (let i = 0; i < 600; i++) await engine.put({ ns: 'test', set: i % 2 === 0 ? 'even' : 'odd', key: `k${i}` }, { tier: i % 4, city: i % 5 === 0 ? 'Tokyo' : 'Virginia' });
  await engine.createIndex({ ns: 'test', name: 'by_tier', bin: 'tier', type: 'integer' });
  await engine.createIndex({ ns: 'test', name: 'by_city_even', set: 'even', bin: 'city', type: 'string' });
  assert.equal(await engineErrorCode(engine.createIndex({ ns: 'test', name: 'by_tier', bin: 'x', type: 'integer' })), 'ENGINE_ERR_SINDEX_EXISTS');
  assert.equal(await engineErrorCode(engine.createIndex({ ns: 'nope', name: 'i', bin: 'x', type: 'integer' })), 'ENGINE_ERR_NAMESPACE_NOT_FOUND');
  assert.deepEqual(engine.listIndexes('test').map((s) => s.name), ['by_tier', 'by_city_even']);
  assert.equal((await collect(engine.query('test', { bin: 'tier', equals: 3 }))).length, 150);
  assert.equal((await collect(engine.query('test', { bin: 'tier', equals: 3 }, { set: 'odd' }))).length, 150);
  assert.equal((await collect(engine.query('test', { bin: 'tier', between: [1, 2] }, { set: 'even' }))).length, 150);
  assert.equal((await collect(engine.query('test', { bin: 'city', equals: 'Tokyo' }, { set: 'even' }))).length, 60);
  assert.equal(await engineErrorCode(collect(engine.query('test', { bin: 'city', equals: 'Tokyo' }, { set: 'odd' }))), 'ENGINE_ERR_SINDEX_NOT_FOUND');
  assert.equal(await engineErrorCode(collect(engine.query('test', { bin: 'tier', equals: Number.NaN } as QueryFilter))), 'ENGINE_ERR_INVALID_ARGUMENT');

  await engine.close();
  const again = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.deepEqual(again.listIndexes('test').map((s) => s.name), ['by_tier', 'by_city_even'], 'definitions survive a restart');
  assert.equal((await collect(again.query('test', { bin: 'tier', equals: 3 }))).length, 150, 'and the index is rebuilt');
  await again.dropIndex('test', 'by_tier');
  assert.equal(await engineErrorCode(again.dropIndex('test', 'by_tier')), 'ENGINE_ERR_SINDEX_NOT_FOUND');
  await again.close();
  const third = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.deepEqual(third.listIndexes('test').map((s) => s.name), ['by_city_even']);
});

test('closing the engine during a build keeps the definition; the next open builds it', async (t) => {
  const { engine, dir, clock, options } = await openEngine(t);
  for (let i = 0; i < 3000; i++) await engine.put({ ns: 'test', set: 's', key: i }, { n: i % 7 });
  const building = engineErrorCode(engine.createIndex({ ns: 'test', name: 'n', bin: 'n', type: 'integer' }));
  await engine.close();
  assert.equal(await building, 'ENGINE_ERR_CLOSED');
  const again = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.deepEqual(again.listIndexes('test').map((s) => s.name), ['n']);
  assert.equal((await collect(again.query('test', { bin: 'n', equals: 3 }))).length, 429);
});

test('queries stream with bin selection and progress, and stay correct under writes between pages', async (t) => {
  const { engine } = await openEngine(t, { namespaces: [smallNamespace('test', { filesize: 8 * 1024 * 1024 })] });
  await engine.createIndex({ ns: 'test', name: 'n', bin: 'n', type: 'integer' });
  for (let i = 0; i < 2000; i++) await engine.put({ ns: 'test', set: 's', key: i }, { n: i % 10, big: 2n ** 60n + BigInt(i % 2), other: 'x' });
  const progress: number[] = [];
  let seen = 0;
  for await (const rec of engine.query('test', { bin: 'n', equals: 7 }, { bins: ['n'], onProgress: (v) => progress.push(v) })) {
    assert.deepEqual(rec.bins, { n: 7 });
    seen++;
    // Move a not-yet-read record out of the result and another one in: each is seen at most once and the moved-out one never.
    if (seen === 1) {
      await engine.put({ ns: 'test', set: 's', key: 1997 }, { n: 0 });
      await engine.put({ ns: 'test', set: 's', key: 1 }, { n: 7 });
    }
  }
  assert.equal(seen, 200, '200 sevens, minus key 1997, plus key 1');
  assert.ok(progress.length >= 1);
  await engine.createIndex({ ns: 'test', name: 'big', bin: 'big', type: 'integer' });
  assert.equal((await collect(engine.query('test', { bin: 'big', equals: 2n ** 60n + 1n }))).length, 1000);
  assert.equal((await collect(engine.query('test', { bin: 'big', between: [2n ** 60n, 2n ** 61n] }))).length, 2000);
  assert.deepEqual(engine.opsStats('test').sindexes.map((s) => [s.name, s.entries]), [['n', 2000], ['big', 2000]]);
});

// The main property: whatever writes, deletes, TTL expiries and nsup passes
// happen, a query through the index returns exactly what a full scan finds.
const actionArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), k: fc.integer({ min: 0, max: 40 }), set: fc.constantFrom('s1', 's2'), n: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(null, 'str', 1.5)), s: fc.constantFrom('red', 'blue', null, 7), ttl: fc.constantFrom(0, 0, 3, 30) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), k: fc.integer({ min: 0, max: 40 }), set: fc.constantFrom('s1', 's2'), durable: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('incr' as const), k: fc.integer({ min: 0, max: 40 }), set: fc.constantFrom('s1', 's2'), by: fc.integer({ min: -2, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), sec: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'nsup' as const }) },
);

async function fullScan(engine: EngineT, filter: QueryFilter, set: string | undefined): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of engine.scan('test', set === undefined ? {} : { set })) {
    const v = r.bins[filter.bin];
    const ok = 'equals' in filter ? v === filter.equals : 'between' in filter && typeof v === 'number' && Number.isInteger(v) && v >= filter.between[0] && v <= filter.between[1];
    if (ok) out.push(r.key);
  }
  return out.sort((a, b) => String(a).localeCompare(String(b)));
}

test('property: index queries equal full scans under random writes, deletes, expiry and nsup', async (t) => {
  const { engine, clock } = await openEngine(t, { namespaces: [smallNamespace('test', { filesize: 4 * 1024 * 1024 })] });
  await engine.createIndex({ ns: 'test', name: 'n_all', bin: 'n', type: 'integer' });
  await engine.createIndex({ ns: 'test', name: 's_s1', set: 's1', bin: 's', type: 'string' });
  const filters: Array<[QueryFilter, string | undefined]> = [
    [{ bin: 'n', equals: 2 }, undefined],
    [{ bin: 'n', equals: 0 }, 's2'],
    [{ bin: 'n', between: [1, 3] }, undefined],
    [{ bin: 'n', between: [-5, 100] }, 's1'],
    [{ bin: 's', equals: 'red' }, 's1'],
    [{ bin: 's', equals: 'blue' }, 's1'],
  ];
  let k0 = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(actionArb, { maxLength: 60 }), async (actions) => {
      // Each run uses fresh keys so runs do not depend on each other.
      k0 += 100;
      for (const a of actions) {
        if (a.kind === 'put') await engine.put({ ns: 'test', set: a.set, key: k0 + a.k }, { n: a.n, s: a.s }, { ttl: a.ttl === 0 ? -1 : a.ttl });
        else if (a.kind === 'remove') await engine.remove({ ns: 'test', set: a.set, key: k0 + a.k }, { durable: a.durable });
        else if (a.kind === 'incr') await engine.operate({ ns: 'test', set: a.set, key: k0 + a.k }, [{ op: 'incr', bin: 'n', value: a.by }]).catch((err) => {
          if (!isEngineError(err, 'ENGINE_ERR_BIN_TYPE_MISMATCH')) throw err;
        });
        else if (a.kind === 'tick') clock.advance(a.sec * 1000);
        else await engine.runNsup('test');
      }
      for (const [filter, set] of filters) {
        assert.deepEqual(await keysOf(engine.query('test', filter, set === undefined ? {} : { set })), await fullScan(engine, filter, set ?? (filter.bin === 's' ? 's1' : undefined)), JSON.stringify([filter, set]));
      }
    }),
    { numRuns: 25 },
  );
});

test('a GEO2DSPHERE index is built from stored GeoJSON, kept by writes and deletes, and rebuilt after a restart', async (t) => {
  const { engine, dir, clock, options } = await openEngine(t);
  const point = (lng: number, lat: number) => new GeoJson(JSON.stringify({ type: 'Point', coordinates: [lng, lat] }));
  // A 20 × 20 lattice of points 0.01° apart around (100, 10), and a grid-sized region per row.
  for (let i = 0; i < 400; i++) await engine.put({ ns: 'test', set: 'p', key: `p${i}` }, { at: point(100 + (i % 20) * 0.01, 10 + Math.floor(i / 20) * 0.01), i });
  await engine.createIndex({ ns: 'test', name: 'by_at', bin: 'at', type: 'geo2dsphere' });
  const box = (lng0: number, lat0: number, lng1: number, lat1: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]] });
  // Points strictly inside (100.045..100.095) × (10.045..10.095): columns and rows 5..9.
  const within = { bin: 'at', geoWithin: box(100.045, 10.045, 100.095, 10.095) };
  assert.equal((await collect(engine.query('test', within))).length, 25);
  const circle = { bin: 'at', geoWithin: JSON.stringify({ type: 'AeroCircle', coordinates: [[100.1, 10.1], 1200] }) };
  const inCircle = (await collect(engine.query('test', circle))).map((r) => r.bins.i as number);
  // 0.01° is ~1.1 km: the centre and its four neighbours (diagonals are ~1.56 km away).
  assert.deepEqual(inCircle.sort((a, b) => a - b), [190, 209, 210, 211, 230]);
  await engine.remove({ ns: 'test', set: 'p', key: 'p210' });
  await engine.put({ ns: 'test', set: 'p', key: 'p209' }, { at: point(-50, -50) });
  assert.deepEqual((await collect(engine.query('test', circle))).map((r) => r.bins.i as number).sort((a, b) => a - b), [190, 211, 230]);
  assert.equal(await engineErrorCode(engine.put({ ns: 'test', set: 'p', key: 'p0' }, { at: new GeoJson('{"type":"Point","coordinates":[200,0]}') })), 'ENGINE_ERR_INVALID_GEOJSON');
  assert.equal(await engineErrorCode(collect(engine.query('test', { bin: 'at', geoWithin: 'nope' }))), 'ENGINE_ERR_INVALID_GEOJSON');

  await engine.close();
  const again = track(t, await Engine.open({ ...options, dataDir: dir, clock }));
  assert.deepEqual(again.listIndexes('test').map((s) => ({ name: s.name, type: s.type })), [{ name: 'by_at', type: 'geo2dsphere' }]);
  assert.deepEqual((await collect(again.query('test', circle))).map((r) => r.bins.i as number).sort((a, b) => a - b), [190, 211, 230], 'rebuilt from the stored GeoJSON');
  assert.ok((await again.get({ ns: 'test', set: 'p', key: 'p5' }))!.bins.at instanceof GeoJson);
});
