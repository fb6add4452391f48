/**
 * Strings in Unicode code-point order, which is also UTF-8 byte order: what
 * Aerospike compares, and the order of a key-ordered map's keys. Plain `<`
 * compares UTF-16 code units and puts characters above U+E000 after astral
 * ones; the fix-up below swaps those two ranges.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
