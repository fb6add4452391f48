/**
 * `xdrgate up`: the two-region topology as local processes — Redis, a Kafka
 * broker per region, and a gateway per region started from config/tokyo.yaml and
 * config/virginia.yaml (the files docker-compose.yml mounts), with addresses
 * injected through environment variables. Ctrl-C stops everything in reverse
 * order and waits for each part to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { pino } from 'pino';
import { ensureRedis, KafkaBroker, provisionKafka, type RedisHandle } from '../infra/index.js';
import { envNameForRegion } from '../config/index.js';
import { LoadDriver } from './load.js';
import { packageRoot } from './shared.js';

export interface UpOptions {
  host: string;
  tokyoPort: number;
  virginiaPort: number;
  tokyoKafkaPort: number;
  virginiaKafkaPort: number;
  dataDir: string;
  redisUrl?: string;
  load?: number;
}

interface RegionPlan {
  name: 'tokyo' | 'virginia';
  configFile: string;
  port: number;
  kafkaPort: number;
}

/** The region configs `up` starts, relative to the package root; docker-compose.yml mounts the same files (a test checks). */
export const UP_CONFIG_FILES = { tokyo: 'config/tokyo.yaml', virginia: 'config/virginia.yaml' } as const;

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 20_000;

function progress(step: string, detail = ''): void {
  process.stderr.write(`• ${step}${detail ? ` — ${detail}` : ''}\n`);
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-30).join('\n');
      throw new Error(`gateway at ${url} exited with code ${child.exitCode}; last lines of ${logFile}:\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`gateway at ${url} not ready after ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function up(o: UpOptions): Promise<void> {
  const root = packageRoot();
  const dataDir = path.resolve(o.dataDir);
  await mkdir(dataDir, { recursive: true });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const plans: RegionPlan[] = [
    { name: 'tokyo', configFile: path.join(root, UP_CONFIG_FILES.tokyo), port: o.tokyoPort, kafkaPort: o.tokyoKafkaPort },
    { name: 'virginia', configFile: path.join(root, UP_CONFIG_FILES.virginia), port: o.virginiaPort, kafkaPort: o.virginiaKafkaPort },
  ];
  const stops: Array<{ what: string; fn: () => Promise<void> }> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    progress('stopping', 'gateways first (they flush and commit), then Kafka, then Redis');
    for (const s of stops.reverse()) {
      try {
        await s.fn();
        progress(`stopped ${s.what}`);
      } catch (err) {
        progress(`stopping ${s.what} failed`, (err as Error).message);
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    progress('Redis', 'using REDIS_URL / XDRGATE_REDIS_URL when it answers, else starting redis-server');
    const redis: RedisHandle = await ensureRedis(o.redisUrl, { logger });
    stops.push({ what: redis.started ? 'Redis' : `using Redis at ${redis.url} (left running: xdrgate did not start it)`, fn: () => redis.stop() });
    progress('Redis ready', `${redis.url}${redis.started ? ' (started by xdrgate)' : ''}`);

    progress('Kafka', 'provisioning jars from Maven Central into the cache (first run only)');
    const dist = await provisionKafka({ logger });
    progress('Kafka jars ready', `${dist.version}${dist.downloaded ? ` (downloaded in ${Math.round(dist.elapsedMs / 1000)}s)` : ' (cached)'}`);

    progress('Kafka brokers', 'starting one per region');
    const brokers = await Promise.all(
      plans.map(async (p) => {
        const broker = await KafkaBroker.start({ name: p.name, host: o.host, port: p.kafkaPort, controllerPort: p.kafkaPort + 100, dataDir: path.join(dataDir, `kafka-${p.name}`), dist, logger });
        stops.push({ what: `Kafka ${p.name}`, fn: () => broker.stop() });
        progress(`Kafka ${p.name} ready`, `${broker.bootstrap} in ${Math.round(broker.lastStartMs / 100) / 10}s`);
        return broker;
      }),
    );

    const env: Record<string, string> = { XDRGATE_REDIS_URL: redis.url };
    plans.forEach((p, i) => (env[envNameForRegion(p.name)] = brokers[i]!.bootstrap));

    const gateways = plans.map((p) => {
      const url = `http://${o.host}:${p.port}`;
      const logFile = path.join(dataDir, `gateway-${p.name}.log`);
      const out = createWriteStream(logFile, { flags: 'a' });
      const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--config', p.configFile], {
        env: { ...process.env, ...env, XDRGATE_LISTEN: `${o.host}:${p.port}`, XDRGATE_DATA_DIR: path.join(dataDir, p.name) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.pipe(out);
      child.stderr!.pipe(out);
      stops.push({ what: `gateway ${p.name}`, fn: () => stopChild(child) });
      progress(`gateway ${p.name}`, `starting from ${path.relative(process.cwd(), p.configFile)} (log: ${path.relative(process.cwd(), logFile)})`);
      return { plan: p, url, child, logFile };
    });
    await Promise.all(gateways.map((g) => waitReady(g.url, g.child, g.logFile)));
    for (const g of gateways) {
      g.child.once('exit', (code) => {
        if (!stopping) {
          progress(`gateway ${g.plan.name} exited unexpectedly`, `code ${code}; see ${g.logFile}`);
          void shutdown(1);
        }
      });
    }

    const lines = [
      '',
      'xdrgate is up:',
      ...gateways.map((g, i) => `  ${g.plan.name.padEnd(9)} gateway  ${g.url}   (API docs ${g.url}/docs, stats ${g.url}/v1/stats)   kafka ${brokers[i]!.bootstrap}`),
      `  redis              ${redis.url}`,
      `  data               ${dataDir}`,
      `  dashboard          ${gateways[0]!.url}/dashboard   (every region; Prometheus metrics at <gateway>/metrics)`,
      '',
      'Try:',
      `  curl -X PUT ${gateways[0]!.url}/v1/records/user_data/profiles/ada -H 'content-type: application/json' -d '{"bins":{"name":"Ada","views":1}}'`,
      `  curl ${gateways[1]!.url}/v1/records/user_data/profiles/ada`,
      `  npx xdrgate route list --url ${gateways[0]!.url}`,
      `  npx xdrgate lag --url ${gateways[0]!.url}`,
      '',
      'Ctrl-C stops everything.',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    if (o.load && o.load > 0) {
      const driver = new LoadDriver(gateways.map((g) => ({ region: g.plan.name, url: g.url })), o.load);
      driver.start();
      const timer = setInterval(() => {
        const parts = [...driver.stats].map(([region, s]) => `${region} ok ${s.ok} failed ${s.failed} skipped ${s.skipped}`);
        progress(`load ${o.load} writes/s per region`, parts.join(' · '));
      }, 5000);
      timer.unref();
      stops.push({
        what: 'load',
        fn: async () => {
          clearInterval(timer);
          driver.stop();
        },
      });
    }
  } catch (err) {
    process.stderr.write(`\nxdrgate up failed: ${(err as Error).message}\n`);
    await shutdown(1);
  }
}

export function addUpCommand(program: Command): void {
  const int = (v: string) => Number.parseInt(v, 10);
  program
    .command('up')
    .description('start Tokyo and Virginia locally: Redis, a Kafka broker per region, a gateway per region (Ctrl-C stops all)')
    .option('--host <host>', 'address everything listens on', '127.0.0.1')
    .option('--tokyo-port <port>', 'Tokyo gateway port', int, 4100)
    .option('--virginia-port <port>', 'Virginia gateway port', int, 4200)
    .option('--tokyo-kafka-port <port>', 'Tokyo Kafka broker port (controller: +100)', int, 9092)
    .option('--virginia-kafka-port <port>', 'Virginia Kafka broker port (controller: +100)', int, 9093)
    .option('--data-dir <dir>', 'where gateways and brokers keep their data and logs', 'data/up')
    .option('--redis-url <url>', 'Redis to use (default $REDIS_URL, else one is started)')
    .option('--load <writesPerSec>', 'also drive this many writes/s at each region', int)
    .action((o: UpOptions) => up(o));
}
