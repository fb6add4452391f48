/**
 * Table-driven CRC-32 of any reflected polynomial by slicing-by-8 (eight bytes
 * a step through eight 256-entry tables): the JS CRC for short ranges, where a
 * native call costs more than the work. engine/checksum.ts uses it for the
 * zlib/IEEE polynomial (record headers), engine/changelog/crc32c.ts for
 * Castagnoli (change-log frames).
 */

/** A CRC of bytes [start, end) of `bytes`, as an unsigned 32-bit number. */
export type CrcRange = (bytes: Uint8Array, start: number, end: number) => number;

export function slicingBy8(poly: number): CrcRange {
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[i] = c >>> 0;
  }
  const tables = [t0];
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1]!;
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (prev[i]! >>> 8) ^ t0[prev[i]! & 0xff]!;
    tables.push(next);
  }
  const [T0, T1, T2, T3, T4, T5, T6, T7] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  return (bytes, start, end) => {
    let crc = 0xffffffff;
    let i = start;
    const end8 = end - ((end - start) & 7);
    while (i < end8) {
      const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
      crc = T7[a & 0xff]! ^ T6[(a >>> 8) & 0xff]! ^ T5[(a >>> 16) & 0xff]! ^ T4[a >>> 24]! ^ T3[bytes[i + 4]!]! ^ T2[bytes[i + 5]!]! ^ T1[bytes[i + 6]!]! ^ T0[bytes[i + 7]!]!;
      i += 8;
    }
    while (i < end) crc = (crc >>> 8) ^ T0[(crc ^ bytes[i++]!) & 0xff]!;
    return (crc ^ 0xffffffff) >>> 0;
  };
}
