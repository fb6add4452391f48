/**
 * How an ordered list travels in xdrgate's own MessagePack formats (the stored
 * record body and wire v1): a MessagePack ext of type ORDERED_LIST_EXT_TYPE
 * whose payload is the list's items as one array. The flag must survive a
 * restart and a hop to the other region (later writes keep the list sorted),
 * and an ext is the one MessagePack element that marks a whole array without
 * changing what a plain list looks like. msgpackr keeps extensions in one
 * process-wide table, so the storage and wire formats both register this one
 * definition, each with the item codec of its own conventions (passing it in
 * keeps record/ free of packages).
 */
import { ORDERED_LIST_EXT_TYPE, OrderedList, orderedList, plainItems } from './ordered-list.js';
import type { BinValue } from './types.js';

/** The codec of the items inside the ext: a msgpackr Packr with the format's options. */
export interface ItemCodec {
  pack(value: unknown): Uint8Array;
  unpack(data: Uint8Array): unknown;
}

export interface OrderedListMsgpackExtension {
  Class: typeof OrderedList;
  type: number;
  pack(list: OrderedList): Uint8Array;
  unpack(data: Uint8Array): OrderedList;
}

export function orderedListMsgpackExtension(items: ItemCodec): OrderedListMsgpackExtension {
  return {
    Class: OrderedList,
    type: ORDERED_LIST_EXT_TYPE,
    pack: (list) => items.pack(plainItems(list)),
    unpack: (payload) => {
      const list = items.unpack(payload);
      if (!Array.isArray(list)) throw new Error(`ordered list ext ${ORDERED_LIST_EXT_TYPE} must hold one array`);
      return orderedList(list as BinValue[]);
    },
  };
}
