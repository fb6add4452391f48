/**
 * Geometries in degrees, as GeoJSON writes them: [longitude, latitude].
 * A polygon is its loops (the first is the outer boundary, the others holes),
 * each loop closed implicitly (the repeated last vertex is dropped).
 */
export interface LngLat {
  lng: number;
  lat: number;
}

export type Loop = LngLat[];

export type Geometry =
  | { kind: 'point'; point: LngLat }
  | { kind: 'polygon'; loops: Loop[] }
  | { kind: 'multipolygon'; polygons: Loop[][] }
  | { kind: 'circle'; center: LngLat; radiusM: number };

/** A region: anything a point can lie within. */
export type Region = Exclude<Geometry, { kind: 'point' }>;

/** Latitude and longitude bounds; `lngLo > lngHi` when the box crosses the antimeridian. */
export interface Box {
  latLo: number;
  latHi: number;
  lngLo: number;
  lngHi: number;
}
