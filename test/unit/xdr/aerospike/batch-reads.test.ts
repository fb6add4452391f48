// Batches of plain reads are one engine call (xdr/aerospike/batch-reads.ts):
// every row shape they take (all bins, named bins, header only, REPEAT rows,
// missing records) answers exactly as the row-by-row path does, and a batch
// whose engine call fails is answered row by row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRow, FieldType, Info1, Info2, Info3, OpType, ParticleType, ResultCode } from '../../../../aerospike-protocol/index.js';
import { computeDigest } from '../../../../engine/index.js';
import { WireClient, decodeReply, firstHeaderLength, headersOf, intValue, keyFields, msgFrame } from '../../../helpers/aerospike-wire.js';
import { startService } from './service.js';

const put = (key: string, bins: Record<string, number>) =>
  msgFrame({ info2: Info2.WRITE, fields: keyFields('test', 'demo', key), ops: Object.entries(bins).map(([name, n]) => ({ type: OpType.WRITE, particle: ParticleType.INTEGER, name, value: intValue(n) })) });

interface Row {
  key: string;
  /** Repeat the previous row's namespace, set, attributes and ops. */
  repeat?: boolean;
  info1?: number;
  info2?: number;
  /** Bins to read by name (op READ each). */
  bins?: string[];
  ns?: string;
}

function field(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, data]);
}

function readOp(name: string): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(4 + name.length, 0);
  head[4] = OpType.READ;
  head[7] = name.length;
  return Buffer.concat([head, Buffer.from(name)]);
}

/** A batch-any request with each row laid out as the clients lay it out. */
function batchFrame(rows: Row[]): Buffer {
  const parts: Buffer[] = [];
  rows.forEach((row, i) => {
    const head = Buffer.alloc(25);
    head.writeUInt32BE(i, 0);
    Buffer.from(computeDigest('demo', row.key)).copy(head, 4);
    if (row.repeat) {
      head[24] = BatchRow.REPEAT;
      parts.push(head);
      return;
    }
    head[24] = BatchRow.INFO;
    const ops = (row.bins ?? []).map(readOp);
    const attrs = Buffer.alloc(7);
    attrs[0] = row.info1 ?? Info1.READ | (row.bins ? 0 : Info1.GET_ALL);
    attrs[1] = row.info2 ?? 0;
    attrs[2] = 0;
    attrs.writeUInt16BE(2, 3);
    attrs.writeUInt16BE(ops.length, 5);
    parts.push(head, attrs, field(FieldType.NAMESPACE, Buffer.from(row.ns ?? 'test')), field(FieldType.SET, Buffer.from('demo')), ...ops);
  });
  const count = Buffer.alloc(5);
  count.writeUInt32BE(rows.length, 0);
  return msgFrame({ info1: Info1.BATCH, fields: [[FieldType.BATCH_INDEX, Buffer.concat([count, ...parts])]] });
}

/** Each row of a batch reply: its index, result code, generation and bins (as [name, value] pairs in order). */
async function batchRows(c: WireClient, frame: Buffer): Promise<Array<{ index: number; resultCode: number; generation: number; ops: Array<[string, unknown]> }>> {
  c.send(frame);
  const reply = await c.next();
  const rows = [];
  for (const h of headersOf(reply.body)) {
    if ((h.info3 & Info3.LAST) !== 0) break;
    const one = reply.body.subarray(h.at, h.at + firstHeaderLength(reply.body.subarray(h.at)));
    const decoded = decodeReply({ type: reply.type, body: one });
    rows.push({ index: reply.body.readUInt32BE(h.at + 14), resultCode: h.resultCode, generation: h.generation, ops: decoded.msg!.ops });
  }
  return rows;
}

const ROWS: Row[] = [
  { key: 'a' },
  { key: 'b', repeat: true },
  { key: 'missing', repeat: true },
  { key: 'a', bins: ['y', 'nope', 'x', 'y'] },
  { key: 'b', repeat: true },
  { key: 'a', info1: Info1.READ | Info1.NO_BIN_DATA },
  { key: 'missing', info1: Info1.READ | Info1.NO_BIN_DATA },
];

const EXPECTED = [
  { index: 0, resultCode: 0, generation: 1, ops: [['x', 1], ['y', 2]] },
  { index: 1, resultCode: 0, generation: 2, ops: [['x', 3]] },
  { index: 2, resultCode: ResultCode.NOT_FOUND, generation: 0, ops: [] },
  { index: 3, resultCode: 0, generation: 1, ops: [['y', 2], ['x', 1]] },
  { index: 4, resultCode: 0, generation: 2, ops: [['x', 3]] },
  { index: 5, resultCode: 0, generation: 1, ops: [] },
  { index: 6, resultCode: ResultCode.NOT_FOUND, generation: 0, ops: [] },
];

test('a batch of plain reads (all bins, named bins, header only, REPEAT rows, missing records) is one engine call and answers each row', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  await c.request(put('a', { x: 1, y: 2 }));
  await c.request(put('b', { x: 1 }));
  await c.request(put('b', { x: 3 }));
  const batchGet = t.mock.method(engine, 'batchGet');
  const get = t.mock.method(engine, 'get');
  const rows = await batchRows(c, batchFrame(ROWS));
  assert.deepEqual(rows, EXPECTED);
  assert.equal(batchGet.mock.callCount(), 1, 'one engine call for the whole batch');
  assert.equal(get.mock.callCount(), 0, 'no per-row reads');
});

test('a batch whose single engine call fails is answered row by row, each row with its own outcome', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  await c.request(put('a', { x: 1, y: 2 }));
  await c.request(put('b', { x: 1 }));
  await c.request(put('b', { x: 3 }));
  t.mock.method(engine, 'batchGet', () => Promise.reject(new Error('a record failed its checks')));
  const get = t.mock.method(engine, 'get');
  assert.deepEqual(await batchRows(c, batchFrame(ROWS)), EXPECTED);
  assert.equal(get.mock.callCount(), ROWS.length, 'one read per row');
});

test('a batch with a row the single call does not serve (here an unknown namespace) runs row by row', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  await c.request(put('a', { x: 1, y: 2 }));
  const batchGet = t.mock.method(engine, 'batchGet');
  const rows = await batchRows(c, batchFrame([{ key: 'a' }, { key: 'a', ns: 'nowhere' }]));
  assert.deepEqual(rows.map((r) => r.resultCode), [0, ResultCode.NAMESPACE]);
  assert.equal(batchGet.mock.callCount(), 0);
});
