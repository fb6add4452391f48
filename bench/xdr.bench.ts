/**
 * The XDR pipeline on a real Kafka broker, each figure next to its peer or target:
 *   1. shipping records/s: a RouteShipper draining N changes from the engine's
 *      change log (read version, encode, sendBatch, durable cursor commit) vs a
 *      plain kafkajs producer sending the SAME encoded messages, in batches of the
 *      same size, with the same producer settings, to the same broker, in the
 *      same run. Rounds alternate (peer, shipper, peer, ...) so a load change on a
 *      shared machine hits both; the median of each is compared (7 rounds by default:
 *      single rounds of 100k records spread 0.7-1.05 on a 2-vCPU VM). Target: ratio ≥ 0.8.
 *      Also the shipper's own work per record with a transport that accepts at
 *      once (for reference: what its main thread adds beside kafkajs).
 *   2. end-to-end replication lag (receiver apply time − source lut) at a fixed
 *      write rate: Tokyo engine → shipper → Kafka → receiver → Virginia engine,
 *      the destination in its own process (bench/xdr-destination.ts) as each
 *      region's gateway is. Writes run at the rate for --warmup seconds first (steady
 *      state: the JIT of both processes and the broker's warm), then the
 *      histograms are reset and --seconds are measured. Target: p99 ≤ 50 ms on
 *      loopback at 10k writes/s.
 *
 *   npm run bench:xdr -- --keep-up ...: bench/xdr-keep-up.bench.ts instead (does replication keep up with the engine?)
 *
 *   npm run bench:xdr [-- --records 100000] [--rounds 7] [--seconds 60] [--warmup 5] [--rate 10000] [--worker] [--producer-threads N] [--decoded-read] [--commit-to-device] [--only ship|lag|prepare] [--json]
 *
 * Uses $XDRGATE_KAFKA_TOKYO when set, else starts (and stops) one broker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
import { Engine, partitionId, type EngineOptions } from '../engine/index.js';
import { physicalMs } from '../record/index.js';
import { KafkaShipTransport, RouteShipper, type OutboundMessage, type ShipTransport } from '../shipper/index.js';
import { Replication, WorkerShipTransport, createKafka, createShipProducer, ensureRouteTopics } from '../xdr/replication/index.js';
import { encodeRecord, type RegionSpec, type RouteSpec } from '../replication-protocol/index.js';
import { arg, json, say, benchLogger, benchKafka } from './harness.js';
import { recvSnapshot, startDestination, type RecvSnapshot } from './xdr-destination-client.js';

/** `--only ship` or `--only lag`: run one of the two parts (short A/B runs of one figure). */
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
if (only !== undefined && only !== 'ship' && only !== 'lag' && only !== 'prepare') throw new Error(`--only takes ship, lag or prepare, got ${only}`);
const logger = benchLogger();
const PARTITIONS = 8;
/** `--worker`: the shipper's producer in a worker thread (Replication's producerThreads: 1); `--producer-threads N` sets N for the lag part. */
const useWorker = process.argv.includes('--worker');
const producerThreads = arg('producer-threads', useWorker ? 1 : 0);
const NS = 'bench';
/**
 * `--decoded-read`: the shipper reads decoded versions and encodes them itself
 * (the read path before engine.readStoredVersions and the wire transcoder), for A/B runs of the two.
 */
const decodedRead = process.argv.includes('--decoded-read');

/**
 * `--commit-to-device`: the lag part's source namespace acknowledges a write only
 * once it is fdatasync'd, and its shippers read only fdatasync'd change-log
 * entries (docs/architecture.md, change log), so the lag includes that fdatasync.
 * By default it is buffered, as the example configs are.
 */
const commitToDevice = process.argv.includes('--commit-to-device');

function engineOptions(regionId: number, commit = false): EngineOptions {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `xdrgate-bench-xdr-${regionId}-`));
  return { dataDir: dir, regionId, namespaces: [{ name: NS, filesize: 512 * 1024 * 1024, nsupPeriod: 0, commitToDevice: commit }] };
}

function bins(i: number): Record<string, string | number> {
  return { name: `user-${i}`, visits: i, city: 'Tokyo', payload: 'x'.repeat(200) };
}

function route(source: string, destination: string, topic: string): RouteSpec {
  return { name: `${source}-${destination}`, source, destination, namespace: NS, resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs: 0, enabled: true, topic };
}

