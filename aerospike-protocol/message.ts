/**
 * AS_MSG (message type 3): a 22-byte header, then fields, then ops.
 *
 * Decoding fills reusable views (FieldSet, OpList, MsgView) with offsets into
 * the message's own bytes: nothing is copied or allocated per message, and a
 * server that turns a view into an engine call synchronously can reuse one
 * view for every message of a connection. Strings and values are read from
 * the views on demand (fields.ts, particles.ts).
 *
 * Every size is checked against the bytes that are there and against the
 * configured limits before it is used.
 */
import { FIELD_HEADER_BYTES, MSG_HEADER_BYTES, OP_HEADER_BYTES } from './constants.js';
import { ProtocolError, malformed } from './errors.js';

export interface MsgLimits {
  /** Most fields one message (or batch row) may carry. */
  fieldsMax: number;
  /** Most ops one message (or batch row) may carry. */
  opsMax: number;
}

/** The fields of one message, by type: where each one's data starts and ends (-1 when absent). */
export class FieldSet {
  readonly start = new Int32Array(256).fill(-1);
  readonly end = new Int32Array(256);
  /** Types present, so clearing touches only those. */
  private readonly types: number[] = [];
  /** Types in the order they came (for refusing the ones the server does not implement). */
  count = 0;

  clear(): void {
    for (const t of this.types) this.start[t] = -1;
    this.types.length = 0;
    this.count = 0;
  }

  has(type: number): boolean {
    return this.start[type]! >= 0;
  }

  size(type: number): number {
    return this.start[type]! < 0 ? -1 : this.end[type]! - this.start[type]!;
  }

  presentTypes(): readonly number[] {
    return this.types;
  }

  add(type: number, start: number, end: number): void {
    if (this.start[type]! < 0) this.types.push(type);
    this.start[type] = start;
    this.end[type] = end;
    this.count++;
  }
}

/** The ops of one message: type, particle type, name and value ranges, by position. */
export class OpList {
  length = 0;
  opType: Uint8Array;
  particle: Uint8Array;
  nameStart: Int32Array;
  nameLen: Uint8Array;
  valueStart: Int32Array;
  valueEnd: Int32Array;

