/**
 * CRC-32 (the zlib/IEEE polynomial) over byte ranges. Node ≥ 20.15 ships
 * zlib.crc32 in C, many times faster than any JS loop, so cold start can afford
 * to checksum every byte; older Node 20 releases fall back to a table-driven JS
 * implementation of the same polynomial, so files stay readable either way.
 */
import * as zlib from 'node:zlib';
import { slicingBy8 } from './crc-slicing.js';

type Crc32Fn = (data: Uint8Array, value?: number) => number;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The JS CRC-32 of short ranges (record headers): slicing-by-8, ~1/4 of a byte loop's time. */
const crc32Short = slicingBy8(0xedb88320);

/** Table-driven CRC-32; exported so a test can check it against the native one. */
export function crc32Js(data: Uint8Array, value = 0): number {
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

/** CRC-32 of `data` (continuing from `value`). */
export const crc32: Crc32Fn = typeof native === 'function' ? native : crc32Js;

/** Below this many bytes the JS loop beats a native call plus the view it needs. */
const NATIVE_MIN_BYTES = 192;

/** CRC-32 of bytes [start, end) of `buf`. */
export function crc32Range(buf: Uint8Array, start: number, end: number): number {
  if (end - start >= NATIVE_MIN_BYTES || crc32 === crc32Js) return crc32(buf.subarray(start, end));
  return crc32Short(buf, start, end);
}
