/**
 * What each durability mode costs a client write, side by side in one run on a
 * real Kafka broker: 1 KiB puts through the engine as the gateway's fronts call
 * it (xdr/durability's acknowledging engine), with 1, 32 and 256 writes in
 * flight, in namespaces that acknowledge
 *   - buffered (device, from RAM: the peer every other mode is compared with),
 *   - commit-to-device (device, after the group commit's fdatasync),
 *   - shipped (memory, after a real route shipper has the change in Kafka,
 *     acks=all), with the route's hot-key-ms at 0 and at 10 (the shipped
 *     configs' sessions routes use 10: coalescing waits that long for repeats),
 *   - buffered memory (the peer of shipped).
 * Modes alternate within each round so a load change on a shared machine hits
 * all of them; the median round is reported.
 *
 *   npm run bench:durability [-- --seconds 3] [--rounds 3] [--json]
 *
 * Uses $XDRGATE_KAFKA_TOKYO when set, else starts (and stops) one broker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, type NamespaceOptions } from '../engine/index.js';
import { acknowledgingEngine, ShippedAcks } from '../xdr/durability/index.js';
import { KafkaBroker } from '../xdr/infra/index.js';
import { Replication } from '../xdr/replication/index.js';
import { type RegionSpec, type RouteSpec } from '../replication-protocol/index.js';
import { arg, json, say, benchLogger } from './harness.js';

const seconds = arg('seconds', 3);
const rounds = arg('rounds', 3);
const logger = benchLogger();

interface Mode {
  name: string;
  ns: string;
  peer: string | null;
}

const MODES: Mode[] = [
  { name: 'buffered (device)', ns: 'buffered', peer: null },
  { name: 'commit-to-device', ns: 'committed', peer: 'buffered (device)' },
  { name: 'buffered (memory)', ns: 'memory', peer: null },
  { name: 'shipped (memory), hot-key-ms 0', ns: 'shipped', peer: 'buffered (memory)' },
  { name: 'shipped (memory), hot-key-ms 10', ns: 'shipped10', peer: 'buffered (memory)' },
];

const PAYLOAD = 'x'.repeat(1000);
const IN_FLIGHT = [1, 32, 256];
/** Keys per namespace: the runs overwrite them, so a fast mode does not fill its storage (as a steady workload would not). */
const KEYS = 50_000;

interface Result {
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
}

async function drive(put: (i: number) => Promise<unknown>, concurrency: number, ms: number): Promise<Result> {
  const lat: number[] = [];
  let next = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      await put(i);
      lat.push((performance.now() - t0) * 1000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  const pick = (p: number): number => Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]!);
  return { opsPerSec: Math.round(lat.length / elapsed), p50Us: pick(0.5), p99Us: pick(0.99) };
}

async function main(): Promise<void> {
  const broker = process.env.XDRGATE_KAFKA_TOKYO ? null : await KafkaBroker.start({ name: 'bench-durability', logger });
  const brokers = (process.env.XDRGATE_KAFKA_TOKYO ?? broker!.bootstrap).split(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-durability-'));
  const device = (name: string, commitToDevice: boolean): NamespaceOptions => ({ name, filesize: 1024 * 1024 * 1024, writeBlockSize: 1024 * 1024, commitToDevice, flushMaxMs: 100, nsupPeriod: 0 });
  const memory = (name: string): NamespaceOptions => ({ name, storageEngine: 'memory', dataSize: 1024 * 1024 * 1024, nsupPeriod: 0 });
  const engine = await Engine.open({
    dataDir: dir, regionId: 1, logger,
    namespaces: [device('buffered', false), device('committed', true), memory('memory'), memory('shipped'), memory('shipped10')],
  });
  const regions: RegionSpec[] = [{ name: 'tokyo', id: 1, kafka: { brokers } }, { name: 'virginia', id: 2, kafka: { brokers } }];
  const replication = new Replication({ region: { name: 'tokyo', id: 1 }, regions, engine, logger, topics: { partitions: 8 } });
  const stamp = Date.now().toString(36);
  const route = (ns: string, hotKeyMs: number): RouteSpec => ({ name: `bench-${ns}`, source: 'tokyo', destination: 'virginia', namespace: ns, resolver: 'lww', forward: false, maxRecordsPerSec: 0, delayMs: 0, hotKeyMs, enabled: true, topic: `bench-durability-${ns}-${stamp}` });
  await replication.upsertRoute(route('shipped', 0), { paused: false });
  await replication.upsertRoute(route('shipped10', 10), { paused: false });
  const client = acknowledgingEngine(engine, new ShippedAcks(replication, [{ name: 'shipped', ackTimeoutMs: 30_000 }, { name: 'shipped10', ackTimeoutMs: 30_000 }]));
  const results = new Map<string, Result[]>();
  try {
    // Warm-up: JIT, the producer's connection and metadata, the first block buffers.
    for (const m of MODES) await drive((i) => client.put({ ns: m.ns, set: 's', key: `k${i % KEYS}` }, { payload: PAYLOAD, i }), 8, 500);
    for (const concurrency of IN_FLIGHT) {
      for (let round = 0; round < rounds; round++) {
        for (const m of MODES) {
          const r = await drive((i) => client.put({ ns: m.ns, set: 's', key: `k${i % KEYS}` }, { payload: PAYLOAD, i }), concurrency, seconds * 1000);
          const key = `${m.name}|${concurrency}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          say(`  ${concurrency} in flight, round ${round + 1}/${rounds}: ${m.name}: ${r.opsPerSec} puts/s, p50 ${r.p50Us} µs, p99 ${r.p99Us} µs`);
        }
      }
    }
  } finally {
    await replication.stop();
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await broker?.close();
  }
  const median = (rs: Result[]): Result => [...rs].sort((a, b) => a.opsPerSec - b.opsPerSec)[Math.floor(rs.length / 2)]!;
  const rows = IN_FLIGHT.flatMap((concurrency) =>
    MODES.map((m) => {
      const r = median(results.get(`${m.name}|${concurrency}`)!);
      const peer = m.peer === null ? null : median(results.get(`${m.peer}|${concurrency}`)!);
      return { mode: m.name, inFlight: concurrency, putsPerSec: r.opsPerSec, p50Us: r.p50Us, p99Us: r.p99Us, vsPeer: peer === null ? null : Number((r.opsPerSec / peer.opsPerSec).toPrecision(2)), peer: m.peer };
    }),
  );
  if (json) {
    process.stdout.write(`${JSON.stringify({ bench: 'durability', machine: os.cpus()[0]?.model, seconds, rounds, rows }, null, 2)}\n`);
    return;
  }
  say('');
  say(`durability modes, 1 KiB puts (median of ${rounds} rounds of ${seconds} s; ${os.cpus()[0]?.model})`);
  say('| mode | in flight | puts/s | p50 µs | p99 µs | vs its buffered peer |');
  say('|---|---:|---:|---:|---:|---|');
  for (const r of rows) say(`| ${r.mode} | ${r.inFlight} | ${r.putsPerSec} | ${r.p50Us} | ${r.p99Us} | ${r.vsPeer === null ? 'peer' : `${r.vsPeer}× ${r.peer}`} |`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
