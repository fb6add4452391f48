// GeoJSON parsing as Aerospike's server accepts it (as/src/geospatial/geojson.cc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGeoJson, type Geometry } from '../../../../record/index.js';

function ok(text: string): Geometry {
  const parsed = parseGeoJson(text);
  if ('error' in parsed) throw new Error(`refused ${text}: ${parsed.error}`);
  return parsed;
}

function refused(text: string, reason: RegExp): void {
  const parsed = parseGeoJson(text);
  assert.ok('error' in parsed, `${text} should be refused`);
  assert.match(parsed.error, reason);
}

const SQUARE = '[[[0,0],[1,0],[1,1],[0,1],[0,0]]]';

test('points, polygons, multipolygons, circles and features holding them are accepted', () => {
  assert.deepEqual(ok('{"type":"Point","coordinates":[103.8,1.283]}'), { kind: 'point', point: { lng: 103.8, lat: 1.283 } });
  assert.deepEqual(ok(`{"type":"Polygon","coordinates":${SQUARE}}`), {
    kind: 'polygon',
    loops: [[{ lng: 0, lat: 0 }, { lng: 1, lat: 0 }, { lng: 1, lat: 1 }, { lng: 0, lat: 1 }]],
  });
  const multi = ok(`{"type":"MultiPolygon","coordinates":[${SQUARE},${SQUARE}]}`);
  assert.equal(multi.kind, 'multipolygon');
  assert.equal(multi.kind === 'multipolygon' && multi.polygons.length, 2);
  assert.deepEqual(ok('{"type":"AeroCircle","coordinates":[[-122.25,37.87],300]}'), { kind: 'circle', center: { lng: -122.25, lat: 37.87 }, radiusM: 300 });
  assert.equal(ok('{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"x"}}').kind, 'point');
});

test('consecutive duplicate vertices are dropped before a loop is checked', () => {
  const g = ok('{"type":"Polygon","coordinates":[[[0,0],[0,0],[1,0],[1,1],[1,1],[0,1],[0,0]]]}');
  assert.equal(g.kind === 'polygon' && g.loops[0]!.length, 4);
});

test('what Aerospike refuses is refused, with its reason', () => {
  refused('not json', /failed to parse geojson/);
  refused('[1,2]', /top level/);
  refused('{"coordinates":[1,2]}', /missing type/);
  refused('{"type":"LineString","coordinates":[[1,2],[3,4]]}', /unknown geometry type: LineString/);
  refused('{"type":"Point","coordinates":[1]}', /expected 2 coordinates/);
  refused('{"type":"Point","coordinates":["1",2]}', /longitude is not a number/);
  refused('{"type":"Point","coordinates":[181,0]}', /invalid latitude-longitude/);
  refused('{"type":"Point","coordinates":[0,-90.5]}', /invalid latitude-longitude/);
  refused('{"type":"Point"}', /missing coordinates/);
  refused('{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}', /less than 4 points/);
  refused('{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}', /loop not closed/);
  refused('{"type":"AeroCircle","coordinates":[[1,2]]}', /malformed circle/);
  refused('{"type":"AeroCircle","coordinates":[[1,2],"far"]}', /radius is not a number/);
  refused('{"type":"Feature","geometry":{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}}', /unknown geometry type: Feature/);
  refused('{"type":"Feature"}', /missing geometry/);
});
