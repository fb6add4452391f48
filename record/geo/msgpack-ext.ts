/**
 * How a GeoJSON value travels in xdrgate's own MessagePack formats (the
 * stored record body and wire v1): a MessagePack ext of type 23 (Aerospike's
 * GEOJSON particle type) whose data is the value's UTF-8 text. A standard ext,
 * so any MessagePack reader decodes it (as an ext it may not know). msgpackr
 * keeps extensions in one process-wide table, so the storage format and the
 * wire format both register this one definition (as HLL's, record/hll).
 */
import { GEOJSON_EXT_TYPE, GeoJson } from './value.js';

export interface GeoJsonMsgpackExtension {
  Class: typeof GeoJson;
  type: number;
  pack(value: GeoJson): Uint8Array;
  unpack(data: Uint8Array): GeoJson;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const geoJsonMsgpackExtension: GeoJsonMsgpackExtension = {
  Class: GeoJson,
  type: GEOJSON_EXT_TYPE,
  pack: (value) => encoder.encode(value.text),
  // Decoding copies the text out of the decoder's buffer (a reused device buffer, a Kafka batch).
  unpack: (data) => new GeoJson(decoder.decode(data)),
};
