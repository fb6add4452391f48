// GEO2DSPHERE indexes: grid keys, bounded entries per value, and queries that read only the cells they need
// and return exactly what a check of every record returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SecondaryIndexes, filterRanges, matchesFilter } from '../../../../engine/secondary-index/index.js';
import { GEO_REGION_CELLS_MAX, GEO_WIDE_KEY, cellOf, geoKeysOf } from '../../../../engine/secondary-index/geo-cells.js';
import type { QueryFilter } from '../../../../engine/api.js';
import { GeoJson, type Bins } from '../../../../record/index.js';
import { thrownCodeOrNull } from '../../../helpers/error-code.js';

const pointJson = (lng: number, lat: number) => new GeoJson(JSON.stringify({ type: 'Point', coordinates: [lng, lat] }));
const circleJson = (lng: number, lat: number, radiusM: number) => JSON.stringify({ type: 'AeroCircle', coordinates: [[lng, lat], radiusM] });
const squareJson = (lng: number, lat: number, half: number) =>
  JSON.stringify({ type: 'Polygon', coordinates: [[[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half], [lng - half, lat - half]]] });

/** Every slot the index finds for `filter` whose bins pass the exact check (what the engine's query does). */
function query(reg: SecondaryIndexes, rows: Map<number, Bins>, filter: QueryFilter): { found: number[]; read: number } {
  const index = reg.forQuery(filter, undefined);
  const seen = new Set<number>();
  let read = 0;
  for (const [lo, hi] of filterRanges(filter)) {
    const out: number[] = [];
    let cursor = index.read(lo, hi, null, 1000, out);
    while (cursor !== null) cursor = index.read(lo, hi, cursor, 1000, out);
    read += out.length;
    for (const slot of out) if (matchesFilter(filter, rows.get(slot)!)) seen.add(slot);
  }
  return { found: [...seen].sort((a, b) => a - b), read };
}

function everyRecord(rows: Map<number, Bins>, filter: QueryFilter): number[] {
  return [...rows].filter(([, bins]) => matchesFilter(filter, bins)).map(([slot]) => slot).sort((a, b) => a - b);
}

test('a point is filed under one cell; a region under the cells of its box, or under the wide key when that is too many', () => {
  assert.deepEqual(geoKeysOf({ kind: 'point', point: { lng: 103.8, lat: 1.283 } }), [cellOf({ lng: 103.8, lat: 1.283 })]);
  const small = geoKeysOf({ kind: 'circle', center: { lng: 2.35, lat: 48.85 }, radiusM: 5_000 });
  assert.ok(small.length >= 1 && small.length <= 9, `${small.length} cells`);
  assert.ok(small.includes(cellOf({ lng: 2.35, lat: 48.85 })));
  assert.deepEqual(geoKeysOf({ kind: 'circle', center: { lng: 0, lat: 0 }, radiusM: 2_000_000 }), [GEO_WIDE_KEY]);
  fc.assert(
    fc.property(fc.double({ min: -80, max: 80, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: 0, max: 5e6, noNaN: true }), (lat, lng, radiusM) => {
      assert.ok(geoKeysOf({ kind: 'circle', center: { lng, lat }, radiusM }).length <= GEO_REGION_CELLS_MAX);
    }),
  );
});

test('points within a circle or polygon: the index finds exactly what checking every record finds, reading only nearby cells', () => {
  const coord = fc.record({ lng: fc.double({ min: 100, max: 101, noNaN: true }), lat: fc.double({ min: 1, max: 2, noNaN: true }) });
  fc.assert(
    fc.property(fc.array(coord, { minLength: 1, maxLength: 200 }), coord, fc.double({ min: 100, max: 30_000, noNaN: true }), (points, center, radiusM) => {
      const reg = new SecondaryIndexes('ns');
      reg.add({ name: 'g', ns: 'ns', bin: 'loc', type: 'geo2dsphere' });
      const rows = new Map<number, Bins>();
      points.forEach((p, slot) => {
        const bins = { loc: pointJson(p.lng, p.lat) };
        rows.set(slot, bins);
        reg.onWrite(slot, '', bins);
      });
      // A record with a far-away point is never read by these queries.
      rows.set(points.length, { loc: pointJson(-70, -30) });
      reg.onWrite(points.length, '', rows.get(points.length)!);
      for (const filter of [{ bin: 'loc', geoWithin: circleJson(center.lng, center.lat, radiusM) }, { bin: 'loc', geoWithin: squareJson(center.lng, center.lat, 0.2) }]) {
        const { found, read } = query(reg, rows, filter);
        assert.deepEqual(found, everyRecord(rows, filter));
        assert.ok(read <= points.length, 'the far point was read');
      }
    }),
    { numRuns: 60 },
  );
});

