/**
 * HyperLogLog operations: the value of an HLL_READ or HLL_MODIFY op is a
 * MessagePack array `[op-code, arg...]`. Arguments are integers (bit counts,
 * flags) or lists. A list item is kept as its raw MessagePack bytes, because
 * Aerospike hashes an element by its packed form, and, for strings and blobs,
 * with its payload (after the header), because a HyperLogLog argument is a blob
 * whose payload is a type byte and the sketch.
 */
import { badValue } from './errors.js';
import { MsgpackReader, describe } from './msgpack.js';

/** Most arguments of one HLL operation (add takes 4). */
const HLL_ARGS_MAX = 4;

export interface HllRawItem {
  /** The item's whole MessagePack encoding. */
  raw: Uint8Array;
  /** For a string or blob: the bytes after its header; otherwise null. */
  payload: Uint8Array | null;
  /** The item is a list or a map. */
  collection: boolean;
}

export type HllRawArg = { kind: 'int'; value: number } | { kind: 'list'; items: HllRawItem[] } | { kind: 'item'; item: HllRawItem };

export interface HllCall {
  code: number;
  args: HllRawArg[];
}

function payloadStart(b0: number, start: number): number | null {
  if ((b0 & 0xe0) === 0xa0) return start + 1;
  if (b0 === 0xd9 || b0 === 0xc4) return start + 2;
  if (b0 === 0xda || b0 === 0xc5) return start + 3;
  if (b0 === 0xdb || b0 === 0xc6) return start + 5;
  return null;
}

function readItem(r: MsgpackReader): HllRawItem {
  const start = r.pos;
  const b0 = r.buf[start]!;
  r.skip();
  const raw = new Uint8Array(r.buf.subarray(start, r.pos));
  const from = payloadStart(b0, start);
  const collection = (b0 & 0xf0) === 0x90 || (b0 & 0xf0) === 0x80 || b0 === 0xdc || b0 === 0xdd || b0 === 0xde || b0 === 0xdf;
  return { raw, payload: from === null ? null : new Uint8Array(r.buf.subarray(from, r.pos)), collection };
}

/** Decodes an HLL op value in buf[start, end). */
export function decodeHllCall(buf: Buffer, start: number, end: number): HllCall {
  const r = new MsgpackReader(buf, start, end);
  const n = r.arrayHeader();
  if (n === 0) throw badValue('a HyperLogLog operation is an empty array; it needs an op code');
  if (n - 1 > HLL_ARGS_MAX) throw badValue(`a HyperLogLog operation has ${n - 1} arguments; at most ${HLL_ARGS_MAX}`);
  const code = r.value(1);
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0) throw badValue(`HyperLogLog op code ${describe(code)} is not a non-negative integer`);
  const args: HllRawArg[] = [];
  for (let i = 1; i < n; i++) {
    if (r.nextIsArray()) {
      const count = r.arrayHeader();
      const items: HllRawItem[] = [];
      for (let j = 0; j < count; j++) items.push(readItem(r));
      args.push({ kind: 'list', items });
      continue;
    }
    const item = readItem(r);
    const v = item.payload === null && !item.collection ? new MsgpackReader(Buffer.from(item.raw), 0, item.raw.length).value(1) : null;
    if (typeof v === 'number' && Number.isInteger(v)) args.push({ kind: 'int', value: v });
    else args.push({ kind: 'item', item });
  }
  if (!r.atEnd()) throw badValue('bytes follow the HyperLogLog operation');
  return { code, args };
}
