// Pure geometry: point in polygon, haversine distance, circle membership and region boxes, with property tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EARTH_RADIUS_M, haversineM, polygonContains, regionBox, regionContains, type LngLat, type Region } from '../../../../record/index.js';

const lat = fc.double({ min: -89, max: 89, noNaN: true });
const lng = fc.double({ min: -179.9, max: 179.9, noNaN: true });
const point = fc.record({ lng, lat });

function inBox(p: LngLat, box: { latLo: number; latHi: number; lngLo: number; lngHi: number }): boolean {
  if (p.lat < box.latLo - 1e-9 || p.lat > box.latHi + 1e-9) return false;
  return box.lngLo <= box.lngHi ? p.lng >= box.lngLo - 1e-9 && p.lng <= box.lngHi + 1e-9 : p.lng >= box.lngLo - 1e-9 || p.lng <= box.lngHi + 1e-9;
}

test('haversine: zero to itself, symmetric, a degree of latitude is ~111.2 km, and the triangle inequality holds', () => {
  assert.ok(Math.abs(haversineM({ lng: 0, lat: 0 }, { lng: 0, lat: 1 }) - (Math.PI / 180) * EARTH_RADIUS_M) < 1e-6);
  fc.assert(
    fc.property(point, point, point, (a, b, c) => {
      assert.equal(haversineM(a, a), 0);
      assert.ok(Math.abs(haversineM(a, b) - haversineM(b, a)) < 1e-6);
      assert.ok(haversineM(a, c) <= haversineM(a, b) + haversineM(b, c) + 1e-6);
      assert.ok(haversineM(a, b) <= Math.PI * EARTH_RADIUS_M + 1e-6);
    }),
  );
});

test('an axis-aligned rectangle holds exactly the points strictly between its sides', () => {
  fc.assert(
    fc.property(point, point, point, (a, b, p) => {
      const [lngLo, lngHi] = [Math.min(a.lng, b.lng), Math.max(a.lng, b.lng)];
      const [latLo, latHi] = [Math.min(a.lat, b.lat), Math.max(a.lat, b.lat)];
      fc.pre(lngHi - lngLo > 1e-6 && latHi - latLo > 1e-6);
      // Off the boundary, where either answer is right.
      fc.pre(![lngLo, lngHi].includes(p.lng) && ![latLo, latHi].includes(p.lat));
      const loop = [{ lng: lngLo, lat: latLo }, { lng: lngHi, lat: latLo }, { lng: lngHi, lat: latHi }, { lng: lngLo, lat: latHi }];
      const inside = p.lng > lngLo && p.lng < lngHi && p.lat > latLo && p.lat < latHi;
      assert.equal(polygonContains([loop], p), inside);
      // Orientation does not matter.
      assert.equal(polygonContains([[...loop].reverse()], p), inside);
    }),
  );
});

test('a hole removes its points from the polygon, and a multipolygon holds what any of its polygons holds', () => {
  const shell = [{ lng: 0, lat: 0 }, { lng: 10, lat: 0 }, { lng: 10, lat: 10 }, { lng: 0, lat: 10 }];
  const hole = [{ lng: 4, lat: 4 }, { lng: 6, lat: 4 }, { lng: 6, lat: 6 }, { lng: 4, lat: 6 }];
  assert.equal(polygonContains([shell, hole], { lng: 2, lat: 2 }), true);
  assert.equal(polygonContains([shell, hole], { lng: 5, lat: 5 }), false);
  const far = [{ lng: 20, lat: 20 }, { lng: 21, lat: 20 }, { lng: 21, lat: 21 }, { lng: 20, lat: 21 }];
  const multi: Region = { kind: 'multipolygon', polygons: [[shell, hole], [far]] };
  assert.equal(regionContains(multi, { lng: 20.5, lat: 20.5 }), true);
  assert.equal(regionContains(multi, { lng: 5, lat: 5 }), false);
  assert.equal(regionContains(multi, { lng: 15, lat: 15 }), false);
});

test('a circle holds its centre and the points within its radius, not those beyond', () => {
  const center = { lng: -122.250629, lat: 37.871022 };
  const circle: Region = { kind: 'circle', center, radiusM: 300 };
  assert.equal(regionContains(circle, center), true);
  // 0.002° of latitude is ~222 m; 0.003° is ~334 m.
  assert.equal(regionContains(circle, { lng: center.lng, lat: center.lat + 0.002 }), true);
  assert.equal(regionContains(circle, { lng: center.lng, lat: center.lat + 0.003 }), false);
});

test('every point a region holds lies in its box (circles anywhere, the antimeridian and the poles included)', () => {
  const radius = fc.double({ min: 0, max: 3_000_000, noNaN: true });
  fc.assert(
    fc.property(point, radius, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (center, radiusM, frac, bearing) => {
      const circle: Region = { kind: 'circle', center, radiusM };
      const box = regionBox(circle)!;
      // A point at distance frac × radius along the bearing (spherical destination formula).
      const d = (frac * radiusM) / EARTH_RADIUS_M;
      const φ1 = (center.lat * Math.PI) / 180;
      const λ1 = (center.lng * Math.PI) / 180;
      const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(bearing));
      const λ2 = λ1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
      const p = { lat: (φ2 * 180) / Math.PI, lng: ((((λ2 * 180) / Math.PI + 540) % 360) - 180) };
      if (regionContains(circle, p)) assert.ok(inBox(p, box), `${JSON.stringify(p)} outside ${JSON.stringify(box)}`);
    }),
  );
  fc.assert(
    fc.property(fc.array(point, { minLength: 3, maxLength: 8 }), point, (vertices, p) => {
      const polygon: Region = { kind: 'polygon', loops: [vertices] };
      if (regionContains(polygon, p)) assert.ok(inBox(p, regionBox(polygon)!));
    }),
  );
});

test('a region that holds nothing has no box', () => {
  assert.equal(regionBox({ kind: 'polygon', loops: [] }), null);
  assert.equal(regionBox({ kind: 'circle', center: { lng: 0, lat: 0 }, radiusM: -1 }), null);
});
