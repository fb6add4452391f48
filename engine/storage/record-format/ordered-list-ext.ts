/**
 * Stored form of an ordered list: a MessagePack ext of type
 * ORDERED_LIST_EXT_TYPE whose payload is the list's items as one array. The
 * flag must survive a restart (later writes keep the list sorted), and an
 * ext is the one MessagePack element that can mark a whole array without
 * changing what a plain list looks like. Registered with msgpackr once, for
 * every codec in the process (msgpackr keeps extensions globally); wire v1
 * registers the same encoding, so the two agree whichever loads last.
 */
import { Packr, addExtension } from 'msgpackr';
import { ORDERED_LIST_EXT_TYPE, OrderedList, orderedList, plainItems, type BinValue } from '../../../record/index.js';

// The same options as the body codec: int64 beyond ±2^53 back as bigint, bytes as copies (never views into a reused device buffer).
const items = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: 'auto' as 'bigint',
  copyBuffers: true,
  variableMapSize: true,
  moreTypes: false,
});

addExtension({
  Class: OrderedList,
  type: ORDERED_LIST_EXT_TYPE,
  pack: (list: OrderedList) => items.pack(plainItems(list)),
  unpack: (payload: Uint8Array) => {
    const list: unknown = items.unpack(payload);
    if (!Array.isArray(list)) throw new Error(`ordered list ext ${ORDERED_LIST_EXT_TYPE} must hold one array`);
    return orderedList(list as BinValue[]);
  },
});