async function shippingThroughput(brokers: string[], records: number, rounds: number) {
  const options = engineOptions(1);
  const engine = await Engine.open(options);
  try {
    for (let i = 0; i < records; i++) await engine.put({ ns: NS, set: 'users', key: `k${i}` }, bins(i));
    const region: RegionSpec = { name: 'tokyo', id: 1, kafka: { brokers } };
    const kafka = createKafka(region, logger, 'bench');
    const admin = kafka.admin();
    await admin.connect();
    const stamp = Date.now().toString(36);
    const shipTopic = `bench-ship-${stamp}`;
    const peerTopic = `bench-peer-${stamp}`;
    await ensureRouteTopics(admin, shipTopic, { partitions: PARTITIONS });
    await ensureRouteTopics(admin, peerTopic, { partitions: PARTITIONS });

    // The peer's messages: exactly what the shipper sends, encoded before the clock starts.
    const batches: Message[][] = [];
    let current: Message[] = [];
    for await (const v of engine.scanVersionsSince(NS, 0)) {
      current.push({ key: Buffer.from(v.digest), value: encodeRecord(v), partition: partitionId(v.digest) % PARTITIONS, timestamp: String(physicalMs(v.lut)) });
      if (current.length === 1000) {
        batches.push(current);
        current = [];
      }
    }
    if (current.length > 0) batches.push(current);
    const bytes = batches.flat().reduce((n, m) => n + (m.value as Buffer).length, 0);

    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const peerRates: number[] = [];
    const shipRates: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const peer = createShipProducer(kafka);
      await peer.connect();
      const peerStart = performance.now();
      for (const messages of batches) await peer.sendBatch({ topicMessages: [{ topic: peerTopic, messages }], acks: -1 });
      peerRates.push(records / ((performance.now() - peerStart) / 1000));
      await peer.disconnect();

      // A new route each round: its own cursor over the same change log, so every round ships all N.
      const producer = createShipProducer(kafka);
      const worker = useWorker ? new WorkerShipTransport({ region, admin, logger, clientSuffix: 'bench-worker' }) : null;
      if (worker === null) await producer.connect();
      const transport = worker ?? new KafkaShipTransport({ producer, admin });
      // Connected before the clock starts, as the peer's producer is: the worker and its producer start lazily.
      await transport.send(peerTopic, [{ key: Buffer.alloc(0), value: Buffer.from('warm-up'), partition: 0, timestampMs: Date.now() }]);
      const shipEngine = decodedRead
        ? { readVersion: engine.readVersion.bind(engine), scanVersionsSince: engine.scanVersionsSince.bind(engine), changeLog: engine.changeLog.bind(engine), now: engine.now.bind(engine) }
        : engine;
      const shipper = new RouteShipper({ route: { ...route('tokyo', 'virginia', shipTopic), name: `bench-${round}` }, regions: { sourceId: 1, destinationId: 2 }, engine: shipEngine, transport, logger, options: { batchRecordsMax: 1000 } });
      // The clock starts once the route's cursor is open (start() opens it, persisting
      // the cursors file, then starts the loop), as the peer's starts once it is
      // connected (before, the 4-10 ms cursor open was timed on the shipper's side
      // only). It stops when the last position is durably committed: part of shipping.
      await shipper.start();
      const shipStart = performance.now();
      while (shipper.stats().in_queue > 0) await sleep(1);
      shipRates.push(records / ((performance.now() - shipStart) / 1000));
      say(`  round ${round + 1} of ${rounds}: peer ${Math.round(peerRates[round]!)}/s, shipper ${Math.round(shipRates[round]!)}/s (ratio ${(shipRates[round]! / peerRates[round]!).toFixed(2)})`);
      await shipper.stop();
      if (worker !== null) await worker.close();
      else await producer.disconnect();
    }
    await admin.disconnect();
    const preparationUs = await shipperOwnWork(engine, records, 5);
    const shipMs = (records / median(shipRates)) * 1000;
    const peerMs = (records / median(peerRates)) * 1000;
    return {
      records,
      bytesPerRecord: Math.round(bytes / records),
      shipperPerSec: Math.round(records / (shipMs / 1000)),
      peerPerSec: Math.round(records / (peerMs / 1000)),
      rounds: peerRates.map((peer, i) => ({ peerPerSec: Math.round(peer), shipperPerSec: Math.round(shipRates[i]!) })),
      preparationUsPerRecord: preparationUs,
    };
  } finally {
    await engine.close();
    fs.rmSync(options.dataDir, { recursive: true, force: true });
  }
}

