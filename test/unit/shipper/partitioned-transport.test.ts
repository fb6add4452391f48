// Several producers behind one transport (shipper/partitioned-transport.ts):
// how a batch is split, the in-flight limits, and order per digest when a route
// ships through several producers that write, fail and acknowledge in any order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pino } from 'pino';
import { PartitionedShipTransport, RouteShipper, ShipError, isShipError, splitByLane, type OutboundMessage, type ShipTransport } from '../../../shipper/index.js';
import { decodeMessage, type RouteSpec } from '../../../replication-protocol/index.js';
import { FakeEngine } from '../../helpers/fake-engine.js';
import { waitFor } from '../../helpers/wait.js';
import { MemTransport } from './mem-transport.js';

const logger = pino({ level: 'silent' });

function msg(partition: number, bytes = 10, tag = 0): OutboundMessage {
  return { key: Buffer.from([tag]), value: Buffer.alloc(bytes - 1, tag), partition, timestampMs: 1 };
}

test('splitByLane: partition p goes to lane p mod lanes, in the given order', () => {
  const messages = [msg(0, 10, 1), msg(3, 10, 2), msg(2, 10, 3), msg(5, 10, 4), msg(4, 10, 5)];
  const lanes = splitByLane(messages, 2);
  assert.deepEqual(
    lanes.map((l) => l.map((m) => m.key[0])),
    [
      [1, 3, 5],
      [2, 4],
    ],
  );
});

test('a batch goes to every lane that has messages for it, and is acknowledged when all are', async () => {
  const a = new MemTransport(8);
  const b = new MemTransport(8);
  const t = new PartitionedShipTransport([a, b], { inFlightBatchesMax: 4, inFlightBytesMax: 1 << 20 });
  assert.equal(await t.partitionCount('x'), 8);
  await t.send('topic', [msg(0), msg(1), msg(2)]);
  assert.deepEqual(
    a.sent.map((s) => s.message.partition),
    [0, 2],
  );
  assert.deepEqual(
    b.sent.map((s) => s.message.partition),
    [1],
  );
  await t.send('topic', [msg(4), msg(6)]);
  assert.equal(b.sends, 1, 'a lane with nothing for the batch is not called');
  assert.deepEqual(t.inFlight(), { batches: 0, bytes: 0 });
});

test('a refusal by one lane wins over a transient failure of another', async () => {
  const a = new MemTransport(8);
  const b = new MemTransport(8);
  a.down = true;
  b.refusing = true;
  const t = new PartitionedShipTransport([a, b], { inFlightBatchesMax: 4, inFlightBytesMax: 1 << 20 });
  await assert.rejects(t.send('topic', [msg(0), msg(1)]), (err) => isShipError(err, 'SHIP_ERR_SEND_REJECTED'));
  b.refusing = false;
  await assert.rejects(t.send('topic', [msg(0), msg(1)]), /broker unavailable/);
  assert.deepEqual(t.inFlight(), { batches: 0, bytes: 0 }, 'failed parts release their room');
});

/** A lane whose sends stay in flight until the test releases them. */
class HeldLane implements ShipTransport {
  readonly held: Array<{ messages: OutboundMessage[]; release: () => void }> = [];
  async partitionCount(): Promise<number> {
    return 4;
  }
  send(_topic: string, messages: OutboundMessage[]): Promise<void> {
    return new Promise((resolve) => this.held.push({ messages, release: resolve }));
  }
}

test('in-flight limits: past the count or the bytes a send waits for room, first come first served', async () => {
  const lane = new HeldLane();
  const t = new PartitionedShipTransport([lane], { inFlightBatchesMax: 2, inFlightBytesMax: 100 });
  const first = t.send('t', [msg(0, 60)]);
  const second = t.send('t', [msg(0, 30)]);
  const third = t.send('t', [msg(0, 50)]); // 60 + 30 + 50 > 100, and 2 batches already
  const fourth = t.send('t', [msg(0, 5)]); // would fit the bytes, but waits behind the third
  await new Promise((r) => setImmediate(r));
  assert.equal(lane.held.length, 2);
  assert.deepEqual(t.inFlight(), { batches: 2, bytes: 90 });
  lane.held[0]!.release();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(lane.held.length, 3, 'the third is admitted once the first is acknowledged (30 + 50 bytes)');
  assert.deepEqual(t.inFlight(), { batches: 2, bytes: 80 });
  lane.held[1]!.release();
  lane.held[2]!.release();
  await Promise.all([second, third]);
  await new Promise((r) => setImmediate(r));
  lane.held[3]!.release();
  await fourth;
  // A part larger than the byte limit still goes out alone.
  const big = t.send('t', [msg(0, 500)]);
  await new Promise((r) => setImmediate(r));
  lane.held[4]!.release();
  await big;
  assert.deepEqual(t.inFlight(), { batches: 0, bytes: 0 });
});

