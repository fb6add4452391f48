/**
 * The keys of a GEO2DSPHERE index: a grid of GEO_CELL_DEG × GEO_CELL_DEG
 * cells over latitude and longitude (S2 is not needed for a correct answer,
 * only for a tighter one). A cell's key is row × GEO_COLS + column, so the
 * cells of one row of a box are one contiguous key range and a box is read as
 * one range per row, never as a scan of every record.
 *
 * A point is filed under its cell. A region is filed under every cell of its
 * box, up to GEO_REGION_CELLS_MAX cells; a bigger region is filed once under
 * GEO_WIDE_KEY, which every region-contains-point query also reads. So one
 * value costs at most GEO_REGION_CELLS_MAX entries: the bound on memory.
 * Every candidate is checked against the exact geometry afterwards.
 */
import { regionBox, type Box, type Geometry, type LngLat } from '../../record/index.js';

/** Cell size, degrees (about 11 km of latitude). */
export const GEO_CELL_DEG = 0.1;
export const GEO_COLS = 3600;
export const GEO_ROWS = 1800;
/** Most cells a region is filed under; a region whose box holds more is filed under GEO_WIDE_KEY. */
export const GEO_REGION_CELLS_MAX = 1024;
/** The key of regions too big to file cell by cell (below every cell key). */
export const GEO_WIDE_KEY = -1;

function row(lat: number): number {
  return Math.min(GEO_ROWS - 1, Math.max(0, Math.floor((lat + 90) / GEO_CELL_DEG)));
}

function col(lng: number): number {
  return Math.min(GEO_COLS - 1, Math.max(0, Math.floor((lng + 180) / GEO_CELL_DEG)));
}

export function cellOf(p: LngLat): number {
  return row(p.lat) * GEO_COLS + col(p.lng);
}

/** Column intervals of a box: one, or two when it crosses the antimeridian. */
function colIntervals(box: Box): Array<[number, number]> {
  if (box.lngLo <= box.lngHi) return [[col(box.lngLo), col(box.lngHi)]];
  return [[col(box.lngLo), GEO_COLS - 1], [0, col(box.lngHi)]];
}

/** The key ranges covering a box: per row, one range per column interval. */
export function boxRanges(box: Box): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const intervals = colIntervals(box);
  for (let r = row(box.latLo); r <= row(box.latHi); r++) {
    for (const [lo, hi] of intervals) out.push([r * GEO_COLS + lo, r * GEO_COLS + hi]);
  }
  return out;
}

function boxCells(box: Box): number {
  const cols = colIntervals(box).reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  return (row(box.latHi) - row(box.latLo) + 1) * cols;
}

/** The keys a geometry is filed under (none for a region that holds no point). */
export function geoKeysOf(geometry: Geometry): number[] {
  if (geometry.kind === 'point') return [cellOf(geometry.point)];
  const box = regionBox(geometry);
  if (box === null) return [];
  if (boxCells(box) > GEO_REGION_CELLS_MAX) return [GEO_WIDE_KEY];
  const keys: number[] = [];
  for (const [lo, hi] of boxRanges(box)) for (let k = lo; k <= hi; k++) keys.push(k);
  return keys;
}