  constructor(capacity = 16) {
    this.opType = new Uint8Array(capacity);
    this.particle = new Uint8Array(capacity);
    this.nameStart = new Int32Array(capacity);
    this.nameLen = new Uint8Array(capacity);
    this.valueStart = new Int32Array(capacity);
    this.valueEnd = new Int32Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(opType: number, particle: number, nameStart: number, nameLen: number, valueStart: number, valueEnd: number): void {
    if (this.length === this.opType.length) this.grow();
    const i = this.length++;
    this.opType[i] = opType;
    this.particle[i] = particle;
    this.nameStart[i] = nameStart;
    this.nameLen[i] = nameLen;
    this.valueStart[i] = valueStart;
    this.valueEnd[i] = valueEnd;
  }

  private grow(): void {
    const n = this.opType.length * 2;
    const copy = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.opType = copy(this.opType, (k) => new Uint8Array(k));
    this.particle = copy(this.particle, (k) => new Uint8Array(k));
    this.nameStart = copy(this.nameStart, (k) => new Int32Array(k));
    this.nameLen = copy(this.nameLen, (k) => new Uint8Array(k));
    this.valueStart = copy(this.valueStart, (k) => new Int32Array(k));
    this.valueEnd = copy(this.valueEnd, (k) => new Int32Array(k));
  }
}

/** One decoded AS_MSG: its header, and its fields and ops as offsets into `body`. */
export class MsgView {
  body: Buffer = Buffer.alloc(0);
  info1 = 0;
  info2 = 0;
  info3 = 0;
  info4 = 0;
  resultCode = 0;
  generation = 0;
  /** Header bytes 10..13 as a signed number: writes' TTL (-1 never, -2 keep), reads' touch percent. */
  ttl = 0;
  /** Header bytes 14..17: the server-side timeout of a request, the row index of a batch reply. */
  timeoutMs = 0;
  readonly fields = new FieldSet();
  readonly ops = new OpList();
}

/**
 * Reads `n` fields from buf[pos, end) into `fields`; returns the offset after them.
 */
export function readFields(fields: FieldSet, buf: Buffer, pos: number, n: number, end: number): number {
  for (let i = 0; i < n; i++) {
    if (pos + FIELD_HEADER_BYTES > end) throw malformed(`field ${i} of ${n}: header runs past the end of the message`);
    const size = buf.readUInt32BE(pos);
    if (size < 1) throw malformed(`field ${i} of ${n}: size ${size} is less than 1 (it counts the type byte)`);
    const type = buf[pos + 4]!;
    const start = pos + FIELD_HEADER_BYTES;
    const stop = pos + 4 + size;
    if (stop > end) throw malformed(`field ${i} (type ${type}) of ${size - 1} bytes runs past the end of the message`);
    fields.add(type, start, stop);
    pos = stop;
  }
  return pos;
}

/** Reads `n` ops from buf[pos, end) into `ops`; returns the offset after them. */
export function readOps(ops: OpList, buf: Buffer, pos: number, n: number, end: number): number {
  for (let i = 0; i < n; i++) {
    if (pos + OP_HEADER_BYTES > end) throw malformed(`op ${i} of ${n}: header runs past the end of the message`);
    const size = buf.readUInt32BE(pos);
    const nameLen = buf[pos + 7]!;
    if (size < 4 + nameLen) throw malformed(`op ${i} of ${n}: size ${size} is smaller than its header and ${nameLen}-byte name`);
    const stop = pos + 4 + size;
    if (stop > end) throw malformed(`op ${i} of ${n} (${size} bytes) runs past the end of the message`);
    const nameStart = pos + OP_HEADER_BYTES;
    ops.push(buf[pos + 4]!, buf[pos + 5]!, nameStart, nameLen, nameStart + nameLen, stop);
    pos = stop;
  }
  return pos;
}

export function checkFieldAndOpCounts(nFields: number, nOps: number, limits: MsgLimits): void {
  if (nFields > limits.fieldsMax) {
    throw new ProtocolError('PROTO_ERR_LIMIT', `message has ${nFields} fields; at most ${limits.fieldsMax} are accepted`);
  }
  if (nOps > limits.opsMax) {
    throw new ProtocolError('PROTO_ERR_LIMIT', `message has ${nOps} ops; at most ${limits.opsMax} are accepted (split the operate)`);
  }
}

/**
 * Decodes the AS_MSG `body` into `view` (cleared first). The whole body must
 * be the header, its fields and its ops: trailing bytes are malformed.
 */
export function decodeMsg(view: MsgView, body: Buffer, limits: MsgLimits): void {
  view.fields.clear();
  view.ops.clear();
  view.body = body;
  if (body.length < MSG_HEADER_BYTES) throw malformed(`AS_MSG of ${body.length} bytes is shorter than its ${MSG_HEADER_BYTES}-byte header`);
  if (body[0] !== MSG_HEADER_BYTES) throw malformed(`AS_MSG header size byte is ${body[0]}; it must be ${MSG_HEADER_BYTES}`);
  view.info1 = body[1]!;
  view.info2 = body[2]!;
  view.info3 = body[3]!;
  view.info4 = body[4]!;
  view.resultCode = body[5]!;
  view.generation = body.readUInt32BE(6);
  view.ttl = body.readInt32BE(10);
  view.timeoutMs = body.readUInt32BE(14);
  const nFields = body.readUInt16BE(18);
  const nOps = body.readUInt16BE(20);
  checkFieldAndOpCounts(nFields, nOps, limits);
  let pos = readFields(view.fields, body, MSG_HEADER_BYTES, nFields, body.length);
  pos = readOps(view.ops, body, pos, nOps, body.length);
  if (pos !== body.length) throw malformed(`${body.length - pos} bytes follow the last op of the message`);
}
