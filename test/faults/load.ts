/**
 * Write load for the fault suite: a few concurrent HTTP writers against one
 * gateway that remember exactly which writes were acknowledged (HTTP 200).
 * Failures (gateway killed, stop-writes, Kafka down: none of them should fail a
 * local write except the first two) are counted, never retried: a write is
 * either acknowledged or not, and the check at the end is about the former.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayClient } from '../../xdr/cli/index.js';
import { NS } from '../helpers/two-regions/index.js';

export const SET = 'load';

export class WriteLoad {
  readonly acked = new Set<string>();
  readonly failures = new Map<string, number>();
  attempted = 0;
  private next = 0;
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly client: GatewayClient,
    readonly prefix: string,
    private readonly concurrency = 4,
    /** Pause between a worker's writes, so the load is steady, not a flood on a shared machine. @default 5 */
    private readonly pauseMs = 5,
  ) {}

  start(): this {
    this.running = true;
    for (let w = 0; w < this.concurrency; w++) this.workers.push(this.worker());
    return this;
  }

  private async worker(): Promise<void> {
    while (this.running) {
      const key = `${this.prefix}${this.next++}`;
      this.attempted++;
      try {
        await this.client.request('PUT', `/v1/records/${NS}/${SET}/${key}`, { bins: { n: this.next, who: this.prefix } });
        this.acked.add(key);
        await sleep(this.pauseMs);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'unknown';
        this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
        await sleep(50);
      }
    }
  }

  /** Resolves once `n` more writes were acknowledged (or throws after timeoutMs). */
  async waitForAcked(n: number, timeoutMs = 60_000): Promise<void> {
    const target = this.acked.size + n;
    const deadline = Date.now() + timeoutMs;
    while (this.acked.size < target) {
      if (Date.now() > deadline) throw new Error(`only ${this.acked.size}/${target} writes acknowledged after ${timeoutMs} ms (failures: ${JSON.stringify([...this.failures])})`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  failed(): number {
    let n = 0;
    for (const v of this.failures.values()) n += v;
    return n;
  }
}

/**
 * How many of `keys` (set SET) a region has, read back one GET per key, eight
 * at a time (one request per key keeps this independent of batch reads).
 */
export async function countPresent(client: GatewayClient, keys: Iterable<string>, set = SET): Promise<{ present: number; missing: string[] }> {
  const all = [...keys];
  const missing: string[] = [];
  let present = 0;
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const key = all[next++]!;
      try {
        await client.request('GET', `/v1/records/${NS}/${set}/${key}`);
        present++;
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
        missing.push(key);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { present, missing: missing.sort() };
}