test('limits below 1 and an empty lane list are refused', () => {
  assert.throws(() => new PartitionedShipTransport([], { inFlightBatchesMax: 1, inFlightBytesMax: 1 }), (err) => err instanceof ShipError && err.code === 'SHIP_ERR_INVALID_OPTIONS');
  assert.throws(() => new PartitionedShipTransport([new MemTransport()], { inFlightBatchesMax: 0, inFlightBytesMax: 1 }), (err) => err instanceof ShipError);
});

/**
 * A producer as Kafka sees it: each send writes its messages to the partition
 * logs after a delay, and may fail after writing some or all of them (a timeout
 * after the broker appended), before any, or succeed. Delays and outcomes come
 * from the property's arrays, cycled.
 */
class FlakyProducer implements ShipTransport {
  private n = 0;
  constructor(
    private readonly logs: Map<number, OutboundMessage[]>,
    private readonly delaysMs: readonly number[],
    private readonly outcomes: ReadonlyArray<'ok' | 'fail-before' | 'fail-after-some' | 'fail-after-all'>,
  ) {}
  async partitionCount(): Promise<number> {
    return 4;
  }
  async send(_topic: string, messages: OutboundMessage[]): Promise<void> {
    const i = this.n++;
    await new Promise((r) => setTimeout(r, this.delaysMs[i % this.delaysMs.length]!));
    const outcome = this.outcomes[i] ?? 'ok';
    const written = outcome === 'fail-before' ? 0 : outcome === 'fail-after-some' ? Math.ceil(messages.length / 2) : messages.length;
    for (const m of messages.slice(0, written)) {
      const log = this.logs.get(m.partition) ?? [];
      log.push(m);
      this.logs.set(m.partition, log);
    }
    if (outcome !== 'ok') throw new ShipError('SHIP_ERR_SEND_FAILED', 'test: no ack', {});
  }
}

const route: RouteSpec = { name: 'a-b', source: 'a', destination: 'b', namespace: 'test', resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true };

test('property: through several producers each record reaches its partition in version order, ending with its last version', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), pauseMs: fc.constantFrom(0, 0, 0, 1, 2) }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }), { minLength: 4, maxLength: 4 }),
      fc.array(fc.array(fc.constantFrom('ok', 'ok', 'ok', 'fail-before', 'fail-after-some', 'fail-after-all'), { minLength: 1, maxLength: 5 }), { minLength: 4, maxLength: 4 }),
      fc.integer({ min: 1, max: 8 }),
      async (lanes, writes, delays, outcomes, batchRecordsMax) => {
        const engine = new FakeEngine({ regionId: 1 });
        const logs = new Map<number, OutboundMessage[]>();
        const producers = Array.from({ length: lanes }, (_, i) => new FlakyProducer(logs, delays[i]!, outcomes[i]!));
        const transport = new PartitionedShipTransport(producers, { inFlightBatchesMax: 1 + (batchRecordsMax % 3), inFlightBytesMax: 1 << 20 });
        const shipper = new RouteShipper({ route, regions: { sourceId: 1, destinationId: 2 }, engine, transport, logger, options: { batchRecordsMax, retryBackoffMinMs: 1, retryBackoffMaxMs: 2, heartbeatIntervalMs: 60_000 } });
        await shipper.start();
        try {
          let n = 0;
          for (const w of writes) {
            await engine.put({ ns: 'test', set: 's', key: `k${w.key}` }, { n: n++ });
            if (w.pauseMs > 0) await new Promise((r) => setTimeout(r, w.pauseMs));
          }
          await waitFor(() => shipper.stats().in_queue === 0, { timeoutMs: 10_000, what: 'every write shipped' });
        } finally {
          await shipper.stop();
        }
        const lastLut = new Map<string, number>();
        const lastN = new Map<string, unknown>();
        for (const log of logs.values()) {
          for (const m of log) {
            const d = decodeMessage(m.value);
            if (d.kind !== 'record') continue;
            const key = m.key.toString('hex');
            const before = lastLut.get(key) ?? 0;
            assert.ok(d.version.lut >= before, `record ${String(d.version.key)}: version ${d.version.lut} after ${before}`);
            lastLut.set(key, d.version.lut);
            lastN.set(String(d.version.key), d.version.bins.n);
          }
        }
        for (const key of new Set(writes.map((w) => `k${w.key}`))) {
          const current = await engine.get({ ns: 'test', set: 's', key });
          assert.equal(lastN.get(key), current?.bins.n, `${key}: the last version in Kafka is the current one`);
        }
      },
    ),
    { numRuns: 60 },
  );
});
