// Decoding what the official Node client (aerospike 6.7.1, C client 7.4.0) really
// sends: every request kind the service port serves, captured from the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldType, FrameSplitter, Info1, Info2, Info3, MessageType, MsgView, OpType, ParticleType, decodeBatch, decodeCdtCall, decodeMsg, fieldDigest,
  fieldString, fieldUint, fieldUserKey, opName, opValue, parseInfoRequest, readScanRequest,
} from '../../../aerospike-protocol/index.js';
import { computeDigest } from '../../../engine/index.js';
import { NODE_CLIENT_FRAMES, capturedBody } from './fixtures.js';

const LIMITS = { fieldsMax: 64, opsMax: 4096 };

function view(label: string): MsgView {
  const v = new MsgView();
  decodeMsg(v, capturedBody(label), LIMITS);
  return v;
}

test('the captured stream splits into the captured frames, whatever the read boundaries', () => {
  const stream = Buffer.concat(NODE_CLIENT_FRAMES.map((f) => f.bytes));
  for (const chunkBytes of [1, 7, 8, 9, 100, 4096, stream.length]) {
    const splitter = new FrameSplitter({ maxBodyBytes: 1 << 20 });
    const got: Buffer[] = [];
    for (let at = 0; at < stream.length; at += chunkBytes) {
      splitter.push(stream.subarray(at, at + chunkBytes));
      for (let f = splitter.next(); f !== null; f = splitter.next()) got.push(Buffer.concat([Buffer.from([2, f.type, 0, 0, 0, 0, 0, 0]), f.body]));
    }
    assert.equal(got.length, NODE_CLIENT_FRAMES.length, `chunks of ${chunkBytes}`);
    got.forEach((g, i) => assert.deepEqual(g.subarray(8), NODE_CLIENT_FRAMES[i]!.bytes.subarray(8)));
    assert.equal(splitter.bufferedBytes(), 0);
  }
});

test('tend: the seed handshake and the cluster refresh are info requests for node, partition-generation, build, peers and replicas', () => {
  const tend = NODE_CLIENT_FRAMES.filter((f) => f.label === 'tend');
  assert.ok(tend.every((f) => f.type === MessageType.INFO));
  assert.deepEqual(parseInfoRequest(tend[0]!.bytes.subarray(8)), ['node', 'partition-generation', 'build']);
  assert.deepEqual(parseInfoRequest(tend[1]!.bytes.subarray(8)), ['peers-clear-std']);
  assert.deepEqual(parseInfoRequest(tend[2]!.bytes.subarray(8)), ['partition-generation', 'replicas']);
  assert.deepEqual(parseInfoRequest(tend[3]!.bytes.subarray(8)), ['node', 'peers-generation', 'partition-generation']);
});

test('put: WRITE, ttl 100, namespace, set, user key (sent with key SEND), digest, one WRITE op per bin with its particle type', () => {
  const v = view('put');
  assert.equal(v.info1, 0);
  assert.equal(v.info2, Info2.WRITE);
  assert.equal(v.ttl, 100);
  assert.equal(v.timeoutMs, 1000);
  assert.equal(fieldString(v.fields, v.body, FieldType.NAMESPACE, 'ns'), 'test');
  assert.equal(fieldString(v.fields, v.body, FieldType.SET, 'set'), 'demo');
  assert.equal(fieldUserKey(v.fields, v.body, FieldType.KEY), 'k1');
  assert.deepEqual(new Uint8Array(fieldDigest(v.fields, v.body, FieldType.DIGEST)!), computeDigest('demo', 'k1'));
  const bins: Record<string, unknown> = {};
  for (let i = 0; i < v.ops.length; i++) {
    assert.equal(v.ops.opType[i], OpType.WRITE);
    bins[opName(v.ops, v.body, i)] = opValue(v.ops, v.body, i);
  }
  assert.deepEqual(bins, { i: 7, s: 'abc', d: 1.5, l: [1, 'x'], m: { a: 1 }, b: new Uint8Array([1, 2]) });
  const particles = Array.from(v.ops.particle.subarray(0, v.ops.length));
  assert.deepEqual(particles, [ParticleType.INTEGER, ParticleType.STRING, ParticleType.DOUBLE, ParticleType.LIST, ParticleType.MAP, ParticleType.BLOB]);
});

test('get, select, exists, remove: the read and delete flags and the bin names they carry', () => {
  const get = view('get');
  assert.equal(get.info1, Info1.READ | Info1.GET_ALL);
  assert.equal(get.ops.length, 0);
  assert.equal(get.fields.has(FieldType.KEY), false, 'reads address the record by digest only');
  const select = view('select');
  assert.equal(select.info1, Info1.READ);
  assert.deepEqual([0, 1].map((i) => opName(select.ops, select.body, i)), ['i', 's']);
  assert.equal(view('exists').info1, Info1.READ | Info1.NO_BIN_DATA);
  const remove = view('remove');
  assert.equal(remove.info2, Info2.WRITE | Info2.DELETE);
  assert.equal(remove.ops.length, 0);
});

