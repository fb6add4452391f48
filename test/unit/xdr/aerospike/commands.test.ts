// Single-record commands over raw frames against a real engine: what each
// request kind does, the result codes of refusals, and that a refused write
// leaves the record exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CITRUSLEAF_EPOCH_SEC, FieldType, Info1, Info2, Info3, MessageType, OpType, ParticleType, ResultCode } from '../../../../aerospike-protocol/index.js';
import { computeDigest } from '../../../../engine/index.js';
import { WireClient, frameOf, intValue, keyFields, msgFrame, type WireOp } from '../../../helpers/aerospike-wire.js';
import { startService } from './service.js';

const write = (name: string, value: Buffer, particle: number = ParticleType.INTEGER): WireOp => ({ type: OpType.WRITE, particle, name, value });
const str = (s: string) => Buffer.from(s, 'utf8');

test('put, get (all bins, some bins, header only), exists and delete', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  const fields = keyFields('test', 'demo', 'k1', true);
  const put = await c.request(msgFrame({ info2: Info2.WRITE, ttl: -1, fields, ops: [write('i', intValue(7)), write('s', str('abc'), ParticleType.STRING)] }));
  assert.equal(put.msg!.resultCode, 0);
  assert.equal(put.msg!.generation, 1);
  assert.equal(put.msg!.voidTime, 0, 'ttl -1: never expires');
  const all = await c.request(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('test', 'demo', 'k1') }));
  assert.deepEqual(all.msg!.bins, { i: 7, s: 'abc' });
  const some = await c.request(msgFrame({ info1: Info1.READ, fields: keyFields('test', 'demo', 'k1'), ops: [{ type: OpType.READ, name: 's' }, { type: OpType.READ, name: 'x' }] }));
  assert.deepEqual(some.msg!.bins, { s: 'abc' });
  const head = await c.request(msgFrame({ info1: Info1.READ | Info1.NO_BIN_DATA, fields: keyFields('test', 'demo', 'k1') }));
  assert.deepEqual([head.msg!.resultCode, head.msg!.generation, head.msg!.ops.length], [0, 1, 0]);
  // The user key was sent, so it is stored (scans and queries return it).
  assert.equal((await engine.readVersion('test', computeDigest('demo', 'k1')))!.key, 'k1');
  const del = await c.request(msgFrame({ info2: Info2.WRITE | Info2.DELETE, fields: keyFields('test', 'demo', 'k1') }));
  assert.equal(del.msg!.resultCode, 0);
  // Every delete through the service port is durable (the client's durableDelete flag was not set): a tombstone that replicates.
  assert.equal((await engine.readVersion('test', computeDigest('demo', 'k1')))!.deleted, true);
  assert.equal((await c.request(msgFrame({ info2: Info2.WRITE | Info2.DELETE, fields: keyFields('test', 'demo', 'k1') }))).msg!.resultCode, ResultCode.NOT_FOUND);
  assert.equal((await c.request(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: keyFields('test', 'demo', 'k1') }))).msg!.resultCode, ResultCode.NOT_FOUND);
});

test('write policies: create-only, update-only, replace, generation; a refused write changes nothing', async (t) => {
  const { port, engine } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'p');
  const put = (info2: number, info3: number, ops: WireOp[], generation = 0) => c.request(msgFrame({ info2: Info2.WRITE | info2, info3, generation, fields: f, ops }));
  assert.equal((await put(0, Info3.UPDATE_ONLY, [write('a', intValue(1))])).msg!.resultCode, ResultCode.NOT_FOUND);
  assert.equal((await put(Info2.CREATE_ONLY, 0, [write('a', intValue(1)), write('b', intValue(2))])).msg!.resultCode, 0);
  const before = await engine.readVersion('test', computeDigest('demo', 'p'));
  assert.equal((await put(Info2.CREATE_ONLY, 0, [write('a', intValue(9))])).msg!.resultCode, ResultCode.RECORD_EXISTS);
  assert.equal((await put(Info2.GENERATION, 0, [write('a', intValue(9))], 5)).msg!.resultCode, ResultCode.GENERATION);
  assert.deepEqual(await engine.readVersion('test', computeDigest('demo', 'p')), before, 'refused writes left the record as it was');
  assert.equal((await put(Info2.GENERATION, 0, [write('a', intValue(3))], 1)).msg!.resultCode, 0);
  assert.equal((await put(0, Info3.REPLACE_ONLY, [write('c', intValue(4))])).msg!.resultCode, 0);
  const rec = await c.request(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: f }));
  assert.deepEqual(rec.msg!.bins, { c: 4 }, 'replace dropped the bins it did not write');
  assert.equal(rec.msg!.generation, 3);
});

