/**
 * CRC-32C (Castagnoli) by slicing-by-8 (engine/crc-slicing.ts). zlib.crc32 is
 * the other polynomial and crypto hashes cost far more per 50-byte frame; this
 * runs at several hundred MB/s in V8, which keeps both append() and the
 * recovery scan cheap.
 */
import { slicingBy8 } from '../storage/crc-slicing.js';

const crc32cRange = slicingBy8(0x82f63b78);

/** CRC-32C of bytes[start, end), as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32cRange(bytes, start, end);
}
