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
