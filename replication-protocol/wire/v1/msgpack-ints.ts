/**
 * MessagePack integer tokens as msgpackr writes them (useRecords: false), by
 * byte stores into a buffer at a position (Buffer's writers check their
 * arguments on every call, which the transcoder's per-token budget cannot
 * afford). Each writer returns the position after what it wrote; the caller
 * guarantees INT_TOKEN_BYTES_MAX bytes of room.
 */

export const INT_TOKEN_BYTES_MAX = 9;
export const INT32_MIN = -0x80000000;
export const UINT32_MAX = 0xffffffff;

/** Big-endian u32 of `n` (taken modulo 2^32) at `at`. */
export function writeU32(buf: Uint8Array, at: number, n: number): void {
  buf[at] = n >>> 24;
  buf[at + 1] = n >>> 16;
  buf[at + 2] = n >>> 8;
  buf[at + 3] = n;
}

/** int64 (0xd3) of a safe integer, without a bigint. */
export function writeInt64(buf: Uint8Array, at: number, value: number): number {
  buf[at] = 0xd3;
  // Two's complement halves.
  const hi = Math.floor(value / 0x100000000);
  writeU32(buf, at + 1, hi >>> 0);
  writeU32(buf, at + 5, value - hi * 0x100000000);
  return at + 9;
}

/** msgpackr's smallest token for a safe integer, and int64 beyond 32 bits (the wire's wideInt). */
export function writeInt(buf: Uint8Array, at: number, n: number): number {
  if (n >= 0) {
    if (n < 0x80) {
      buf[at] = n;
      return at + 1;
    }
    if (n < 0x100) {
      buf[at] = 0xcc;
      buf[at + 1] = n;
      return at + 2;
    }
    if (n < 0x10000) {
      buf[at] = 0xcd;
      buf[at + 1] = n >>> 8;
      buf[at + 2] = n;
      return at + 3;
    }
    if (n <= UINT32_MAX) {
      buf[at] = 0xce;
      writeU32(buf, at + 1, n);
      return at + 5;
    }
    return writeInt64(buf, at, n);
  }
  if (n >= -0x20) {
    buf[at] = n & 0xff;
    return at + 1;
  }
  if (n >= -0x80) {
    buf[at] = 0xd0;
    buf[at + 1] = n & 0xff;
    return at + 2;
  }
  if (n >= -0x8000) {
    buf[at] = 0xd1;
    buf[at + 1] = n >> 8;
    buf[at + 2] = n;
    return at + 3;
  }
  if (n >= INT32_MIN) {
    buf[at] = 0xd2;
    writeU32(buf, at + 1, n >>> 0);
    return at + 5;
  }
  return writeInt64(buf, at, n);
}
