// The connection layer of the service port: pipelined requests answered in
// order, every configured limit, framing errors closing the connection after
// the replies owed before them, batches and paged partition scans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldType, Info1, Info2, Info3, OpType, ParticleType, ResultCode, partitionOf } from '../../../../aerospike-protocol/index.js';
import { computeDigest } from '../../../../engine/index.js';
import { WireClient, decodeReply, frameOf, headersOf, intValue, keyFields, msgFrame } from '../../../helpers/aerospike-wire.js';
import { startService } from './service.js';

const put = (key: string, n: number) => msgFrame({ info2: Info2.WRITE, fields: keyFields('test', 'demo', key, true), ops: [{ type: OpType.WRITE, particle: ParticleType.INTEGER, name: 'n', value: intValue(n) }] });
const get = (key: string) => msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('test', 'demo', key) });

test('pipelining: many requests in one write are answered in order, each seeing the writes before it', async (t) => {
  const { port } = await startService(t, { inFlightMax: 8 });
  const c = await WireClient.connect(t, port);
  const frames: Buffer[] = [];
  for (let i = 1; i <= 200; i++) frames.push(put('pipe', i), get('pipe'));
  c.send(Buffer.concat(frames));
  for (let i = 1; i <= 200; i++) {
    const p = decodeReply(await c.next());
    assert.equal(p.msg!.generation, i);
    const g = decodeReply(await c.next());
    assert.deepEqual(g.msg!.bins, { n: i });
  }
});

test('framing errors (another version, a message over max-message-size) close the connection after the replies owed', async (t) => {
  const { port, service } = await startService(t, { messageBytesMax: 1024 });
  const c = await WireClient.connect(t, port);
  const bad = Buffer.from(put('x', 1));
  bad[0] = 1;
  c.send(Buffer.concat([get('x'), bad, get('x')]));
  assert.equal(decodeReply(await c.next()).msg!.resultCode, ResultCode.NOT_FOUND);
  await c.closedByServer();
  const c2 = await WireClient.connect(t, port);
  c2.send(Buffer.concat([get('x'), frameOf(3, Buffer.alloc(2000))]));
  assert.equal(decodeReply(await c2.next()).msg!.resultCode, ResultCode.NOT_FOUND);
  await c2.closedByServer();
  assert.equal(service.stats.snapshot().framingErrors, 2);
});

test('limits: fields and ops per message, keys per batch, connections', async (t) => {
  const { port, service } = await startService(t, { fieldsMax: 5, opsMax: 3, batchKeysMax: 2, connectionsMax: 2 });
  const c = await WireClient.connect(t, port);
  const ops = [1, 2, 3, 4].map((i) => ({ type: OpType.WRITE, particle: ParticleType.INTEGER, name: `b${i}`, value: intValue(i) }));
  assert.equal((await c.request(msgFrame({ info2: Info2.WRITE, fields: keyFields('test', 'demo', 'l'), ops }))).msg!.resultCode, ResultCode.PARAMETER);
  const fields = [...keyFields('test', 'demo', 'l'), ...[1, 2, 3].map((): [number, Buffer] => [FieldType.SOCKET_TIMEOUT, Buffer.alloc(4)])];
  assert.equal((await c.request(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields }))).msg!.resultCode, ResultCode.PARAMETER);
  assert.equal((await c.request(batchFrame(['a', 'b', 'c']))).msg!.resultCode, ResultCode.BATCH_MAX_REQUESTS);
  const second = await WireClient.connect(t, port);
  assert.equal((await second.request(get('l'))).msg!.resultCode, ResultCode.NOT_FOUND);
  const third = await WireClient.connect(t, port);
  await third.closedByServer();
  assert.equal(service.stats.snapshot().connectionsRefused, 1);
  assert.equal((await c.request(get('l'))).msg!.resultCode, ResultCode.NOT_FOUND, 'the connections within the limit still work');
});

test('while the gateway is starting, connections are closed at accept; once ready they are served', async (t) => {
  let ready = false;
  const { port, service } = await startService(t, {}, undefined, () => ready);
  const early = await WireClient.connect(t, port);
  await early.closedByServer();
  assert.equal(service.stats.snapshot().connectionsRefused, 1);
  ready = true;
  const c = await WireClient.connect(t, port);
  assert.equal((await c.request(get('s'))).msg!.resultCode, ResultCode.NOT_FOUND);
});

