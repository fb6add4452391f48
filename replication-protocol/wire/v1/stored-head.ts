/**
 * The metadata entries of a wire v1 record map, written by hand for the
 * shipper's fast path (encode-stored.ts): per record only a digest and a few
 * integers vary, the rest is a per-(namespace, set) prefix packed once by
 * msgpackr from the same map builder as encodeRecord, so its bytes are the
 * format's by definition.
 */
import { packr } from './codec.js';
import { headToWireMap, type RecordHead } from './encode.js';
import { writeInt, writeInt64 } from './msgpack-ints.js';

/** Longest prefix written by hand; a longer one (not possible with the engine's name limits) leaves for msgpackr. */
const PREFIX_BYTES_MAX = 320;
/** Room writeHead() needs: the prefix, the digest, a short key, five keys with integer or bool values. */
export const HEAD_BYTES_MAX = 3 + PREFIX_BYTES_MAX + 20 + 4 + 33 + 5 * 12 + 4 * 9;

const KEY_DIGEST = Buffer.from([0xa6, ...Buffer.from('digest'), 0xc4, 20]);
const KEY_KEY = Buffer.from([0xa3, ...Buffer.from('key')]);
const KEY_GENERATION = Buffer.from([0xaa, ...Buffer.from('generation')]);
const KEY_VOID_TIME = Buffer.from([0xa8, ...Buffer.from('voidTime')]);
const KEY_LUT = Buffer.from([0xa3, ...Buffer.from('lut')]);
const KEY_REGION = Buffer.from([0xa6, ...Buffer.from('region')]);
const KEY_DELETED = Buffer.from([0xa7, ...Buffer.from('deleted')]);

/** The v, kind, ns and set entries (without the map header) and the digest's key and bin8 header, per namespace and set. */
const prefixes = new Map<string, Buffer>();
/** Bounds the prefix cache (sets per namespace are bounded by the engine; this is a second guard). */
const PREFIXES_MAX = 4096;
/** The last prefix looked up: a route ships one namespace, mostly one set. */
let lastNs = '';
let lastSet = '';
let lastPrefix: Buffer | undefined;

function prefixOf(ns: string, set: string): Buffer {
  if (lastPrefix !== undefined && ns === lastNs && set === lastSet) return lastPrefix;
  const id = `${ns}\0${set}`;
  let bytes = prefixes.get(id);
  if (bytes === undefined) {
    const m = headToWireMap({ ns, set, digest: new Uint8Array(20), generation: 0, voidTime: 0, lut: 0, region: 0, deleted: false });
    if (Object.keys(m).slice(0, 5).join() !== 'v,kind,ns,set,digest') throw new Error('stored-head: expected the wire map to start with v, kind, ns, set, digest');
    const packed = packr.pack({ v: m.v, kind: m.kind, ns: m.ns, set: m.set });
    bytes = Buffer.concat([packed.subarray(3), KEY_DIGEST]);
    if (prefixes.size >= PREFIXES_MAX) prefixes.clear();
    prefixes.set(id, bytes);
  }
  lastNs = ns;
  lastSet = set;
  lastPrefix = bytes;
  return bytes;
}

/** Copies `bytes` to `buf` at `at` by loop (the pieces here are short); returns the position after them. */
function copyIn(buf: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[at + i] = bytes[i]!;
  return at + bytes.length;
}

/**
 * Writes the map16 header (entry count without binLuts and bins) and the
 * metadata entries at `at` of `buf`, which has HEAD_BYTES_MAX bytes of room.
 * Returns the position after them, or -1 for what it leaves to msgpackr: user
 * keys that are not short ASCII strings, numbers that are not safe integers.
 */
export function writeHead(buf: Uint8Array, at: number, head: RecordHead): number {
  const key = head.key;
  if (!Number.isSafeInteger(head.generation) || !Number.isSafeInteger(head.voidTime) || !Number.isSafeInteger(head.lut) || !Number.isSafeInteger(head.region)) return -1;
  if (key !== undefined && !(typeof key === 'string' && key.length < 32)) return -1;
  const prefix = prefixOf(head.ns, head.set);
  if (prefix.length > PREFIX_BYTES_MAX) return -1;
  buf[at] = 0xde;
  buf[at + 1] = 0;
  buf[at + 2] = key === undefined ? 10 : 11;
  let p = at + 3;
  // The prefix may pass the length where a loop beats a view; it is copied once per record.
  buf.set(prefix, p);
  p += prefix.length;
  p = copyIn(buf, p, head.digest);
  if (key !== undefined) {
    p = copyIn(buf, p, KEY_KEY);
    buf[p] = 0xa0 | key.length;
    // An ASCII key is its own UTF-8; any other leaves for msgpackr.
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c > 0x7f) return -1;
      buf[p + 1 + i] = c;
    }
    p += 1 + key.length;
  }
  p = writeInt(buf, copyIn(buf, p, KEY_GENERATION), head.generation);
  p = writeInt(buf, copyIn(buf, p, KEY_VOID_TIME), head.voidTime);
  // The lut always goes out as int64, whatever its size.
  p = writeInt64(buf, copyIn(buf, p, KEY_LUT), head.lut);
  p = writeInt(buf, copyIn(buf, p, KEY_REGION), head.region);
  p = copyIn(buf, p, KEY_DELETED);
  buf[p] = head.deleted ? 0xc3 : 0xc2;
  return p + 1;
}
