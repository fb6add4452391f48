/**
 * What each route compression costs and saves, on a real Kafka broker: for
 * none, gzip, lz4 and zstd, N records of a kind are shipped (the wire format
 * the shipper sends, in sendBatch calls of --batch records) and read back by a
 * consumer, as a destination reads a route's topic across the WAN. Per record:
 *   - bytes on the wire: what the consumer's sockets read while fetching them
 *     (the WAN leg: a route's topic lives in its source region's Kafka), with
 *     the producer's bytes written beside it;
 *   - CPU µs: the producing process's CPU while sending them (encoding of the
 *     record batches and the codec), and while consuming them (decoding).
 * Record kinds:
 *   - profile: the seed's user profile (name, plan, last_seen, feature_flags),
 *     with varied names, plans, times and flags;
 *   - bench-1k: the ~1 KiB record of bench:xdr-lag (a 900-byte repeated payload:
 *     shown because the other benches use it; it compresses unrealistically well).
 * Target: lz4 or zstd ≥ 2× fewer wire bytes per profile record than none.
 *
 *   npm run bench:xdr-compression [-- --records 20000] [--batch 1000] [--json]
 *
 * Uses $XDRGATE_KAFKA_TOKYO when set, else starts (and stops) one broker.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { Engine, partitionId } from '../engine/index.js';
import { physicalMs, type BinValue } from '../record/index.js';
import { encodeRecord, type RouteCompression } from '../replication-protocol/index.js';
import { KafkaShipTransport, type OutboundMessage } from '../shipper/index.js';
import { ROUTE_COMPRESSIONS, ensureRouteTopics, registerCompressionCodecs } from '../xdr/replication/index.js';
import { mulberry32 } from '../test/helpers/seeded-random.js';
import { arg, json, say, benchLogger, benchKafka } from './harness.js';

const logger = benchLogger();
const PARTITIONS = 8;
const NS = 'bench';

const FIRST = ['Alice', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goro', 'Hana', 'Ivan', 'Júlia', 'Kenji', 'Lena', 'Mateo', 'Nadia', 'Omar', 'Priya'];
const LAST = ['Chen', 'Okafor', 'Silva', 'Tanaka', 'Novak', 'García', 'Haddad', 'Kowalski', 'Nguyen', 'Schmidt', 'Rossi', 'Yamamoto', 'Olsen', 'Patel'];
const PLANS = ['free', 'premium', 'enterprise'];
const FLAGS = ['ab_test_v2', 'new_checkout', 'dark_mode', 'beta_search', 'one_click', 'price_test_b'];

type RecordKind = 'profile' | 'bench-1k';

function binsOf(kind: RecordKind, i: number, random: () => number): Record<string, BinValue> {
  if (kind === 'bench-1k') return { n: i, from: 'tokyo', at: 1_796_680_000_000 + i, payload: 'x'.repeat(900) };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return {
    name: `${pick(FIRST)} ${pick(LAST)}`,
    plan: pick(PLANS),
    last_seen: 1_737_500_000 + Math.floor(random() * 10_000_000),
    feature_flags: FLAGS.filter(() => random() < 0.35),
  };
}

/** The messages the shipper would send for N records of a kind (wire format, digest keys, partitions). */
async function messagesOf(kind: RecordKind, records: number): Promise<OutboundMessage[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-compression-'));
  const engine = await Engine.open({ dataDir, regionId: 1, namespaces: [{ name: NS, filesize: 256 * 1024 * 1024, nsupPeriod: 0, commitToDevice: false }] });
  try {
    // Seeded: every run ships the same records.
    const random = mulberry32(kind === 'profile' ? 1001 : 7);
    for (let i = 0; i < records; i++) await engine.put({ ns: NS, set: 'profiles', key: `user:${1000 + i}` }, binsOf(kind, i, random));
    const out: OutboundMessage[] = [];
    for await (const v of engine.scanVersionsSince(NS, 0)) {
      out.push({ key: Buffer.from(v.digest), value: encodeRecord(v), partition: partitionId(v.digest) % PARTITIONS, timestampMs: physicalMs(v.lut) });
    }
    return out;
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A kafkajs client whose sockets are counted: bytes written and read on the wire. */
function countedKafka(brokers: string[], clientId: string): { kafka: Kafka; written: () => number; read: () => number } {
  const sockets: net.Socket[] = [];
  const kafka = new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.ERROR,
    socketFactory: ({ host, port, onConnect }) => {
      const socket = net.connect({ host, port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      sockets.push(socket);
      return socket;
    },
  });
  return { kafka, written: () => sockets.reduce((n, s) => n + s.bytesWritten, 0), read: () => sockets.reduce((n, s) => n + s.bytesRead, 0) };
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

interface Row {
  kind: RecordKind;
  compression: RouteCompression;
  records: number;
  /** Encoded record (message value) bytes, before Kafka's framing and compression. */
  valueBytesPerRecord: number;
  producerBytesPerRecord: number;
  wireBytesPerRecord: number;
  /** none's wire bytes / this codec's. */
  wireRatio: number;
  produceCpuUsPerRecord: number;
  consumeCpuUsPerRecord: number;
}

async function shipAndRead(brokers: string[], messages: OutboundMessage[], compression: RouteCompression, batch: number): Promise<Omit<Row, 'kind' | 'wireRatio' | 'valueBytesPerRecord'>> {
  const stamp = `${Date.now().toString(36)}-${compression}`;
  const topic = `bench-compression-${stamp}`;
  const producing = countedKafka(brokers, `bench-compression-producer-${stamp}`);
  const admin = producing.kafka.admin();
  await admin.connect();
  await ensureRouteTopics(admin, topic, { partitions: PARTITIONS });
  const producer = producing.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const transport = new KafkaShipTransport({ producer, admin, compression });
  // Connected and warm (metadata, codec loaded) before anything is counted.
  await transport.send(topic, messages.slice(0, 1));
  const written0 = producing.written();
  const cpu0 = cpuUs();
  for (let i = 0; i < messages.length; i += batch) await transport.send(topic, messages.slice(i, i + batch));
  const produceCpuUs = cpuUs() - cpu0;
  const producerBytes = producing.written() - written0;
  await producer.disconnect();

  // Everything the consumer reads is counted, its group join and metadata included
  // (a few KB: under 0.5 B per record at the default 20k records).
  const consuming = countedKafka(brokers, `bench-compression-consumer-${stamp}`);
  const consumer = consuming.kafka.consumer({ groupId: `bench-compression-${stamp}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const cpuRead0 = cpuUs();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const expected = messages.length + 1;
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch: b }) => {
          seen += b.messages.length;
          if (seen >= expected) resolve();
        },
      })
      .catch(reject);
  });
  const consumeCpuUs = cpuUs() - cpuRead0;
  const wireBytes = consuming.read();
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  const n = messages.length;
  return {
    compression,
    records: n,
    producerBytesPerRecord: Math.round(producerBytes / n),
    wireBytesPerRecord: Math.round(wireBytes / n),
    produceCpuUsPerRecord: Math.round((produceCpuUs / n) * 10) / 10,
    consumeCpuUsPerRecord: Math.round((consumeCpuUs / n) * 10) / 10,
  };
}

async function main(): Promise<void> {
  registerCompressionCodecs();
  const records = arg('records', 20_000);
  const batch = arg('batch', 1000);
  const kafka = await benchKafka(logger);
  const brokers = kafka.brokers;
  try {
    const rows: Row[] = [];
    for (const kind of ['profile', 'bench-1k'] as const) {
      const messages = await messagesOf(kind, records);
      const valueBytesPerRecord = Math.round(messages.reduce((n, m) => n + m.value.length, 0) / messages.length);
      let noneWire = 0;
      for (const compression of ROUTE_COMPRESSIONS) {
        say(`${kind}: ${records} records in batches of ${batch}, ${compression} ...`);
        const r = await shipAndRead(brokers, messages, compression, batch);
        if (compression === 'none') noneWire = r.wireBytesPerRecord;
        rows.push({ kind, valueBytesPerRecord, ...r, wireRatio: Math.round((noneWire / r.wireBytesPerRecord) * 100) / 100 });
      }
    }
    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAvg1m: Math.round(os.loadavg()[0]! * 10) / 10 };
    const best = rows.filter((r) => r.kind === 'profile' && (r.compression === 'lz4' || r.compression === 'zstd')).reduce((m, r) => Math.max(m, r.wireRatio), 0);
    const target = { what: 'lz4 or zstd: ≥ 2× fewer wire bytes per profile record than none', bestRatio: best, met: best >= 2 };
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine, batch, rows, target }, null, 2)}\n`);
      return;
    }
    say('');
    say(`machine: ${machine.cpus} cores, ${machine.model}, node ${machine.node}, load average ${machine.loadAvg1m}; batches of ${batch} records`);
    say('| record | compression | value B/record | producer B/record | wire B/record (consumer) | vs none | produce CPU µs/record | consume CPU µs/record |');
    say('|---|---|---|---|---|---|---|---|');
    for (const r of rows) say(`| ${r.kind} | ${r.compression} | ${r.valueBytesPerRecord} | ${r.producerBytesPerRecord} | ${r.wireBytesPerRecord} | ${r.wireRatio}× | ${r.produceCpuUsPerRecord} | ${r.consumeCpuUsPerRecord} |`);
    say('');
    say(`target (${target.what}): best ${best}× — ${target.met ? 'met' : 'not met'}`);
  } finally {
    await kafka.close();
  }
}

await main();
