/**
 * CRC-32 (the zlib/IEEE polynomial) over byte ranges. Node ≥ 20.15 ships
 * zlib.crc32 in C, many times faster than any JS loop, so cold start can afford
 * to checksum every byte; older Node 20 releases fall back to a table-driven JS
 * implementation of the same polynomial, so files stay readable either way.
 */
import * as zlib from 'node:zlib';

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

/** Slicing-by-8 tables for the short ranges crc32Range does in JS (T[0] is TABLE). */
const [S0, S1, S2, S3, S4, S5, S6, S7] = (() => {
  const tables = [TABLE];
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1]!;
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i]! >>> 8) ^ TABLE[prev[i]! & 0xff]!;
    tables.push(next);
  }
  return tables;
})() as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

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
  // Slicing-by-8: a record header (~70-90 bytes) in ~1/3 of a byte loop's time.
  let crc = 0xffffffff;
  let i = start;
  const end8 = end - ((end - start) & 7);
  while (i < end8) {
    const a = crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    crc = S7[a & 0xff]! ^ S6[(a >>> 8) & 0xff]! ^ S5[(a >>> 16) & 0xff]! ^ S4[a >>> 24]! ^ S3[buf[i + 4]!]! ^ S2[buf[i + 5]!]! ^ S1[buf[i + 6]!]! ^ S0[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) crc = S0[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
