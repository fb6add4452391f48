/**
 * Concurrent apply of one partition's messages with order per record: what
 * must stay in order is each record's versions (one Kafka key, the digest, per
 * record), not the partition's; a destination that waits for an fdatasync per
 * write gets many records into one fdatasync this way.
 */
import type { InboundMessage } from './transport.js';

/**
 * Handles a window of one partition's messages: those of one record (same key)
 * one after another in offset order, different records at once. Returns how
 * many messages from the start of the window were handled and, when fewer than
 * all, the first error.
 */
export async function processWindow(window: readonly InboundMessage[], handle: (message: InboundMessage) => Promise<void>): Promise<{ handled: number; error: unknown }> {
  const tails = new Map<string, Promise<void>>();
  const runs = window.map((message) => {
    const key = message.key === null ? '' : message.key.toString('latin1');
    const before = tails.get(key);
    // A message whose record's previous message failed is not handled (then() skips it on a rejection).
    const run = before === undefined ? handle(message) : before.then(() => handle(message));
    tails.set(key, run);
    return run;
  });
  const settled = await Promise.allSettled(runs);
  const firstFailed = settled.findIndex((r) => r.status === 'rejected');
  if (firstFailed < 0) return { handled: window.length, error: null };
  return { handled: firstFailed, error: (settled[firstFailed] as PromiseRejectedResult).reason };
}

