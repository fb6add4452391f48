/**
 * An ordered list: a list bin (or nested list) that Aerospike keeps sorted in
 * its value order, whatever operation changes it. The order flag belongs to
 * the value, so it is a kind of list rather than a side table: it is stored
 * with the bin, travels between regions and is part of a version's canonical
 * text. Aerospike keeps the flag in the list's MessagePack ext header; each
 * codec of ours writes it in its own format.
 *
 * Derived arrays (slice, map, filter) are plain lists: only a value built on
 * purpose with `orderedList` is ordered, so a result cut from an ordered list
 * never claims an order it was not sorted into.
 */
import type { BinValue } from './types.js';

/**
 * The MessagePack extension type that the engine's stored records and wire v1
 * give an ordered list; its payload is the items as one MessagePack array.
 * (Aerospike's client protocol marks order differently: an ext header inside
 * the array, which aerospike-protocol/ reads and writes.)
 */
export const ORDERED_LIST_EXT_TYPE = 0x4f;

export class OrderedList extends Array<BinValue> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/**
 * A plain array of a list's items. Use it rather than slice, map or a spread
 * on an OrderedList: those create their result through Symbol.species, V8's
 * slow generic path (~40x slower than this loop for 10,000 items).
 */
export function plainItems(list: readonly BinValue[]): BinValue[] {
  const out = new Array<BinValue>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i]!;
  return out;
}

/** An ordered list holding `items`, which the caller has already sorted in Aerospike's value order. */
export function orderedList(items: readonly BinValue[]): OrderedList {
  // A plain copy given the subclass's prototype: a memcpy, where pushing item by item took ~17x longer.
  return Object.setPrototypeOf(plainItems(items), OrderedList.prototype) as OrderedList;
}

/** Not a type guard on purpose: an OrderedList is a BinValue[] to TypeScript, so a guard would narrow the other branch to never. */
export function isOrderedList(value: unknown): boolean {
  return value instanceof OrderedList;
}
