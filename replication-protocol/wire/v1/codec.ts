/**
 * The two MessagePack codecs of wire v1, configured once. `useRecords: false`
 * keeps msgpackr to standard MessagePack; `int64AsType: 'auto'` hands back int64
 * values as numbers when they are safe integers and as bigint otherwise, which is
 * exactly the engine's convention for integer bins.
 */
import { Packr, Unpackr, addExtension } from 'msgpackr';
import { geoJsonMsgpackExtension, hll } from '../../../record/index.js';

// HyperLogLog bins travel as ext 18 (record/hll/msgpack-ext.ts), GeoJSON bins as ext 23 holding their UTF-8 text
// (record/geo/msgpack-ext.ts); a receiver built before either fails to decode such a message with WIRE_ERR_MALFORMED
// (msgpackr throws on an unknown extension) rather than misreading it.
addExtension(hll.hllMsgpackExtension);
addExtension(geoJsonMsgpackExtension);
import './ordered-list-ext.js';

/**
 * Maps are written with a map16 header (3 bytes) whatever their size: ~30% faster
 * to encode than variable-size headers. A map of more than 65535 entries needs
 * map32, which only `widePackr` writes; the encoder picks it when it sees one.
 */
export const packr = new Packr({ useRecords: false, variableMapSize: false, moreTypes: false });
export const widePackr = new Packr({ useRecords: false, variableMapSize: true, moreTypes: false });
/** Most entries a map16 holds. */
export const MAP16_ENTRIES_MAX = 0xffff;

// msgpackr 2.x implements int64AsType 'auto' but its .d.ts does not list it yet.
const unpackOptions = { useRecords: false, mapsAsObjects: true, int64AsType: 'auto', moreTypes: false };
export const unpackr = new Unpackr(unpackOptions as unknown as ConstructorParameters<typeof Unpackr>[0]);
