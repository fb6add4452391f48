/**
 * kafkajs against @platformatic/kafka (pure JS) through the shipper's transport
 * seam (shipper/transport.ts), on one broker, in the same run, rounds
 * alternated so a load change on a shared machine hits both:
 *   1. bare transport: pre-encoded 1 KiB records (bench:engine's record in the
 *      wire format), batches of 1000 with explicit partitions, digest keys and
 *      lut timestamps, acks=all, idempotent, one batch in flight (as a route sends);
 *   2. a RouteShipper draining N changes of an engine through each transport.
 * Records/s and CPU µs per record of this process. The kafkajs side is the
 * shipper's own KafkaShipTransport over createShipProducer; the other side is
 * PlatformaticShipTransport below (a bench peer: nothing in the product uses it).
 *
 *   npm run bench:xdr-kafka-clients [-- --records 50000] [--rounds 5] [--json]
 *
 * Uses $XDRGATE_KAFKA_TOKYO when set, else starts (and stops) one broker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Producer as PlatformaticProducer } from '@platformatic/kafka';
import { Engine, partitionId } from '../engine/index.js';
import { physicalMs } from '../record/index.js';
import { KafkaShipTransport, RouteShipper, ShipError, type OutboundMessage, type ShipTransport } from '../shipper/index.js';
import { KafkaBroker } from '../xdr/infra/index.js';
import { createKafka, createShipProducer, ensureRouteTopics } from '../xdr/replication/index.js';
import { encodeRecord, type RegionSpec, type RouteSpec } from '../replication-protocol/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const say = (line: string): void => {
  if (!json) process.stdout.write(`${line}\n`);
};
const logger = pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
const PARTITIONS = 8;
const NS = 'bench';
const PAYLOAD = 'p'.repeat(940);

/** ShipTransport over @platformatic/kafka's Producer: the same messages, acks=all, idempotent. */
class PlatformaticShipTransport implements ShipTransport {
  private readonly producer: PlatformaticProducer<Buffer, Buffer, Buffer, Buffer>;
  constructor(brokers: string[]) {
    this.producer = new PlatformaticProducer({ clientId: 'bench-platformatic', bootstrapBrokers: brokers, idempotent: true, acks: -1, autocreateTopics: false });
  }
  async partitionCount(): Promise<number> {
    return PARTITIONS;
  }
  async send(topic: string, messages: OutboundMessage[]): Promise<void> {
    try {
      await this.producer.send({
        messages: messages.map((m) => ({ topic, key: m.key.length > 0 ? m.key : undefined, value: m.value, partition: m.partition, timestamp: BigInt(m.timestampMs) })),
      });
    } catch (err) {
      throw new ShipError('SHIP_ERR_SEND_FAILED', `@platformatic/kafka did not acknowledge ${messages.length} messages: ${(err as Error).message}`, { topic }, { cause: err });
    }
  }
  close(): Promise<void> {
    return this.producer.close();
  }
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Client {
  name: string;
  make(): Promise<{ transport: ShipTransport; close(): Promise<void> }>;
}

async function main(): Promise<void> {
  const records = arg('records', 50_000);
  const rounds = arg('rounds', 5);
  let broker: KafkaBroker | null = null;
  let brokers = process.env.XDRGATE_KAFKA_TOKYO?.split(',');
  if (brokers === undefined || brokers[0] === '') {
    say('starting a Kafka broker for the benchmark ...');
    broker = await KafkaBroker.start({ name: 'bench-clients', logger, fastStartJvm: false, heapMb: 512 });
    brokers = broker.brokers;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-clients-'));
  const engine = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: NS, filesize: 1024 ** 3, writeBlockSize: 1024 * 1024, nsupPeriod: 0 }] });
  const region: RegionSpec = { name: 'tokyo', id: 1, kafka: { brokers } };
  const kafka = createKafka(region, logger, 'bench-clients');
  const admin = kafka.admin();
  try {
    for (let i = 0; i < records; i++) await engine.put({ ns: NS, set: 'users', key: `k${i}` }, { name: `user-${i}`, plan: 'premium', last_seen: 1_737_500_000 + i, payload: PAYLOAD });
    await admin.connect();
    const stamp = Date.now().toString(36);
    const topic = `bench-clients-${stamp}`;
    await ensureRouteTopics(admin, topic, { partitions: PARTITIONS });
    const batches: OutboundMessage[][] = [];
    let current: OutboundMessage[] = [];
    for await (const v of engine.scanVersionsSince(NS, 0)) {
      current.push({ key: Buffer.from(v.digest), value: encodeRecord(v), partition: partitionId(v.digest) % PARTITIONS, timestampMs: physicalMs(v.lut) });
      if (current.length === 1000) {
        batches.push(current);
        current = [];
      }
    }
    if (current.length > 0) batches.push(current);

    const clients: Client[] = [
      {
        name: 'kafkajs',
        make: async () => {
          const producer = createShipProducer(kafka);
          await producer.connect();
          return { transport: new KafkaShipTransport({ producer, admin }), close: () => producer.disconnect() };
        },
      },
      {
        name: '@platformatic/kafka',
        make: async () => {
          const t = new PlatformaticShipTransport(brokers);
          return { transport: t, close: () => t.close() };
        },
      },
    ];
    const results = new Map<string, { bare: number[]; bareCpu: number[]; shipper: number[]; shipperCpu: number[] }>(clients.map((c) => [c.name, { bare: [], bareCpu: [], shipper: [], shipperCpu: [] }]));
    for (let round = 0; round < rounds; round++) {
      for (const client of round % 2 === 0 ? clients : [...clients].reverse()) {
        const r = results.get(client.name)!;
        const { transport, close } = await client.make();
        // Connected (and metadata known) before the clock starts.
        await transport.send(topic, [{ key: Buffer.alloc(0), value: Buffer.from('warm-up'), partition: 0, timestampMs: Date.now() }]);
        let cpu0 = cpuUs();
        let t0 = performance.now();
        for (const batch of batches) await transport.send(topic, batch);
        r.bare.push(records / ((performance.now() - t0) / 1000));
        r.bareCpu.push((cpuUs() - cpu0) / records);

        const route: RouteSpec = { name: `bench-${client.name.replace(/[^a-z]/g, '')}-${round}`, source: 'tokyo', destination: 'virginia', namespace: NS, resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, topic };
        const shipper = new RouteShipper({ route, regions: { sourceId: 1, destinationId: 2 }, engine, transport, logger, options: { batchRecordsMax: 1000 } });
        await shipper.start();
        cpu0 = cpuUs();
        t0 = performance.now();
        while (shipper.stats().in_queue > 0) await sleep(1);
        r.shipper.push(records / ((performance.now() - t0) / 1000));
        r.shipperCpu.push((cpuUs() - cpu0) / records);
        await shipper.stop();
        await close();
        say(`  round ${round + 1}, ${client.name}: bare ${Math.round(r.bare.at(-1)!)}/s (${r.bareCpu.at(-1)!.toFixed(1)} µs), shipper ${Math.round(r.shipper.at(-1)!)}/s (${r.shipperCpu.at(-1)!.toFixed(1)} µs), load ${os.loadavg()[0]!.toFixed(1)}`);
      }
    }
    // Both clients really wrote everything: each round sent every record twice (bare, shipper) and one warm-up message.
    const offsets = await admin.fetchTopicOffsets(topic);
    const inTopic = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    const expected = rounds * clients.length * (2 * records + 1);
    if (inTopic !== expected) throw new Error(`the topic holds ${inTopic} messages, ${expected} were sent`);
    say(`  the topic holds all ${inTopic} messages sent`);
    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAvg1m: Math.round(os.loadavg()[0]! * 10) / 10 };
    const summary = [...results].map(([name, r]) => ({
      client: name,
      barePerSec: Math.round(median(r.bare)),
      bareCpuUsPerRecord: Math.round(median(r.bareCpu) * 10) / 10,
      shipperPerSec: Math.round(median(r.shipper)),
      shipperCpuUsPerRecord: Math.round(median(r.shipperCpu) * 10) / 10,
    }));
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine, records, rounds, summary, rounds_detail: Object.fromEntries(results) }, null, 2)}\n`);
      return;
    }
    say('');
    say(`machine: ${machine.cpus} cores, ${machine.model}, node ${machine.node}, load ${machine.loadAvg1m}; ${records} records, median of ${rounds} rounds`);
    say('| client | bare transport records/s | CPU µs/record | through a RouteShipper records/s | CPU µs/record |');
    say('|---|---:|---:|---:|---:|');
    for (const s of summary) say(`| ${s.client} | ${s.barePerSec} | ${s.bareCpuUsPerRecord} | ${s.shipperPerSec} | ${s.shipperCpuUsPerRecord} |`);
  } finally {
    await admin.disconnect().catch(() => undefined);
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await broker?.close();
  }
}

await main();
