/**
 * Batch requests in the "batch-any" form (field 41, clients of servers ≥ 6.0):
 * a row count, a flags byte, then rows. Each row is a row index, a digest and
 * a row-type byte; a REPEAT row reuses the namespace, set, attributes and ops
 * of the previous full row; a full row carries info1 (and info2, info3 when the
 * INFO bit is set), then info4, a 2-byte generation and a 4-byte ttl when
 * their bits are set, then its own field and op counts, fields (namespace and
 * set first) and ops in the AS_MSG layout.
 */
import { BatchRow as RowBits, DIGEST_BYTES, FieldType } from './constants.js';
import { ProtocolError, malformed } from './errors.js';
import { fieldString, fieldUserKey, type AsKey } from './fields.js';
import { FieldSet, OpList, checkFieldAndOpCounts, readFields, readOps, type MsgLimits } from './message.js';

export interface BatchLimits extends MsgLimits {
  /** Most rows one batch may carry (Aerospike's batch-max-requests). */
  keysMax: number;
}

/** What a full row states; REPEAT rows share their template's object. */
export interface BatchTemplate {
  ns: string;
  set: string;
  info1: number;
  info2: number;
  info3: number;
  info4: number;
  /** Generation to check (writes with a generation policy). */
  generation: number;
  /** Writes: TTL (-1 never, -2 keep); reads: read-touch percent. */
  ttl: number;
  /** Field types other than namespace, set and key that the row carries (filter expressions, UDF calls, transactions). */
  otherFields: number[];
  ops: OpList;
}

export interface BatchRowEntry {
  /** The row's index in the client's request (offset 14 of its reply). */
  index: number;
  digest: Buffer;
  /** The user key, when the row carries one (send-key writes). */
  key?: AsKey;
  template: BatchTemplate;
}

export interface BatchRequest {
  flags: number;
  rows: BatchRowEntry[];
  /** The buffer the rows' op offsets point into. */
  buf: Buffer;
}

/** Decodes the content of field 41 in buf[start, end). */
export function decodeBatch(buf: Buffer, start: number, end: number, limits: BatchLimits): BatchRequest {
  if (end - start < 5) throw malformed('batch field is shorter than its row count and flags');
  const count = buf.readUInt32BE(start);
  if (count > limits.keysMax) {
    throw new ProtocolError('PROTO_ERR_BATCH_TOO_LARGE', `batch has ${count} keys; at most ${limits.keysMax} are accepted (split the batch)`);
  }
  const flags = buf[start + 4]!;
  let pos = start + 5;
  const rows: BatchRowEntry[] = [];
  let template: BatchTemplate | null = null;
  // The bytes of the last full row from its type byte on, and that row's user key.
  let fullStart = 0;
  let fullEnd = 0;
  let fullKey: AsKey | undefined;
  const fields = new FieldSet();
  for (let i = 0; i < count; i++) {
    if (pos + 4 + DIGEST_BYTES + 1 > end) throw malformed(`batch row ${i} of ${count} runs past the end of the batch field`);
    const index = buf.readUInt32BE(pos);
    const digest = buf.subarray(pos + 4, pos + 4 + DIGEST_BYTES);
    const type = buf[pos + 4 + DIGEST_BYTES]!;
    pos += 4 + DIGEST_BYTES;
    if ((type & RowBits.REPEAT) !== 0) {
      if (template === null) throw malformed(`batch row ${i} repeats a previous row, but it is the first`);
      pos++;
      rows.push({ index, digest, template });
      continue;
    }
    // A full row byte for byte the same as the last one (clients that do not send REPEAT) states the
    // same template: share it rather than decode it again. Rows are self-delimiting, so equal bytes
    // over the last row's length are that whole row.
    const fullLength = fullEnd - fullStart;
    if (template !== null && pos + fullLength <= end && buf.compare(buf, fullStart, fullEnd, pos, pos + fullLength) === 0) {
      pos += fullLength;
      const row: BatchRowEntry = { index, digest, template };
      if (fullKey !== undefined) row.key = fullKey;
      rows.push(row);
      continue;
    }
    fullStart = pos;
    pos++;
    const fixed = 1 + ((type & RowBits.INFO) !== 0 ? 2 : 0) + ((type & RowBits.INFO4) !== 0 ? 1 : 0) + ((type & RowBits.GEN) !== 0 ? 2 : 0) + ((type & RowBits.TTL) !== 0 ? 4 : 0) + 4;
    if (pos + fixed > end) throw malformed(`batch row ${i} of ${count}: its attributes run past the end of the batch field`);
    const info1 = buf[pos++]!;
    let info2 = 0;
    let info3 = 0;
    if ((type & RowBits.INFO) !== 0) {
      info2 = buf[pos++]!;
      info3 = buf[pos++]!;
    }
    const info4 = (type & RowBits.INFO4) !== 0 ? buf[pos++]! : 0;
    let generation = 0;
    if ((type & RowBits.GEN) !== 0) {
      generation = buf.readUInt16BE(pos);
      pos += 2;
    }
    let ttl = 0;
    if ((type & RowBits.TTL) !== 0) {
      ttl = buf.readInt32BE(pos);
      pos += 4;
    }
    const nFields = buf.readUInt16BE(pos);
    const nOps = buf.readUInt16BE(pos + 2);
    pos += 4;
    checkFieldAndOpCounts(nFields, nOps, limits);
    fields.clear();
    pos = readFields(fields, buf, pos, nFields, end);
    const ops = new OpList(Math.max(1, nOps));
    pos = readOps(ops, buf, pos, nOps, end);
    const ns = fieldString(fields, buf, FieldType.NAMESPACE, 'namespace');
    if (ns === undefined) throw malformed(`batch row ${i} of ${count} has no namespace field`);
    const otherFields = fields.presentTypes().filter((t) => t !== FieldType.NAMESPACE && t !== FieldType.SET && t !== FieldType.KEY);
    template = { ns, set: fieldString(fields, buf, FieldType.SET, 'set') ?? '', info1, info2, info3, info4, generation, ttl, otherFields, ops };
    const row: BatchRowEntry = { index, digest, template };
    fullKey = fieldUserKey(fields, buf, FieldType.KEY);
    if (fullKey !== undefined) row.key = fullKey;
    fullEnd = pos;
    rows.push(row);
  }
  return { flags, rows, buf };
}