/** A transport that accepts every batch at once: what is left is the shipper's own work. */
class AcceptingTransport implements ShipTransport {
  records = 0;
  async partitionCount(): Promise<number> {
    return PARTITIONS;
  }
  async send(_topic: string, messages: OutboundMessage[]): Promise<void> {
    this.records += messages.length;
  }
}

/**
 * The shipper's own work per record (change-log read, record read, transcoding
 * to the wire format, messages, durable cursor commits), with a transport that
 * accepts at once: what a shipping round spends besides kafkajs and the broker.
 * Its main thread must fit that beside kafkajs's encoding while a batch is on
 * the wire. Median µs per record over `rounds` routes, each shipping all N.
 */
async function shipperOwnWork(engine: Engine, records: number, rounds: number): Promise<number> {
  const perRecordUs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const transport = new AcceptingTransport();
    const shipper = new RouteShipper({ route: { ...route('tokyo', 'virginia', 'bench-prepare'), name: `bench-prepare-${round}` }, regions: { sourceId: 1, destinationId: 2 }, engine, transport, logger, options: { batchRecordsMax: 1000 } });
    await shipper.start();
    const started = performance.now();
    while (shipper.stats().in_queue > 0) await sleep(1);
    perRecordUs.push(((performance.now() - started) * 1000) / records);
    await shipper.stop();
    if (transport.records < records) throw new Error(`the shipper passed ${transport.records} of ${records} records to the transport`);
  }
  perRecordUs.sort((a, b) => a - b);
  return Math.round(perRecordUs[Math.floor(rounds / 2)]! * 100) / 100;
}

async function endToEndLag(brokers: string[], seconds: number, rate: number, warmupSeconds: number) {
  const tokyoOptions = engineOptions(1, commitToDevice);
  const tokyoEngine = await Engine.open(tokyoOptions);
  const stamp = Date.now().toString(36);
  const regions: RegionSpec[] = [
    { name: `tk${stamp}`, id: 1, kafka: { brokers } },
    { name: `va${stamp}`, id: 2, kafka: { brokers } },
  ];
  const r = route(regions[0]!.name, regions[1]!.name, `bench-lag-${stamp}`);
  const tokyo = new Replication({ regions, logger, topics: { partitions: PARTITIONS }, region: { name: regions[0]!.name, id: 1 }, engine: tokyoEngine, producerThreads });
  const virginia = await startDestination({ regions, route: r, ns: NS, partitions: PARTITIONS });
  const recv = (): Promise<RecvSnapshot> => recvSnapshot(virginia);
  try {
    await tokyo.upsertRoute(r);
    // The consumer joins its group (its first fetches start from the beginning).
    for (let i = 0; i < 2000; i++) await tokyoEngine.put({ ns: NS, set: 'users', key: `warm${i}` }, bins(i));
    while ((await recv()).applied < 2000) await sleep(50);

    // Then writes at the fixed rate: `warmupSeconds` of warm-up (both processes' JIT
    // and the broker's C2 compile the paths this rate takes; the first 1-2 s after a
    // step from idle to 10k/s showed 50-125 ms lags), the histograms are reset, and
    // the next `seconds` are measured, without a pause between the two.
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const start = performance.now();
    const measureFrom = start + warmupSeconds * 1000;
    const end = measureFrom + seconds * 1000;
    let written = 0;
    let writtenBeforeMeasure = -1;
    let measureStart = 0;
    for (let tick = 0; performance.now() < end; tick++) {
      const due = start + tick * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (writtenBeforeMeasure < 0 && performance.now() >= measureFrom) {
        await virginia.ask('reset');
        writtenBeforeMeasure = written;
        measureStart = performance.now();
      }
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < perTick; i++) writes.push(tokyoEngine.put({ ns: NS, set: 'users', key: `k${written++}` }, bins(written)));
      await Promise.all(writes);
    }
    const writeSec = (performance.now() - measureStart) / 1000;
    const measured = written - writtenBeforeMeasure;
    const deadline = performance.now() + 60_000;
    let last = await recv();
    while (performance.now() < deadline && last.applied + last.rejected_identical < written + 2000) {
      await sleep(100);
      last = await recv();
    }
    if (process.env.XDR_BENCH_DEBUG) process.stderr.write(`${JSON.stringify({ ship: tokyo.stats().ship[0], recv: last })}\n`);
    return { written: measured, warmupSeconds, achievedRate: Math.round(measured / writeSec), applied: last.lag.count, p50Ms: last.lag.p50_ms, p99Ms: last.lag.p99_ms, maxMs: last.lag.max_ms };
  } finally {
    await tokyo.stop();
    await virginia.stop();
    await tokyoEngine.close();
    fs.rmSync(tokyoOptions.dataDir, { recursive: true, force: true });
  }
}

