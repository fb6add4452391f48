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

/** An ordered list holding `items`, which the caller has already sorted in Aerospike's value order. */
export function orderedList(items: Iterable<BinValue>): OrderedList {
  const out = new OrderedList();
  // One push per item: a spread of a very long list would overflow the call stack.
  for (const item of items) out.push(item);
  return out;
}

/** Not a type guard on purpose: an OrderedList is a BinValue[] to TypeScript, so a guard would narrow the other branch to never. */
export function isOrderedList(value: unknown): boolean {
  return value instanceof OrderedList;
}
