/**
 * Cuts a byte stream into messages. Pure: the server pushes each chunk it
 * reads and takes whole messages out; nothing here touches a socket.
 *
 * A message that lies inside one chunk is handed out as a view of that chunk
 * (no copy); one that spans chunks is copied once, when its last byte has
 * arrived, into a buffer of exactly its size, so a large batch arriving in many
 * reads costs one copy, not one per read. Its size is checked against the
 * limit as soon as its header is read, before the body is waited for. A header with another version, or a
 * size over the limit, loses the framing: the error says so and the caller
 * closes the connection.
 */
import { PROTO_HEADER_BYTES, PROTO_VERSION } from './constants.js';
import { ProtocolError } from './errors.js';
import { readProtoHeader } from './proto.js';

export interface Frame {
  type: number;
  body: Buffer;
}

export interface FrameLimits {
  /** Largest body accepted; a larger one is refused before any of it is buffered. */
  maxBodyBytes: number;
}

export class FrameSplitter {
  private readonly chunks: Buffer[] = [];
  private chunkOffset = 0;
  private buffered = 0;
  private readonly headerScratch = Buffer.allocUnsafe(PROTO_HEADER_BYTES);
  /** Header of the message being assembled, once read. */
  private pending: { type: number; size: number } | null = null;

  constructor(private readonly limits: FrameLimits) {}

  /** Bytes received and not yet handed out. */
  bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The next whole message, or null until more bytes arrive. Throws a ProtocolError (framing lost) on a bad header. */
  next(): Frame | null {
    if (this.pending === null) {
      if (this.buffered < PROTO_HEADER_BYTES) return null;
      const header = readProtoHeader(this.take(PROTO_HEADER_BYTES, this.headerScratch));
      if (header.version !== PROTO_VERSION) {
        throw new ProtocolError('PROTO_ERR_BAD_VERSION', `message header has protocol version ${header.version}; this server speaks version ${PROTO_VERSION}`, { framingLost: true });
      }
      if (header.size > this.limits.maxBodyBytes) {
        throw new ProtocolError('PROTO_ERR_FRAME_TOO_LARGE', `message of ${header.size} bytes is larger than the max message size (${this.limits.maxBodyBytes} bytes)`, {
          framingLost: true,
        });
      }
      this.pending = { type: header.type, size: header.size };
    }
    const { type, size } = this.pending;
    if (this.buffered < size) return null;
    this.pending = null;
    return { type, body: this.take(size, null) };
  }

  /** Removes `n` buffered bytes: a view when they lie in one chunk, else a copy (into `into` when given). */
  private take(n: number, into: Buffer | null): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (n === 0) return Buffer.alloc(0);
    if (first !== undefined && first.length - this.chunkOffset >= n) {
      const view = first.subarray(this.chunkOffset, this.chunkOffset + n);
      this.advance(first, n);
      if (into === null) return view;
      view.copy(into, 0);
      return into;
    }
    const out = into ?? Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(n - filled, chunk.length - this.chunkOffset);
      chunk.copy(out, filled, this.chunkOffset, this.chunkOffset + part);
      filled += part;
      this.advance(chunk, part);
    }
    return out;
  }

  private advance(chunk: Buffer, n: number): void {
    this.chunkOffset += n;
    if (this.chunkOffset === chunk.length) {
      this.chunks.shift();
      this.chunkOffset = 0;
    }
  }
}
