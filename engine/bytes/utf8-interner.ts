/**
 * Strings decoded from short byte runs that repeat (bin names, set names),
 * cached by a hash of their bytes: a hit costs a hash and a compare instead of
 * a UTF-8 decode and a new string. Fixed size, direct-mapped: a collision
 * replaces the entry, so memory stays bounded whatever the input.
 */
interface Entry {
  bytes: Uint8Array;
  text: string;
}

export class Utf8Interner {
  private readonly entries: Array<Entry | undefined>;
  private readonly mask: number;

  /**
   * @param size entries, a power of two
   * @param bytesMax longer runs are decoded every time, not cached
   * @param decode the decoder of a miss (and of runs past bytesMax); it may throw
   */
  constructor(size: number, readonly bytesMax: number, private readonly decode: (buf: Uint8Array, start: number, end: number) => string) {
    if (!Number.isInteger(Math.log2(size))) throw new RangeError(`Utf8Interner size must be a power of two, got ${size}`);
    this.entries = new Array<Entry | undefined>(size);
    this.mask = size - 1;
  }

  /** The string of bytes [start, end) of `buf`. */
  text(buf: Uint8Array, start: number, end: number): string {
    const n = end - start;
    if (n > this.bytesMax) return this.decode(buf, start, end);
    let h = n;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
    const slot = h & this.mask;
    const hit = this.entries[slot];
    if (hit !== undefined && hit.bytes.length === n && sameBytes(hit.bytes, buf, start)) return hit.text;
    const text = this.decode(buf, start, end);
    this.entries[slot] = { bytes: new Uint8Array(buf.subarray(start, end)), text };
    return text;
  }
}

function sameBytes(cached: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < cached.length; i++) if (cached[i] !== buf[start + i]) return false;
  return true;
}
