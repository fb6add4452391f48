/**
 * An append-only writer of replies over arena buffers, like Node's own Buffer
 * pool: replies are written one after another into a 64 KiB arena, `take()`
 * hands out the bytes written since the last take as a view (for one socket
 * write), and writing goes on after them in the same arena. A new arena is
 * allocated only when the current one is full, so a stream of small replies
 * costs one allocation per 64 KiB, and a reply the socket still holds is never
 * overwritten. Sizes that are known only after the content (an op whose value
 * is MessagePack, a frame of many records) are patched in place, at marks
 * counted from the start of the untaken bytes, which stay valid when the
 * untaken bytes move to a new arena.
 */
const ARENA_BYTES = 64 * 1024;

export class ByteWriter {
  buf: Buffer;
  view: DataView;
  /** Next write position. */
  pos = 0;
  /** Start of the bytes not yet taken. */
  private start = 0;

  constructor(private readonly arenaBytes = ARENA_BYTES) {
    this.buf = Buffer.allocUnsafe(arenaBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Bytes written and not yet taken. */
  pending(): number {
    return this.pos - this.start;
  }

  /**
   * Makes room for `n` more bytes; when the arena is full, the untaken bytes
   * move to a new one. A reply larger than an arena (a batch of 1 KiB records)
   * gets twice what it needs, so writing it moves it O(log n) times instead of
   * once per record.
   */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const keep = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.arenaBytes, 2 * (keep + n)));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.start = 0;
    this.pos = keep;
  }

  /** The current position as a mark (counted from the untaken start, so it survives a move). */
  mark(): number {
    return this.pos - this.start;
  }

  /** Bytes written since `mark`. */
  since(mark: number): number {
    return this.pos - this.start - mark;
  }

  /** The bytes written since the last take (a view; the writer never writes over them again). */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  /** Forgets everything written since `mark` (a reply that failed half-way). */
  rewind(mark: number): void {
    this.pos = this.start + mark;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }

  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  /** A safe integer as a signed 64-bit big-endian number, without a bigint. */
  int64(v: number): void {
    this.ensure(8);
    const high = Math.floor(v / 4294967296);
    this.view.setInt32(this.pos, high);
    this.view.setUint32(this.pos + 4, v - high * 4294967296);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** UTF-8 of `s`; returns the byte count. */
  utf8(s: string): number {
    // Bin names and most strings are short: an upper bound of 3 bytes per UTF-16 unit avoids measuring first.
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
    return n;
  }

  /** Writes a 32-bit big-endian value at an earlier mark. */
  patchU32(mark: number, v: number): void {
    this.view.setUint32(this.start + mark, v >>> 0);
  }

  /** Writes a 16-bit big-endian value at an earlier mark. */
  patchU16(mark: number, v: number): void {
    this.view.setUint16(this.start + mark, v);
  }

  /** Writes a byte at an earlier mark. */
  patchU8(mark: number, v: number): void {
    this.buf[this.start + mark] = v;
  }
}