test('regions containing a point: small regions by cell, big ones through the wide key, points and other types never', () => {
  const reg = new SecondaryIndexes('ns');
  reg.add({ name: 'g', ns: 'ns', set: 'zones', bin: 'area', type: 'geo2dsphere' });
  const rows = new Map<number, Bins>([
    [0, { area: new GeoJson(squareJson(103.8, 1.3, 0.05)) }],
    [1, { area: new GeoJson(circleJson(103.85, 1.3, 10_000)) }],
    [2, { area: new GeoJson(circleJson(0, 0, 5_000_000)) }], // wide: 45° of arc
    [3, { area: pointJson(103.8, 1.3) }],
    [4, { area: 'not geo' }],
    [5, { area: new GeoJson(squareJson(-70, -30, 0.05)) }],
  ]);
  for (const [slot, bins] of rows) reg.onWrite(slot, 'zones', bins);
  const at = (lng: number, lat: number) => ({ bin: 'area', geoContains: JSON.stringify({ type: 'Point', coordinates: [lng, lat] }) });
  assert.deepEqual(query(reg, rows, at(103.8, 1.3)).found, [0, 1]);
  assert.deepEqual(query(reg, rows, at(103.9, 1.3)).found, [1]);
  assert.deepEqual(query(reg, rows, at(10, 10)).found, [2]);
  assert.deepEqual(query(reg, rows, at(-70, -30)).found, [5]);
  // A record whose bin changes leaves its old cells.
  rows.set(0, { area: new GeoJson(squareJson(-70, -30, 0.05)) });
  reg.onWrite(0, 'zones', rows.get(0)!);
  assert.deepEqual(query(reg, rows, at(103.8, 1.3)).found, [1]);
  assert.deepEqual(query(reg, rows, at(-70, -30)).found, [0, 5]);
  reg.get('g')!.checkInvariants();
});

test('lists of GeoJSON values: a record is filed under each element and found once', () => {
  const reg = new SecondaryIndexes('ns');
  reg.add({ name: 'g', ns: 'ns', bin: 'stops', type: 'geo2dsphere', collection: 'list' });
  const rows = new Map<number, Bins>([[7, { stops: [pointJson(103.8, 1.3), pointJson(103.85, 1.35), pointJson(50, 50)] }]]);
  reg.onWrite(7, '', rows.get(7)!);
  const index = reg.forQuery({ bin: 'stops', collection: 'list', geoWithin: squareJson(103.8, 1.3, 0.2) }, undefined);
  assert.equal(index.size, 3);
  assert.deepEqual(query(reg, rows, { bin: 'stops', collection: 'list', geoWithin: squareJson(103.8, 1.3, 0.2) }).found, [7]);
});

test('geo filters are checked: bad GeoJSON, a point to geoWithin or a region to geoContains are refused', () => {
  const reg = new SecondaryIndexes('ns');
  reg.add({ name: 'g', ns: 'ns', bin: 'loc', type: 'geo2dsphere' });
  assert.equal(thrownCodeOrNull(() => filterRanges({ bin: 'loc', geoWithin: '{"type":"Polygon"}' })), 'ENGINE_ERR_INVALID_GEOJSON');
  assert.equal(thrownCodeOrNull(() => filterRanges({ bin: 'loc', geoWithin: '{"type":"Point","coordinates":[1,2]}' })), 'ENGINE_ERR_INVALID_ARGUMENT');
  assert.equal(thrownCodeOrNull(() => filterRanges({ bin: 'loc', geoContains: circleJson(1, 2, 3) })), 'ENGINE_ERR_INVALID_ARGUMENT');
  // An integer index on the same bin does not answer a geo query.
  const other = new SecondaryIndexes('ns');
  other.add({ name: 'n', ns: 'ns', bin: 'loc', type: 'integer' });
  assert.equal(thrownCodeOrNull(() => other.forQuery({ bin: 'loc', geoContains: '{"type":"Point","coordinates":[1,2]}' }, undefined)), 'ENGINE_ERR_SINDEX_NOT_FOUND');
});
