/**
 * A batch of outbound messages as two transferable buffers, for the producer
 * worker: every key and value copied once into one ArrayBuffer, and five
 * float64s per message (key start, value start, value end, partition,
 * timestamp ms). postMessage moves both without copying; the worker makes
 * views. Cloning the messages instead (structured clone) copied every key's and
 * value's whole backing ArrayBuffer and cost more than the sends it offloaded.
 */
import type { OutboundMessage } from '../../shipper/index.js';

export interface PackedBatch {
  count: number;
  bytes: ArrayBuffer;
  meta: ArrayBuffer;
}

/** Float64 slots per message in `meta`. */
export const PACKED_SLOTS = 5;

export function packBatch(messages: readonly OutboundMessage[]): PackedBatch {
  let total = 0;
  for (const m of messages) total += m.key.length + m.value.length;
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const meta = new Float64Array(messages.length * PACKED_SLOTS);
  let at = 0;
  for (let i = 0, j = 0; i < messages.length; i++, j += PACKED_SLOTS) {
    const m = messages[i]!;
    meta[j] = at;
    bytes.set(m.key, at);
    at += m.key.length;
    meta[j + 1] = at;
    bytes.set(m.value, at);
    at += m.value.length;
    meta[j + 2] = at;
    meta[j + 3] = m.partition;
    meta[j + 4] = m.timestampMs;
  }
  return { count: messages.length, bytes: bytes.buffer, meta: meta.buffer };
}

/** The messages of a packed batch, as views into its bytes (the producer worker's side; no copies). */
export function unpackBatch(batch: PackedBatch): OutboundMessage[] {
  const bytes = Buffer.from(batch.bytes);
  const meta = new Float64Array(batch.meta);
  const messages = new Array<OutboundMessage>(batch.count);
  for (let i = 0, j = 0; i < batch.count; i++, j += PACKED_SLOTS) {
    messages[i] = {
      key: bytes.subarray(meta[j]!, meta[j + 1]!),
      value: bytes.subarray(meta[j + 1]!, meta[j + 2]!),
      partition: meta[j + 3]!,
      timestampMs: meta[j + 4]!,
    };
  }
  return messages;
}
