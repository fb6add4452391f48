/**
 * Geo queries over a GEO2DSPHERE index: which key ranges of the grid
 * (geo-cells.ts) hold the candidates, and the exact test each candidate
 * value must pass. Aerospike's two kinds:
 *   - points within a region: the bin holds a GeoJSON Point inside the
 *     query's Polygon, MultiPolygon or AeroCircle;
 *   - regions containing a point: the bin holds a GeoJSON region that holds
 *     the query's Point.
 */
import { GeoJson, parseGeoJson, regionBox, regionContains, type BinValue, type Geometry, type LngLat, type Region } from '../../record/index.js';
import { checkGeoJson, opsError } from '../operations/index.js';
import { boxRanges, cellOf, geoKeysOf, GEO_WIDE_KEY } from './geo-cells.js';

export type GeoFilter = { geoWithin: string } | { geoContains: string };

export type GeoQuery = { kind: 'within'; region: Region } | { kind: 'contains'; point: LngLat };

/** The query's geometry; throws ENGINE_ERR_INVALID_GEOJSON for bad GeoJSON and ENGINE_ERR_INVALID_ARGUMENT for the wrong kind of geometry. */
export function geoQueryOf(filter: GeoFilter): GeoQuery {
  let query = parsed.get(filter);
  if (query === undefined) parsed.set(filter, (query = parseQuery(filter)));
  return query;
}

/** Queries parsed once per filter object: the exact test runs for every candidate. */
const parsed = new WeakMap<GeoFilter, GeoQuery>();

function parseQuery(filter: GeoFilter): GeoQuery {
  if ('geoWithin' in filter) {
    const geometry = checkGeoJson(new GeoJson(filter.geoWithin), 'query region');
    if (geometry.kind === 'point') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', 'geoWithin takes a region (Polygon, MultiPolygon or AeroCircle), not a Point; use geoContains to find regions holding a point');
    return { kind: 'within', region: geometry };
  }
  const geometry = checkGeoJson(new GeoJson(filter.geoContains), 'query point');
  if (geometry.kind !== 'point') throw opsError('ENGINE_ERR_INVALID_ARGUMENT', `geoContains takes a Point, not a ${geometry.kind}; use geoWithin to find points inside a region`);
  return { kind: 'contains', point: geometry.point };
}

/** The key ranges holding every candidate of the query (none when the region holds no point). */
export function geoRanges(query: GeoQuery): Array<[number, number]> {
  if (query.kind === 'contains') {
    const cell = cellOf(query.point);
    return [[GEO_WIDE_KEY, GEO_WIDE_KEY], [cell, cell]];
  }
  const box = regionBox(query.region);
  return box === null ? [] : boxRanges(box);
}

/** The geometry of a stored value, or null when it is not GeoJSON (or, written before validation, does not parse). */
export function geometryOf(value: BinValue | undefined): Geometry | null {
  if (!(value instanceof GeoJson)) return null;
  const parsed = parseGeoJson(value.text);
  return 'error' in parsed ? null : parsed;
}

/** The keys a value is filed under in a GEO2DSPHERE index. */
export function geoValueKeys(value: BinValue | undefined): number[] {
  const geometry = geometryOf(value);
  return geometry === null ? [] : geoKeysOf(geometry);
}

export function geoValueMatches(query: GeoQuery, value: BinValue): boolean {
  const geometry = geometryOf(value);
  if (geometry === null) return false;
  if (query.kind === 'within') return geometry.kind === 'point' && regionContains(query.region, geometry.point);
  return geometry.kind !== 'point' && regionContains(geometry, query.point);
}
