// Fuzzing the service port end to end: mutations of what the official Node
// client sends, over a real socket to a real engine. The server answers every
// message whose framing holds with a reply (or closes the connection when the
// framing is lost), never crashes, and a request answered with a non-zero
// result code stored nothing (the change log did not move).
//
// A mutation can turn a single-record request into a scan (a message without
// a digest field is one): its reply is a stream of frames ending with LAST,
// read whole here, or the next request would be judged by this one's frames.
// A scan with write ops starts a background job whose writes land after the
// reply; the test waits for it before judging the next request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldType, Info3, MessageType, MsgView, decodeMsg } from '../../../../aerospike-protocol/index.js';
import { WireClient, decodeReply, frameOf, headersOf, infoFrame, type Reply } from '../../../helpers/aerospike-wire.js';
import { NODE_CLIENT_FRAMES, capturedBody } from '../../aerospike-protocol/fixtures.js';
import { computeDigest, type Engine } from '../../../../engine/index.js';
import { startService } from './service.js';
import { fuzzAssert } from '../../../helpers/fuzz.js';
import { waitFor } from '../../../helpers/wait.js';

interface WireRequest {
  type: number;
  body: Buffer;
}

const requests = NODE_CLIENT_FRAMES.filter((f) => f.label !== 'scan').map((f) => f);

/** A captured request's body with bytes overwritten: [offset (mod length), byte]. */
function mutated(label: string, edits: Array<[number, number]>): WireRequest {
  const frame = NODE_CLIENT_FRAMES.find((f) => f.label === label)!;
  const body = Buffer.from(capturedBody(label));
  for (const [at, byte] of edits) body[at % body.length] = byte;
  return { type: frame.type, body };
}

const mutatedRequest = fc
  .tuple(fc.constantFrom(...requests), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
  .map(([frame, edits]) => mutated(frame.label, edits));

/**
 * Seen failing: a get whose digest field type (byte 44) was overwritten is a
 * scan; once the namespace held more than one frame of records (64 KiB), its
 * reply was read as one frame, so the refused put after it (op type 255) was
 * judged by the scan's last frame, and the plain put after that by the
 * refused put's PARAMETER reply: "result 4 but a write was stored". The server
 * was right; the test now reads replies whole.
 */
const regressionExamples: Array<[WireRequest]> = [
  [mutated('get', [[44, 177]])],
  [mutated('put', [[77, 255]])],
  [mutated('put', [[44, 4]])],
];

/** Records in set "demo" before fuzzing: about 100 KiB, so every scan a mutation makes streams two frames from the first run on. */
async function fillDemoSet(engine: Engine): Promise<void> {
  const filler = 'x'.repeat(200);
  for (let i = 0; i < 400; i++) await engine.put({ ns: 'test', set: 'demo', digest: computeDigest('demo', `filler-${i}`) }, { filler }, {});
}

/** True when the server answers this request with a stream ending in LAST: a message it decodes that has no digest. */
function streamsReply(body: Buffer): boolean {
  const view = new MsgView();
  try {
    decodeMsg(view, body, { fieldsMax: 1000, opsMax: 100_000 });
  } catch {
    return false;
  }
  return !view.fields.has(FieldType.DIGEST);
}

/** The whole reply to one request: one frame, or for a stream every frame up to the message with LAST. */
async function replyTo(client: WireClient, stream: boolean): Promise<{ first: Reply; resultCode: number }> {
  let frame = await client.next(10_000);
  const first = decodeReply(frame);
  if (frame.type !== MessageType.MESSAGE) return { first, resultCode: 0 };
  for (;;) {
    const headers = headersOf(frame.body);
    const last = headers.find((h) => (h.info3 & Info3.LAST) !== 0);
    if (!stream) return { first, resultCode: headers[0]!.resultCode };
    if (last !== undefined) return { first, resultCode: last.resultCode };
    frame = await client.next(10_000);
  }
}

/** Resolves once no background job is running (their writes land after the reply that started them). */
async function jobsSettled(client: WireClient): Promise<void> {
  await waitFor(async () => !(await client.request(infoFrame(['query-show']))).body.toString().includes('status=active'), { timeoutMs: 10_000, what: 'background jobs to finish' });
}

test('mutated requests are answered (or the connection is closed), nothing refused is stored, the server keeps serving', { timeout: 180_000 }, async (t) => {
  const { port, engine } = await startService(t);
  await fillDemoSet(engine);
  let client = await WireClient.connect(t, port);
  const info = await WireClient.connect(t, port);
  await fuzzAssert(
    t,
    fc.asyncProperty(mutatedRequest, async (request) => {
      if (client.closed) client = await WireClient.connect(t, port);
      const seqBefore = engine.changeLog('test').headSeq();
      const stream = request.type === MessageType.MESSAGE && streamsReply(request.body);
      client.send(frameOf(request.type, request.body));
      let reply;
      try {
        reply = await replyTo(client, stream);
      } catch (err) {
        assert.ok(client.closed, `no reply and the connection is open: ${(err as Error).message}`);
        return;
      }
      if (reply.first.type === MessageType.MESSAGE) {
        if (reply.resultCode !== 0) assert.equal(engine.changeLog('test').headSeq(), seqBefore, `result ${reply.resultCode} but a write was stored`);
        else if (stream) await jobsSettled(info);
      } else {
        assert.ok(reply.first.type === MessageType.INFO || reply.first.type === MessageType.ADMIN, `reply type ${reply.first.type}`);
      }
    }),
    { numRunsDefault: 300, examples: regressionExamples },
  );
  const fresh = await WireClient.connect(t, port);
  assert.match((await fresh.request(infoFrame(['status']))).body.toString(), /^status\tok\n$/);
});

test('random byte streams never crash the server; it still answers afterwards', { timeout: 120_000 }, async (t) => {
  const { port } = await startService(t);
  await fuzzAssert(
    t,
    fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 6 }), async (chunks) => {
      const c = await WireClient.connect(t, port);
      for (const chunk of chunks) c.send(Buffer.from(chunk));
      await new Promise((r) => setTimeout(r, 5));
      c.socket.destroy();
    }),
    { numRunsDefault: 200 },
  );
  const fresh = await WireClient.connect(t, port);
  assert.match((await fresh.request(infoFrame(['status']))).body.toString(), /^status\tok\n$/);
});
