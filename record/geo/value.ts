/**
 * A GeoJSON bin value (Aerospike's GEOJSON particle, type 23): the JSON text
 * exactly as the client wrote it. Aerospike hands the same text back on reads
 * (clients compare it as a string), so the text is the value; its geometry is
 * parsed when the value is written (to refuse bad GeoJSON) and when an index
 * or a query needs it (geometry.ts).
 */
export class GeoJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
    Object.freeze(this);
  }
}

/** MessagePack extension type a GeoJSON value is stored and shipped as (the particle type's number); its payload is the UTF-8 text. */
export const GEOJSON_EXT_TYPE = 23;

export function isGeoJson(value: unknown): value is GeoJson {
  return value instanceof GeoJson;
}