test('operate: incr then read sets READ and WRITE; CDT ops are CDT_MODIFY/CDT_READ with MessagePack [code, args...]', () => {
  const op = view('operate');
  assert.equal(op.info1, Info1.READ);
  assert.equal(op.info2, Info2.WRITE);
  assert.deepEqual([op.ops.opType[0], op.ops.opType[1]], [OpType.INCR, OpType.READ]);
  assert.equal(opValue(op.ops, op.body, 0), 3);
  const cdt = view('cdt');
  // A map operation makes the client ask for every op's result.
  assert.equal(cdt.info2, Info2.WRITE | Info2.RESPOND_ALL_OPS);
  assert.equal(cdt.ops.opType[0], OpType.CDT_MODIFY);
  assert.equal(cdt.ops.particle[0], ParticleType.BLOB);
  assert.deepEqual(decodeCdtCall(cdt.body, cdt.ops.valueStart[0]!, cdt.ops.valueEnd[0]!), { code: 1, args: [9], ctx: [] });
  assert.equal(cdt.ops.opType[1], OpType.CDT_READ);
  assert.deepEqual(decodeCdtCall(cdt.body, cdt.ops.valueStart[1]!, cdt.ops.valueEnd[1]!), { code: 97, args: [7, 'a'], ctx: [] });
});

test('batch: the batch-any field 41 holds rows with index, digest, attributes, namespace, set and bin names', () => {
  const v = view('batch');
  assert.equal(v.info1, Info1.BATCH);
  const batch = decodeBatch(v.body, v.fields.start[FieldType.BATCH_INDEX]!, v.fields.end[FieldType.BATCH_INDEX]!, { ...LIMITS, keysMax: 5000 });
  assert.equal(batch.flags & 0x08, 0x08, 'per-row errors');
  assert.deepEqual(batch.rows.map((r) => r.index), [0, 1]);
  assert.deepEqual(new Uint8Array(batch.rows[1]!.digest), computeDigest('demo', 'k2'));
  const [all, some] = batch.rows.map((r) => r.template);
  assert.equal(all!.ns, 'test');
  assert.equal(all!.set, 'demo');
  assert.equal(all!.info1, Info1.READ | Info1.GET_ALL);
  assert.equal(some!.info1, Info1.READ);
  assert.equal(opName(some!.ops, batch.buf, 0), 'i');
});

test('batch: a full row byte for byte like the one before it shares its template, as a REPEAT row does; a different one does not', () => {
  const field = (type: number, data: string) => Buffer.concat([Buffer.from([0, 0, 0, data.length + 1, type]), Buffer.from(data)]);
  const readOp = (name: string) => Buffer.concat([Buffer.from([0, 0, 0, 4 + name.length, OpType.READ, 0, 0, name.length]), Buffer.from(name)]);
  const row = (i: number, key: string, type: number, info1 = 0, ops: Buffer[] = []) => {
    const head = Buffer.alloc(25);
    head.writeUInt32BE(i, 0);
    Buffer.from(computeDigest('demo', key)).copy(head, 4);
    head[24] = type;
    if (type === 0x01) return head;
    const attrs = Buffer.from([info1, 0, 2, 0, ops.length]);
    return Buffer.concat([head, attrs, field(FieldType.NAMESPACE, 'test'), field(FieldType.SET, 'demo'), ...ops]);
  };
  const rows = [
    row(0, 'a', 0, Info1.READ | Info1.GET_ALL),
    row(1, 'b', 0, Info1.READ | Info1.GET_ALL),
    row(2, 'c', 0, Info1.READ, [readOp('i')]),
    row(3, 'd', 0, Info1.READ, [readOp('i')]),
    row(4, 'e', 0x01),
    row(5, 'f', 0, Info1.READ | Info1.GET_ALL),
  ];
  const content = Buffer.concat([Buffer.from([0, 0, 0, rows.length, 0]), ...rows]);
  const batch = decodeBatch(content, 0, content.length, { ...LIMITS, keysMax: 5000 });
  const t = batch.rows.map((r) => r.template);
  assert.deepEqual(batch.rows.map((r) => r.index), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(new Uint8Array(batch.rows[3]!.digest), computeDigest('demo', 'd'));
  assert.equal(t[1], t[0], 'the same bytes: the same template');
  assert.notEqual(t[2], t[1]);
  assert.equal(t[3], t[2]);
  assert.equal(t[4], t[2], 'REPEAT');
  assert.notEqual(t[5], t[4]);
  assert.deepEqual({ ...t[5]!, ops: undefined }, { ...t[0]!, ops: undefined }, 'a fresh decode of the first row');
  assert.equal(opName(t[3]!.ops, batch.buf, 0), 'i');
});

test('scan: a partition scan of all 4096 partitions with a task id, a socket timeout and partition-done markers asked for', () => {
  const v = view('scan');
  assert.equal(v.info1, Info1.READ);
  assert.equal(v.info3, Info3.PARTITION_DONE);
  assert.equal(v.ttl, -1);
  const req = readScanRequest(v);
  assert.equal(req.ns, 'test');
  assert.equal(req.set, 'demo');
  assert.equal(req.partitions.length, 4096);
  assert.deepEqual(req.partitions.slice(0, 3), [0, 1, 2]);
  assert.equal(req.resume.length, 0);
  assert.equal(req.partitionDone, true);
  assert.match(req.taskId!, /^\d+$/);
  assert.equal(fieldUint(v.fields, v.body, FieldType.SOCKET_TIMEOUT, 'socket timeout'), 30000);
  assert.equal(req.bins, undefined);
});
