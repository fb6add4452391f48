/**
 * The two MessagePack codecs of wire v1, configured once. `useRecords: false`
 * keeps msgpackr to standard MessagePack; `int64AsType: 'auto'` hands back int64
 * values as numbers when they are safe integers and as bigint otherwise, which is
 * exactly the engine's convention for integer bins.
 */
import { Packr, Unpackr } from 'msgpackr';

export const packr = new Packr({ useRecords: false, variableMapSize: true, moreTypes: false });

// msgpackr 2.x implements int64AsType 'auto' but its .d.ts does not list it yet.
const unpackOptions = { useRecords: false, mapsAsObjects: true, int64AsType: 'auto', moreTypes: false };
export const unpackr = new Unpackr(unpackOptions as unknown as ConstructorParameters<typeof Unpackr>[0]);
