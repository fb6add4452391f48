/**
 * The write-time check of GeoJSON values: Aerospike refuses a GeoJSON value
 * its parser does not accept (AS_ERR_GEO_INVALID_GEOJSON), so the engine does
 * too, before anything is stored. A rejected value fails the whole write.
 */
import { parseGeoJson, type GeoJson, type Geometry } from '../../record/index.js';
import { opsError } from './fail.js';

/** The value's geometry; throws ENGINE_ERR_INVALID_GEOJSON naming `where` (a bin, a path) when Aerospike would refuse it. */
export function checkGeoJson(value: GeoJson, where: string): Geometry {
  const parsed = parseGeoJson(value.text);
  if ('error' in parsed) throw opsError('ENGINE_ERR_INVALID_GEOJSON', `${where}: invalid GeoJSON value: ${parsed.error}`, { where });
  return parsed;
}
