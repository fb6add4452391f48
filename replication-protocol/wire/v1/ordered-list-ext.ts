/**
 * Wire form of an ordered list: a MessagePack ext of type
 * ORDERED_LIST_EXT_TYPE whose payload is the list's items as one array (the
 * engine stores it the same way, so both sides agree on the bytes). The order
 * flag travels because the destination's later writes must keep the list
 * sorted as the source's do. msgpackr keeps extensions globally; the engine
 * registers the identical encoding, so whichever loads last changes nothing.
 */
import { Packr, addExtension } from 'msgpackr';
import { ORDERED_LIST_EXT_TYPE, OrderedList, orderedList, plainItems, type BinValue } from '../../../record/index.js';

// int64 beyond ±2^53 back as bigint (the bins' convention); bytes as copies, never views into a Kafka message buffer.
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
