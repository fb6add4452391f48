// Fuzzing the service port end to end: mutations of what the official Node
// client sends, over a real socket to a real engine. The server answers every
// message whose framing holds with a reply frame (or closes the connection
// when the framing is lost), never crashes, and a request answered with a
// non-zero result code stored nothing (the change log did not move).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MessageType } from '../../../../aerospike-protocol/index.js';
import { WireClient, decodeReply, frameOf, infoFrame } from '../../../helpers/aerospike-wire.js';
import { NODE_CLIENT_FRAMES } from '../../aerospike-protocol/fixtures.js';
import { startService } from './service.js';

const RUNS = Number(process.env.XDRGATE_FUZZ_RUNS ?? 300);

const requests = NODE_CLIENT_FRAMES.filter((f) => f.label !== 'scan').map((f) => f);

const mutatedRequest = fc
  .tuple(fc.constantFrom(...requests), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
  .map(([frame, edits]) => {
    const body = Buffer.from(frame.bytes.subarray(8));
    for (const [at, byte] of edits) body[at % body.length] = byte;
    return { type: frame.type, body };
  });

test('mutated requests are answered (or the connection is closed), nothing refused is stored, the server keeps serving', { timeout: 180_000 }, async (t) => {
  const { port, engine } = await startService(t);
  let client = await WireClient.connect(t, port);
  await fc.assert(
    fc.asyncProperty(mutatedRequest, async ({ type, body }) => {
      if (client.closed) client = await WireClient.connect(t, port);
      const seqBefore = engine.changeLog('test').headSeq();
      client.send(frameOf(type, body));
      let frame;
      try {
        frame = await client.next(10_000);
      } catch (err) {
        assert.ok(client.closed, `no reply and the connection is open: ${(err as Error).message}`);
        return;
      }
      if (frame.type === MessageType.MESSAGE) {
        const reply = decodeReply(frame);
        if (reply.msg!.resultCode !== 0) assert.equal(engine.changeLog('test').headSeq(), seqBefore, `result ${reply.msg!.resultCode} but a write was stored`);
      } else {
        assert.ok(frame.type === MessageType.INFO || frame.type === MessageType.ADMIN, `reply type ${frame.type}`);
      }
    }),
    { numRuns: RUNS },
  );
  const fresh = await WireClient.connect(t, port);
  assert.match((await fresh.request(infoFrame(['status']))).body.toString(), /^status\tok\n$/);
});

test('random byte streams never crash the server; it still answers afterwards', { timeout: 120_000 }, async (t) => {
  const { port } = await startService(t);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 6 }), async (chunks) => {
      const c = await WireClient.connect(t, port);
      for (const chunk of chunks) c.send(Buffer.from(chunk));
      await new Promise((r) => setTimeout(r, 5));
      c.socket.destroy();
    }),
    { numRuns: Math.min(RUNS, 200) },
  );
  const fresh = await WireClient.connect(t, port);
  assert.match((await fresh.request(infoFrame(['status']))).body.toString(), /^status\tok\n$/);
});
