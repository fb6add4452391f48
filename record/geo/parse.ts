/**
 * GeoJSON text → geometry, accepting what Aerospike's server accepts
 * (as/src/geospatial/geojson.cc): a Point, Polygon, MultiPolygon or AeroCircle
 * object, or a Feature whose geometry is one of them. Other members (bbox,
 * properties, crs) are ignored, as there. A loop needs at least four vertices
 * once consecutive duplicates are dropped, and must end where it starts.
 * Pure: returns the geometry or the reason the text is refused.
 */
import type { Geometry, LngLat, Loop } from './shape.js';

/** Most vertices one value may hold: a bound on the work of parsing, indexing and matching it. */
export const GEO_VERTICES_MAX = 100_000;

/** Earth radius, metres, that AeroCircle radii are measured on (the value Aerospike's server uses). */
export const EARTH_RADIUS_M = 6_371_000;

class Refused extends Error {}

function refuse(reason: string): never {
  throw new Refused(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function array(value: unknown, what: string): unknown[] {
  if (value === undefined) refuse(`missing ${what}`);
  if (!Array.isArray(value)) refuse(`${what} are not an array`);
  return value;
}

interface Budget {
  vertices: number;
}

function point(value: unknown, budget: Budget): LngLat {
  const coords = array(value, 'coordinates');
  if (coords.length !== 2) refuse(`expected 2 coordinates, saw ${coords.length}`);
  const [lng, lat] = coords;
  if (typeof lng !== 'number') refuse('longitude is not a number');
  if (typeof lat !== 'number') refuse('latitude is not a number');
  if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) refuse(`invalid latitude-longitude [${lng}, ${lat}]`);
  if (++budget.vertices > GEO_VERTICES_MAX) refuse(`more than ${GEO_VERTICES_MAX} vertices`);
  return { lng, lat };
}

function loop(value: unknown, budget: Budget): Loop {
  const vertices = array(value, 'vertices').map((v) => point(v, budget));
  const kept: Loop = [];
  for (const v of vertices) {
    const last = kept[kept.length - 1];
    if (last === undefined || last.lng !== v.lng || last.lat !== v.lat) kept.push(v);
  }
  if (kept.length < 4) refuse('loop contains less than 4 points');
  const first = kept[0]!;
  const last = kept[kept.length - 1]!;
  if (first.lng !== last.lng || first.lat !== last.lat) refuse('loop not closed');
  kept.pop();
  return kept;
}

function polygon(value: unknown, budget: Budget): Loop[] {
  return array(value, 'polygon loops').map((l) => loop(l, budget));
}

function geometry(obj: Record<string, unknown>, allowFeature: boolean): Geometry {
  const type = obj.type;
  if (type === undefined) refuse('missing type');
  if (typeof type !== 'string') refuse('type is not a string');
  const budget: Budget = { vertices: 0 };
  switch (type) {
    case 'Point':
      return { kind: 'point', point: point(obj.coordinates, budget) };
    case 'Polygon':
      return { kind: 'polygon', loops: polygon(obj.coordinates, budget) };
    case 'MultiPolygon':
      return { kind: 'multipolygon', polygons: array(obj.coordinates, 'coordinates').map((p) => polygon(p, budget)) };
    case 'AeroCircle': {
      const coords = array(obj.coordinates, 'coordinates');
      if (coords.length !== 2) refuse('malformed circle coordinate array');
      const center = point(coords[0], budget);
      const radiusM = coords[1];
      if (typeof radiusM !== 'number') refuse('radius is not a number');
      return { kind: 'circle', center, radiusM };
    }
    case 'Feature':
      if (!allowFeature) break;
      if (!isObject(obj.geometry)) refuse(obj.geometry === undefined ? 'missing geometry element' : 'geometry is not an object');
      return geometry(obj.geometry, false);
  }
  return refuse(`unknown geometry type: ${type}`);
}

/** The geometry of a GeoJSON text, or `{ error }` saying why Aerospike would refuse it. */
export function parseGeoJson(text: string): Geometry | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { error: `failed to parse geojson: ${(err as Error).message}` };
  }
  if (!isObject(json)) return { error: 'top level geojson element is not an object' };
  try {
    return geometry(json, true);
  } catch (err) {
    if (err instanceof Refused) return { error: err.message };
    throw err;
  }
}
