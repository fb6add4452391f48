/**
 * The destination region of bench/xdr.bench.ts, in its own process as in a real
 * topology (one gateway process per region): an Engine and a Replication that
 * receives one route. Driven over IPC: { cmd: 'reset' | 'stats' | 'cpu' | 'stop' }
 * ('cpu': this process's CPU time so far, µs, its threads included).
 * Started by the benchmark (bench:xdr, bench:xdr-keep-up) with the route, the
 * regions and optional receiver settings as a JSON argument.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Engine } from '../engine/index.js';
import { Replication } from '../xdr/replication/index.js';
import { type RegionSpec, type RouteSpec } from '../replication-protocol/index.js';

interface Setup {
  regions: RegionSpec[];
  route: RouteSpec;
  ns: string;
  partitions: number;
  /** Receiver settings (the config's replication section); absent: Replication's defaults. */
  receivePartitionsAtOnce?: number;
  applyWindow?: number;
}

const setup = JSON.parse(process.argv[2]!) as Setup;
const logger = pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xdrgate-bench-xdr-dest-'));
const dest = setup.regions.find((r) => r.name === setup.route.destination)!;
const engine = await Engine.open({ dataDir, regionId: dest.id, namespaces: [{ name: setup.ns, filesize: 1024 * 1024 * 1024, nsupPeriod: 0 }] });
const replication = new Replication({
  region: { name: dest.name, id: dest.id },
  regions: setup.regions,
  engine,
  logger,
  topics: { partitions: setup.partitions },
  ...(setup.receivePartitionsAtOnce === undefined ? {} : { receivePartitionsAtOnce: setup.receivePartitionsAtOnce }),
  ...(setup.applyWindow === undefined ? {} : { receiver: { applyConcurrencyMax: setup.applyWindow } }),
});
await replication.upsertRoute(setup.route);

process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'reset') {
    replication.resetLag();
    process.send!({ reset: true });
  } else if (msg.cmd === 'stats') {
    process.send!({ stats: replication.stats().receive[0] ?? null });
  } else if (msg.cmd === 'cpu') {
    const u = process.cpuUsage();
    process.send!({ cpuUs: u.user + u.system });
  } else if (msg.cmd === 'stop') {
    void (async () => {
      await replication.stop();
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    })();
  }
});
process.send!({ ready: true });
