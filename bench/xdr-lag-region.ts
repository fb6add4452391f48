/**
 * One region of bench/xdr-lag.bench.ts in its own process, as a gateway runs:
 * the engine and the replication pipeline built from a shipped config file
 * (config/<region>.yaml) the way the gateway builds them (xdr/engine-options.ts,
 * xdr/gateway-replication.ts), with the file's routes that start or end here.
 * Only the data dir and the Kafka addresses differ, through the same
 * XDRGATE_* variables `xdrgate up` sets.
 *
 * Driven over IPC:
 *   { cmd: 'write', rate, seconds }   writes at `rate`/s for `seconds`, as `up --load`
 *                                      does: one write in five to sessions, the rest
 *                                      to user_data; replies when done
 *   { cmd: 'reset' }                  the receiver's lag histograms start over
 *   { cmd: 'stats' }                  receive stats per route, ship stats per route
 *   { cmd: 'cpu' }                    this process's CPU time so far (µs)
 *   { cmd: 'profile', seconds, file } a V8 CPU profile of the next `seconds`, written to `file`
 *   { cmd: 'stop' }
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Engine } from '../engine/index.js';
import { loadConfig } from '../xdr/config/index.js';
import { engineOptions } from '../xdr/engine-options.js';
import { Replication } from '../xdr/replication/index.js';
import { replicationOptions } from '../xdr/gateway-replication.js';
import type { GatewayEngine } from '../xdr/gateway.js';

interface Setup {
  configFile: string;
  env: Record<string, string>;
  /** Value bytes of each record's payload bin (the bench's records are ~1 KiB). */
  payloadBytes: number;
  /** Distinct keys written per namespace, cycled. */
  keySpace: number;
}

const setup = JSON.parse(process.argv[2]!) as Setup;
const logger = pino({ level: process.env.XDRGATE_BENCH_LOG_LEVEL ?? 'error' }, pino.destination(2));
const config = loadConfig(setup.configFile, { env: { ...setup.env } });
const engine = await Engine.open({ ...engineOptions(config), logger });
// The gateway's own options from the config (xdr/gateway-replication.ts): producer threads, limits, receiver settings.
const replication = new Replication(replicationOptions({ config, engine: engine as unknown as GatewayEngine, logger }));
const here = config.region.name;
for (const route of config.routes) if (route.source === here || route.destination === here) await replication.upsertRoute(route);

const payload = 'x'.repeat(setup.payloadBytes);
let seq = 0;
let writeErrors = 0;
let inFlight = 0;
/** Writes outstanding at once at most (a commit-to-device write waits for its fdatasync); ticks past it are skipped and counted. */
const IN_FLIGHT_MAX = 4096;
let skipped = 0;

function writeOne(): void {
  if (inFlight >= IN_FLIGHT_MAX) {
    skipped++;
    return;
  }
  seq++;
  const ns = seq % 5 === 0 ? 'sessions' : 'user_data';
  inFlight++;
  engine
    .put({ ns, set: 'load', key: `${here}-${seq % setup.keySpace}` }, { n: seq, from: here, at: Date.now(), payload })
    .catch(() => writeErrors++)
    .finally(() => inFlight--);
}

/** Writes at `rate`/s on a 1 ms schedule (due times from the start, so a late tick catches up). */
async function writeAt(rate: number, seconds: number): Promise<{ written: number; seconds: number }> {
  const first = seq;
  const start = performance.now();
  const end = start + seconds * 1000;
  const intervalMs = Math.max(1, 1000 / rate);
  for (let due = start; due < end; due += intervalMs) {
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const target = Math.floor(((Math.min(performance.now(), end) - start) * rate) / 1000) + 1;
    while (seq - first < target) writeOne();
  }
  while (inFlight > 0) await sleep(5);
  return { written: seq - first, seconds: (performance.now() - start) / 1000 };
}

/** Where this process's CPU goes over `seconds` (open the file in Chrome DevTools or speedscope). */
async function cpuProfile(seconds: number, file: string): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  await sleep(seconds * 1000);
  const { profile } = (await post('Profiler.stop')) as { profile: object };
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

process.on('message', (msg: { cmd: string; rate?: number; seconds?: number }) => {
  void (async () => {
    if (msg.cmd === 'write') {
      const r = await writeAt(msg.rate!, msg.seconds!);
      process.send!({ ...r, writeErrors, skipped });
    } else if (msg.cmd === 'reset') {
      replication.resetLag();
      process.send!({ reset: true });
    } else if (msg.cmd === 'stats') {
      const s = replication.stats();
      process.send!({ receive: s.receive, ship: s.ship });
    } else if (msg.cmd === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cpuUs: u.user + u.system, pid: process.pid });
    } else if (msg.cmd === 'profile') {
      await cpuProfile(msg.seconds!, (msg as { file?: string }).file!);
      process.send!({ profiled: true });
    } else if (msg.cmd === 'stop') {
      await replication.stop();
      await engine.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  })();
});
process.send!({ ready: true, region: here, routes: config.routes.map((r) => r.name), cpus: os.cpus().length });