/** A batch-any request: read all bins of each key. */
function batchFrame(keys: string[]): Buffer {
  const rows: Buffer[] = [];
  keys.forEach((key, i) => {
    const head = Buffer.alloc(4 + 20 + 1 + 3 + 4 + 4);
    head.writeUInt32BE(i, 0);
    Buffer.from(computeDigest('demo', key)).copy(head, 4);
    head[24] = 0x02 | 0x08; // INFO | TTL
    head[25] = Info1.READ | Info1.GET_ALL;
    head.writeUInt16BE(2, 32);
    head.writeUInt16BE(0, 34);
    const ns = Buffer.from('0000000500' + Buffer.from('test').toString('hex'), 'hex');
    const set = Buffer.from('0000000501' + Buffer.from('demo').toString('hex'), 'hex');
    rows.push(head, ns, set);
  });
  const content = Buffer.concat([Buffer.from([0, 0, 0, keys.length, 0x08]), ...rows]);
  return msgFrame({ info1: Info1.BATCH, fields: [[FieldType.BATCH_INDEX, content]] });
}

test('batch: each row answered under its index, missing records with 2, then LAST', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  await c.request(put('b1', 1));
  await c.request(put('b3', 3));
  c.send(batchFrame(['b1', 'b2', 'b3']));
  const reply = await c.next();
  const headers = headersOf(reply.body);
  assert.deepEqual(headers.map((h) => [h.resultCode, h.info3 & Info3.LAST]), [[0, 0], [2, 0], [0, 0], [0, 1]]);
  assert.deepEqual(headers.slice(0, 3).map((h) => reply.body.readUInt32BE(h.at + 14)), [0, 1, 2], 'row indexes at offset 14');
});

test('partition scans page by max-records and resume after a digest: every record exactly once, in digest order per partition', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  for (let i = 0; i < 300; i++) await c.request(put(`s${i}`, i));
  const PARTS = 64;
  const wanted = [...Array(300).keys()].map((i) => `s${i}`).filter((k) => partitionOf(computeDigest('demo', k)) < PARTS);
  // Per partition: 'todo' (read from the start), 'done', or the last digest seen (resume after it).
  const state = new Map<number, 'todo' | 'done' | Buffer>([...Array(PARTS).keys()].map((p) => [p, 'todo']));
  const seen: string[] = [];
  for (let page = 0; page < 500 && [...state.values()].some((v) => v !== 'done'); page++) {
    const todo = [...state].filter(([, v]) => v === 'todo').map(([p]) => p);
    const resume = [...state].filter(([, v]) => Buffer.isBuffer(v)).map(([, v]) => v as Buffer);
    const fields: Array<[number, Buffer]> = [[FieldType.NAMESPACE, Buffer.from('test')], [FieldType.SET, Buffer.from('demo')]];
    if (todo.length > 0) {
      const pids = Buffer.alloc(todo.length * 2);
      todo.forEach((p, i) => pids.writeUInt16LE(p, i * 2));
      fields.push([FieldType.PID_ARRAY, pids]);
    }
    if (resume.length > 0) fields.push([FieldType.DIGEST_ARRAY, Buffer.concat(resume)]);
    const max = Buffer.alloc(8);
    max.writeBigUInt64BE(7n);
    fields.push([FieldType.MAX_RECORDS, max]);
    c.send(msgFrame({ info1: Info1.READ, info3: Info3.PARTITION_DONE, ttl: -1, fields }));
    let ended = false;
    while (!ended) {
      const frame = await c.next();
      for (const h of headersOf(frame.body)) {
        if ((h.info3 & Info3.LAST) !== 0) {
          ended = true;
          break;
        }
        if ((h.info3 & Info3.PARTITION_DONE) !== 0) {
          state.set(h.generation, 'done');
          continue;
        }
        const sub = frame.body.subarray(h.at);
        const digest = Buffer.from(sub.subarray(22 + 5, 22 + 25));
        const pid = partitionOf(digest);
        const prev = state.get(pid);
        if (Buffer.isBuffer(prev)) assert.ok(Buffer.compare(prev, digest) < 0, 'digest order within a partition');
        state.set(pid, digest);
        seen.push(`s${decodeReply({ type: 3, body: sub }).msg!.bins.n}`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), [...wanted].sort());
});
