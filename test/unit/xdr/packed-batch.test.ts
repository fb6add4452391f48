// The producer worker's batch format: every key and value comes back byte for
// byte from the two transferable buffers, with its partition and timestamp, and
// an empty key (heartbeats) as an empty range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PACKED_SLOTS, packBatch, unpackBatch } from '../../../xdr/replication/packed-batch.js';

test('packBatch keeps every message byte for byte, in order', () => {
  const message = fc.record({
    key: fc.oneof(fc.constant(Buffer.alloc(0)), fc.uint8Array({ minLength: 20, maxLength: 20 }).map((a) => Buffer.from(a))),
    value: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
    partition: fc.integer({ min: 0, max: 4095 }),
    timestampMs: fc.integer({ min: 0, max: 2 ** 45 }),
  });
  fc.assert(
    fc.property(fc.array(message, { maxLength: 50 }), (messages) => {
      const packed = packBatch(messages);
      assert.equal(packed.count, messages.length);
      const bytes = Buffer.from(packed.bytes);
      const meta = new Float64Array(packed.meta);
      assert.equal(meta.length, messages.length * PACKED_SLOTS);
      messages.forEach((m, i) => {
        const j = i * PACKED_SLOTS;
        assert.deepEqual(bytes.subarray(meta[j]!, meta[j + 1]!), m.key);
        assert.deepEqual(bytes.subarray(meta[j + 1]!, meta[j + 2]!), m.value);
        assert.equal(meta[j + 3], m.partition);
        assert.equal(meta[j + 4], m.timestampMs);
      });
      assert.equal(bytes.length, messages.reduce((n, m) => n + m.key.length + m.value.length, 0));
      // What the worker hands its transport: the same messages, as views into the one buffer.
      const unpacked = unpackBatch(packed);
      assert.deepEqual(unpacked.map((m) => ({ ...m, key: Buffer.from(m.key), value: Buffer.from(m.value) })), messages.map((m) => ({ ...m, key: Buffer.from(m.key), value: Buffer.from(m.value) })));
      for (const m of unpacked) assert.equal(m.value.buffer, packed.bytes, 'a view, not a copy');
    }),
  );
});
