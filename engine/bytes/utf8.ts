/**
 * UTF-8 to and from Buffers on hot paths (set names, keys, bin names, string
 * values), without the argument handling of buf.write and buf.toString.
 */

/** Up to this many characters a byte loop beats Buffer's encoder (whose call costs ~60 ns). */
const LOOP_CHARS_MAX = 32;

/**
 * Writes `s` as UTF-8 at `at` of `buf` and returns its byte count: a byte loop
 * for short ASCII strings (set names, keys, no native call), Buffer's encoder
 * otherwise (so lone surrogates become U+FFFD exactly as Buffer writes them).
 * The caller guarantees 3 × s.length bytes of room.
 */
export function writeUtf8(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  if (n > LOOP_CHARS_MAX) return buf.write(s, at, 'utf8');
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return buf.write(s, at, 'utf8');
    buf[at + i] = c;
  }
  return n;
}

const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Uint8Array, start: number, end: number): string }).utf8Slice;

/**
 * Bytes [start, end) of `buf` decoded as UTF-8, exactly as buf.toString('utf8',
 * start, end) decodes them (invalid sequences become U+FFFD), without its
 * encoding dispatch (~25 ns a call).
 */
export function readUtf8(buf: Uint8Array, start: number, end: number): string {
  return utf8Slice.call(buf, start, end);
}
