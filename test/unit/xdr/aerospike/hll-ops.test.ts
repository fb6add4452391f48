// HyperLogLog over the service port, byte for byte as clients send it: the op
// value is MessagePack [op-code, args...], elements are packed strings with
// their particle type byte, sketch arguments are blobs whose first byte is a
// type byte; the bin reads back as particle type 18.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Info1, Info2, OpType, ParticleType, ResultCode } from '../../../../aerospike-protocol/index.js';
import { HllValue } from '../../../../record/index.js';
import { WireClient, intValue, keyFields, msgFrame, type WireOp } from '../../../helpers/aerospike-wire.js';
import { hllCats, stringElement } from '../../../helpers/hll.js';
import { startService } from './service.js';

/** MessagePack array header + items (each already packed). */
function array(items: Buffer[]): Buffer {
  if (items.length > 15) throw new Error('test helper packs fixarrays only');
  return Buffer.concat([Buffer.from([0x90 | items.length]), ...items]);
}
const fixint = (n: number) => Buffer.from([n & 0xff]);
const blob = (bytes: Uint8Array) => {
  const len = bytes.length + 1;
  return Buffer.concat([Buffer.from([0xc5, len >> 8, len & 0xff, ParticleType.BLOB]), bytes]);
};
const hllOp = (modify: boolean, value: Buffer): WireOp => ({ type: modify ? OpType.HLL_MODIFY : OpType.HLL_READ, particle: ParticleType.BLOB, name: 'h', value });

test('add, count, describe and set-union over the wire; the bin reads back as particle 18 with Aerospike\'s bytes', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'hll');
  const names = ['jaguar', 'tiger', 'tiger', 'leopard', 'lion', 'jaguar'].map((s) => Buffer.from(stringElement(s)));
  const r = await c.request(
    msgFrame({
      info1: Info1.READ,
      info2: Info2.WRITE | Info2.RESPOND_ALL_OPS,
      fields: f,
      ops: [hllOp(true, array([fixint(1), array(names), fixint(8)])), hllOp(false, array([fixint(50)])), hllOp(false, array([fixint(55)]))],
    }),
  );
  assert.equal(r.msg!.resultCode, 0);
  assert.deepEqual(r.msg!.ops, [['h', 4], ['h', 4], ['h', [8, 0]]]);
  const read = await c.request(msgFrame({ info1: Info1.READ | Info1.GET_ALL, fields: f }));
  const h = read.msg!.bins.h;
  assert.ok(h instanceof HllValue);
  assert.deepEqual(h.bytes, hllCats);
  const union = await c.request(
    msgFrame({ info1: Info1.READ, info2: Info2.WRITE, fields: f, ops: [hllOp(true, array([fixint(2), array([blob(hllCats)])])), hllOp(false, array([fixint(52), array([blob(hllCats)])]))] }),
  );
  assert.deepEqual(union.msg!.ops, [['h', 4]], 'without respond-all, ops with no result (set-union) are not reported');
});

test('result codes over the wire: bad arguments 4, a non-HLL bin 12, an op that does not apply 26, a read op sent as a modify 4', async (t) => {
  const { port } = await startService(t);
  const c = await WireClient.connect(t, port);
  const f = keyFields('test', 'demo', 'hll-codes');
  const code = async (ops: WireOp[]) => (await c.request(msgFrame({ info1: Info1.READ, info2: Info2.WRITE, fields: f, ops }))).msg!.resultCode;
  await c.request(msgFrame({ info2: Info2.WRITE, fields: f, ops: [{ type: OpType.WRITE, particle: ParticleType.INTEGER, name: 's', value: intValue(1) }] }));
  assert.equal(await code([hllOp(true, array([fixint(1), array([Buffer.from(stringElement('a'))]), fixint(17)]))]), ResultCode.PARAMETER);
  assert.equal(await code([{ ...hllOp(true, array([fixint(1), array([Buffer.from(stringElement('a'))]), fixint(8)])), name: 's' }]), ResultCode.INCOMPATIBLE_TYPE);
  assert.equal(await code([hllOp(true, array([fixint(1), array([Buffer.from(stringElement('a'))])]))]), ResultCode.OP_NOT_APPLICABLE);
  assert.equal(await code([hllOp(true, array([fixint(50)]))]), ResultCode.PARAMETER);
  assert.equal(await code([hllOp(true, array([fixint(1), array([array([fixint(1)])]), fixint(8)]))]), ResultCode.PARAMETER, 'a list element');
});
