// Fuzzing the client-protocol codec: random bytes and mutations of what the
// official Node client really sends never make a decoder throw anything but a
// ProtocolError (no TypeError, no RangeError, no runaway allocation), and what
// the encoder writes decodes back to the same value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ByteWriter, FieldType, FrameSplitter, Info1, MsgView, OpType, ProtocolError, decodeBatch, decodeCdtCall, decodeMsg, decodeMsgpack, opName, opValue,
  parseAdminRequest, parseInfoRequest, readScanRequest, writeMsgpack, type AsValue,
} from '../../../aerospike-protocol/index.js';
import { NODE_CLIENT_FRAMES } from './fixtures.js';
import { fuzzAssert } from '../../helpers/fuzz.js';

const LIMITS = { fieldsMax: 64, opsMax: 4096 };

/** Everything a server would do with a message body; throws only ProtocolErrors. */
function decodeEverything(body: Buffer): void {
  const v = new MsgView();
  decodeMsg(v, body, LIMITS);
  for (let i = 0; i < v.ops.length; i++) {
    opName(v.ops, v.body, i);
    if (v.ops.opType[i] === OpType.CDT_READ || v.ops.opType[i] === OpType.CDT_MODIFY) decodeCdtCall(v.body, v.ops.valueStart[i]!, v.ops.valueEnd[i]!);
    else opValue(v.ops, v.body, i);
  }
  if (v.fields.has(FieldType.BATCH_INDEX)) {
    const batch = decodeBatch(v.body, v.fields.start[FieldType.BATCH_INDEX]!, v.fields.end[FieldType.BATCH_INDEX]!, { ...LIMITS, keysMax: 5000 });
    for (const row of batch.rows) for (let i = 0; i < row.template.ops.length; i++) opName(row.template.ops, batch.buf, i);
  } else if (!v.fields.has(FieldType.DIGEST) && (v.info1 & Info1.BATCH) === 0) {
    readScanRequest(v);
  }
}

function onlyProtocolErrors(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    assert.match(err.code, /^PROTO_ERR_[A-Z_]+$/);
  }
}

const bodies = NODE_CLIENT_FRAMES.filter((f) => f.type === 3).map((f) => f.bytes.subarray(8));

/** A captured body with random byte changes, cuts or insertions. */
const mutated = fc
  .tuple(fc.constantFrom(...bodies), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), { minLength: 1, maxLength: 6 }))
  .map(([body, edits]) => {
    let b = Buffer.from(body);
    for (const [at, byte, kind] of edits) {
      const i = at % Math.max(1, b.length);
      if (kind === 'set') b[i] = byte;
      else if (kind === 'cut') b = b.subarray(0, i);
      else b = Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
    }
    return b;
  });

test('mutated client messages decode or are refused with a ProtocolError', async (t) => {
  await fuzzAssert(t, fc.property(mutated, (body) => onlyProtocolErrors(() => decodeEverything(body))), { numRunsDefault: 3000, runsFactor: 10 });
});

test('random bytes: message bodies, MessagePack values, info requests', async (t) => {
  await fuzzAssert(
    t,
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const b = Buffer.from(bytes);
      onlyProtocolErrors(() => decodeEverything(b));
      onlyProtocolErrors(() => decodeMsgpack(b));
      onlyProtocolErrors(() => decodeCdtCall(b, 0, b.length));
      onlyProtocolErrors(() => parseInfoRequest(b));
    }),
    { numRunsDefault: 3000, runsFactor: 10 },
  );
});

test('random streams split into frames or lose framing with a ProtocolError; a frame is never larger than the limit', async (t) => {
  await fuzzAssert(
    t,
    fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
      const s = new FrameSplitter({ maxBodyBytes: 4096 });
      onlyProtocolErrors(() => {
        for (const c of chunks) {
          s.push(Buffer.from(c));
          for (let f = s.next(); f !== null; f = s.next()) assert.ok(f.body.length <= 4096);
        }
      });
    }),
    { numRunsDefault: 3000, runsFactor: 10 },
  );
});

/** Values the server writes into list and map bins (string-keyed maps, no nils inside, as the engine stores). */
const binValue: fc.Arbitrary<AsValue> = fc.letrec<{ v: AsValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.integer(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n < -(2n ** 53n) || n > 2n ** 53n),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.string(),
    fc.uint8Array({ maxLength: 20 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v;

test('what the encoder writes decodes to the same value (maps come back key-ordered, same entries)', async (t) => {
  await fuzzAssert(
    t,
    fc.property(binValue, (value) => {
      const w = new ByteWriter(32);
      writeMsgpack(w, value);
      assert.deepEqual(decodeMsgpack(w.take()), value);
    }),
    { numRunsDefault: 900, runsFactor: 3 },
  );
});

/** A login message (user, credential) as clients send it, for mutation. */
const LOGIN_BODY = Buffer.from(`0000140200000000000000000000000000000004006164610000003d03${Buffer.from('$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa').toString('hex')}`, 'hex');

test('admin (login) messages: random and mutated bodies decode or are refused with a ProtocolError', async (t) => {
  const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 6 });
  await fuzzAssert(
    t,
    fc.property(edits, (list) => {
      let b = Buffer.from(LOGIN_BODY);
      for (const [at, byte, cut] of list) {
        const i = at % Math.max(1, b.length);
        if (cut) b = b.subarray(0, i);
        else b[i] = byte;
      }
      onlyProtocolErrors(() => parseAdminRequest(b));
    }),
    { numRunsDefault: 3000, runsFactor: 10 },
  );
  await fuzzAssert(t, fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyProtocolErrors(() => parseAdminRequest(Buffer.from(bytes)))), { numRunsDefault: 3000, runsFactor: 10 });
  const parsed = parseAdminRequest(LOGIN_BODY);
  assert.equal(parsed.fields.get(3)!.length, 60, 'the unmutated login decodes: a 60-character credential');
});