/** `--only prepare`: the shipper's own work alone, without a broker (quick A/B runs of the preparation). */
async function ownWorkOnly(records: number): Promise<void> {
  const options = engineOptions(1);
  const engine = await Engine.open(options);
  try {
    for (let i = 0; i < records; i++) await engine.put({ ns: NS, set: 'users', key: `k${i}` }, bins(i));
    const us = await shipperOwnWork(engine, records, 9);
    if (json) process.stdout.write(`${JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, preparationUsPerRecord: us }, null, 2)}\n`);
    else say(`shipper's own work, transport accepting at once: ${us} µs/record (median of 9 routes over ${records} records)`);
  } finally {
    await engine.close();
    fs.rmSync(options.dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const records = arg('records', 100_000);
  if (only === 'prepare') return ownWorkOnly(records);
  const seconds = arg('seconds', 60);
  const rate = arg('rate', 10_000);
  const kafka = await benchKafka(logger);
  const brokers = kafka.brokers;
  try {
    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version };
    let shipping: (Awaited<ReturnType<typeof shippingThroughput>> & { ratio: number; target: string; met: boolean }) | null = null;
    if (only !== 'lag') {
      say(`shipping ${records} records ...`);
      const ship = await shippingThroughput(brokers, records, arg('rounds', 7));
      const ratio = Math.round((ship.shipperPerSec / ship.peerPerSec) * 100) / 100;
      shipping = { ...ship, ratio, target: 'ratio >= 0.8', met: ratio >= 0.8 };
    }
    let lag: (Awaited<ReturnType<typeof endToEndLag>> & { rate: number; seconds: number; source: string; target: string; met: boolean }) | null = null;
    if (only !== 'ship') {
      say(`end-to-end lag at ${rate} writes/s: ${arg('warmup', 5)} s of warm-up at that rate, then ${seconds} s measured ...`);
      const l = await endToEndLag(brokers, seconds, rate, arg('warmup', 5));
      lag = { rate, seconds, source: commitToDevice ? 'commit-to-device' : 'buffered', ...l, target: 'p99 <= 50 ms at 10k writes/s', met: l.p99Ms <= 50 && l.achievedRate >= rate * 0.95 };
    }
    if (json) {
      process.stdout.write(`${JSON.stringify({ machine, shipping, lag }, null, 2)}\n`);
      return;
    }
    say('');
    say(`machine: ${machine.cpus} cores, ${machine.model}, node ${machine.node}`);
    say('| case | value | peer / target | met |');
    say('|---|---|---|---|');
    if (shipping !== null) {
      say(`| shipper records/s (${shipping.bytesPerRecord} B/record) | ${shipping.shipperPerSec} | plain kafkajs producer ${shipping.peerPerSec} (ratio ${shipping.ratio}) | ${shipping.met ? 'yes' : 'no'} |`);
      say(`| shipper's own work, transport accepting at once (µs/record) | ${shipping.preparationUsPerRecord} | for reference | |`);
    }
    if (lag !== null) say(`| end-to-end lag p50 / p99 / max (ms), ${lag.source} source | ${lag.p50Ms} / ${lag.p99Ms} / ${lag.maxMs} | p99 ≤ 50 at ${rate}/s (achieved ${lag.achievedRate}/s over ${lag.applied} applied) | ${lag.met ? 'yes' : 'no'} |`);
  } finally {
    await kafka.close();
  }
}

// `--keep-up`: bench/xdr-keep-up.bench.ts (engine puts, shipping, and both at once), with the same arguments.
if (process.argv.includes('--keep-up')) await import('./xdr-keep-up.bench.js');
else await main();