test('ttl: n seconds is a void time since 2010; -2 keeps it; 0 takes the namespace default (never)', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'ttl');
  const first = await c.request(msgFrame({ info2: Info2.WRITE, ttl: 1000, fields: f, ops: [write('a', intValue(1))] }));
  const expected = Math.floor(Date.now() / 1000) + 1000 - CITRUSLEAF_EPOCH_SEC;
  assert.ok(Math.abs(first.msg!.voidTime - expected) <= 2, `${first.msg!.voidTime} vs ${expected}`);
  const kept = await c.request(msgFrame({ info2: Info2.WRITE, ttl: -2, fields: f, ops: [write('a', intValue(2))] }));
  assert.equal(kept.msg!.voidTime, first.msg!.voidTime);
  const dflt = await c.request(msgFrame({ info2: Info2.WRITE, ttl: 0, fields: f, ops: [write('a', intValue(3))] }));
  assert.equal(dflt.msg!.voidTime, 0);
});

test('operate: increments, reads, respond-all results, touch, and an atomic read-and-delete', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'op');
  await c.request(msgFrame({ info2: Info2.WRITE, fields: f, ops: [write('n', intValue(5)), write('s', str('ab'), ParticleType.STRING)] }));
  const r = await c.request(
    msgFrame({
      info1: Info1.READ,
      info2: Info2.WRITE,
      fields: f,
      ops: [
        { type: OpType.INCR, particle: ParticleType.INTEGER, name: 'n', value: intValue(3) },
        { type: OpType.APPEND, particle: ParticleType.STRING, name: 's', value: str('c') },
        { type: OpType.READ, name: 'n' },
        { type: OpType.READ, name: 's' },
      ],
    }),
  );
  assert.deepEqual(r.msg!.ops, [['n', 8], ['s', 'abc']], 'only the reads report results');
  const all = await c.request(msgFrame({ info1: Info1.READ, info2: Info2.WRITE | Info2.RESPOND_ALL_OPS, fields: f, ops: [{ type: OpType.INCR, particle: ParticleType.INTEGER, name: 'n', value: intValue(1) }, { type: OpType.READ, name: 'n' }] }));
  assert.deepEqual(all.msg!.ops, [['n', null], ['n', 9]], 'respond-all: one result per op, writes answer nil');
  const touched = await c.request(msgFrame({ info2: Info2.WRITE, ttl: 500, fields: f, ops: [{ type: OpType.TOUCH }] }));
  assert.ok(touched.msg!.voidTime > 0);
  const gone = await c.request(msgFrame({ info1: Info1.READ, info2: Info2.WRITE, fields: f, ops: [{ type: OpType.READ, name: 's' }, { type: OpType.DELETE }] }));
  assert.deepEqual(gone.msg!.ops, [['s', 'abc']]);
  assert.equal((await c.request(msgFrame({ info1: Info1.READ | Info1.NO_BIN_DATA, fields: f }))).msg!.resultCode, ResultCode.NOT_FOUND);
});

test('what the gateway does not implement is answered with a result code, never a hang, and the connection stays usable', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'u');
  const code = async (bytes: Buffer) => (await c.request(bytes)).msg!.resultCode;
  assert.equal(await code(msgFrame({ info1: Info1.READ, fields: f, ops: [{ type: OpType.EXP_READ, name: 'x', particle: ParticleType.BLOB, value: Buffer.from([0x91, 0x01]) }] })), ResultCode.UNSUPPORTED_FEATURE);
  assert.equal(await code(msgFrame({ info1: Info1.READ, fields: f, ops: [{ type: OpType.BIT_READ, name: 'x', particle: ParticleType.BLOB, value: Buffer.from([0x91, 0x01]) }] })), ResultCode.UNSUPPORTED_FEATURE);
  assert.equal(await code(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: [...f, [FieldType.FILTER, Buffer.from([0x93, 0x01, 0x02, 0x03])]] })), ResultCode.UNSUPPORTED_FEATURE);
  assert.equal(await code(msgFrame({ info2: Info2.WRITE, fields: f, ops: [{ type: 99, name: 'x' }] })), ResultCode.PARAMETER);
  assert.equal(await code(msgFrame({ info2: Info2.WRITE, fields: keyFields('nope', 'demo', 'u'), ops: [write('a', intValue(1))] })), ResultCode.NAMESPACE);
  assert.equal(await code(msgFrame({ info2: Info2.WRITE, fields: f, ops: [write('a_bin_name_too_long', intValue(1))] })), ResultCode.BIN_NAME);
  assert.equal(await code(msgFrame({ info2: Info2.WRITE, fields: f, ops: [write('g', Buffer.from('\x00\x00\x00{}'), ParticleType.GEOJSON)] })), ResultCode.GEO_INVALID_GEOJSON, 'GeoJSON without a type');
  // Compressed messages: the framing holds, so the answer is a result code.
  assert.equal(await code(frameOf(MessageType.COMPRESSED, Buffer.alloc(12))), ResultCode.UNSUPPORTED_FEATURE);
  // A login: "security not enabled" (52), which clients accept.
  const login = await c.request(frameOf(MessageType.ADMIN, Buffer.alloc(16)));
  assert.equal(login.type, MessageType.ADMIN);
  assert.equal(login.body[1], 52);
  assert.equal(await code(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: f })), ResultCode.NOT_FOUND, 'still serving');
});
