/**
 * A raw client of the Aerospike service port for tests: builds request frames
 * from the documented layout (so tests control every byte, malformed ones
 * included) and reads reply frames with the codec's splitter and decoder.
 */
import net from 'node:net';
import {
  FieldType, FrameSplitter, MsgView, MessageType, ParticleType, decodeMsg, opName, opValue, type AsValue, type Frame,
} from '../../aerospike-protocol/index.js';
import { computeDigest } from '../../engine/index.js';
import { defer, type CleanupScope } from './cleanup.js';

export function frameOf(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = 2;
  header[1] = type;
  header.writeUIntBE(body.length, 2, 6);
  return Buffer.concat([header, body]);
}

export function infoFrame(names: string[]): Buffer {
  return frameOf(MessageType.INFO, Buffer.from(names.map((n) => `${n}\n`).join(''), 'utf8'));
}

export interface WireOp {
  type: number;
  particle?: number;
  name?: string;
  value?: Buffer;
}

export interface WireMsg {
  info1?: number;
  info2?: number;
  info3?: number;
  generation?: number;
  ttl?: number;
  fields?: Array<[number, Buffer]>;
  ops?: WireOp[];
}

export function msgBody(m: WireMsg): Buffer {
  const header = Buffer.alloc(22);
  header[0] = 22;
  header[1] = m.info1 ?? 0;
  header[2] = m.info2 ?? 0;
  header[3] = m.info3 ?? 0;
  header.writeUInt32BE(m.generation ?? 0, 6);
  header.writeInt32BE(m.ttl ?? 0, 10);
  header.writeUInt32BE(1000, 14);
  header.writeUInt16BE(m.fields?.length ?? 0, 18);
  header.writeUInt16BE(m.ops?.length ?? 0, 20);
  const parts: Buffer[] = [header];
  for (const [type, data] of m.fields ?? []) {
    const f = Buffer.alloc(5);
    f.writeUInt32BE(data.length + 1, 0);
    f[4] = type;
    parts.push(f, data);
  }
  for (const op of m.ops ?? []) {
    const name = Buffer.from(op.name ?? '', 'utf8');
    const value = op.value ?? Buffer.alloc(0);
    const h = Buffer.alloc(8);
    h.writeUInt32BE(4 + name.length + value.length, 0);
    h[4] = op.type;
    h[5] = op.particle ?? ParticleType.NULL;
    h[7] = name.length;
    parts.push(h, name, value);
  }
  return Buffer.concat(parts);
}

export function msgFrame(m: WireMsg): Buffer {
  return frameOf(MessageType.MESSAGE, msgBody(m));
}

/** Fields addressing (ns, set, key) by digest, with the user key when `sendKey`. */
export function keyFields(ns: string, set: string, key: string | number, sendKey = false): Array<[number, Buffer]> {
  const fields: Array<[number, Buffer]> = [
    [FieldType.NAMESPACE, Buffer.from(ns)],
    [FieldType.SET, Buffer.from(set)],
    [FieldType.DIGEST, Buffer.from(computeDigest(set, key))],
  ];
  if (sendKey) {
    const k = typeof key === 'string' ? Buffer.concat([Buffer.from([ParticleType.STRING]), Buffer.from(key)]) : Buffer.alloc(9);
    if (typeof key === 'number') {
      k[0] = ParticleType.INTEGER;
      k.writeBigInt64BE(BigInt(key), 1);
    }
    fields.push([FieldType.KEY, k]);
  }
  return fields;
}

export function intValue(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

export interface Reply {
  type: number;
  body: Buffer;
  /** For AS_MSG replies: the decoded header, fields and ops of the first header in the frame. */
  msg?: { info3: number; resultCode: number; generation: number; voidTime: number; bins: Record<string, AsValue>; ops: Array<[string, AsValue]> };
}

export function decodeReply(frame: Frame): Reply {
  if (frame.type !== MessageType.MESSAGE) return { type: frame.type, body: frame.body };
  const v = new MsgView();
  // A stream frame may hold several headers; the first one is decoded here (trailing ones ignored).
  const first = firstHeaderLength(frame.body);
  decodeMsg(v, frame.body.subarray(0, first), { fieldsMax: 1000, opsMax: 100000 });
  const ops: Array<[string, AsValue]> = [];
  for (let i = 0; i < v.ops.length; i++) ops.push([opName(v.ops, v.body, i), opValue(v.ops, v.body, i)]);
  return {
    type: frame.type,
    body: frame.body,
    msg: { info3: v.info3, resultCode: v.resultCode, generation: v.generation, voidTime: v.ttl >>> 0, bins: Object.fromEntries(ops), ops },
  };
}

/** The length of the first 22-byte header with its fields and ops. */
export function firstHeaderLength(body: Buffer): number {
  let pos = 22;
  const nFields = body.readUInt16BE(18);
  const nOps = body.readUInt16BE(20);
  for (let i = 0; i < nFields; i++) pos += 4 + body.readUInt32BE(pos);
  for (let i = 0; i < nOps; i++) pos += 4 + body.readUInt32BE(pos);
  return pos;
}

/** Every header of a stream frame: (info3, result code, generation) and the frame offset. */
export function headersOf(body: Buffer): Array<{ info3: number; resultCode: number; generation: number; at: number }> {
  const out: Array<{ info3: number; resultCode: number; generation: number; at: number }> = [];
  let at = 0;
  while (at < body.length) {
    out.push({ info3: body[at + 3]!, resultCode: body[at + 5]!, generation: body.readUInt32BE(at + 6), at });
    at += firstHeaderLength(body.subarray(at));
  }
  return out;
}

export class WireClient {
  private readonly splitter = new FrameSplitter({ maxBodyBytes: 1 << 30 });
  private readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.splitter.push(chunk);
      for (let f = this.splitter.next(); f !== null; f = this.splitter.next()) this.frames.push(f);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(t: CleanupScope, port: number): Promise<WireClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new WireClient(socket);
    defer(t, () => socket.destroy());
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply frame; rejects when the connection closes first or after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no reply in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift()!;
  }

  async request(bytes: Buffer): Promise<Reply> {
    this.send(bytes);
    return decodeReply(await this.next());
  }

  /** Resolves once the server closed the connection. */
  async closedByServer(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

export function infoText(reply: Reply): string {
  return reply.body.toString('utf8');
}
