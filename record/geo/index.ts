/** GeoJSON values and the pure geometry over them; record/index.ts re-exports what others use. */
export { GeoJson, GEOJSON_EXT_TYPE, isGeoJson } from './value.js';
export { geoJsonMsgpackExtension, type GeoJsonMsgpackExtension } from './msgpack-ext.js';
export { parseGeoJson, EARTH_RADIUS_M, GEO_VERTICES_MAX } from './parse.js';
export { haversineM, loopContains, polygonContains, regionBox, regionContains } from './geometry.js';
export type { Box, Geometry, LngLat, Loop, Region } from './shape.js';
