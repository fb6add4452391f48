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
import { pino, type Logger } from 'pino';
import { ensureRedis, KafkaBroker, provisionKafka, type RedisHandle } from '../infra/index.js';
import { envNameForRegion, urlEnvNameForRegion } from '../config/index.js';
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

/** What `up` started, stopped newest first on Ctrl-C or a failure: gateways, then Kafka, then Redis. */
class Teardown {
  private readonly steps: Array<{ what: string; fn: () => Promise<void> }> = [];
  private started = false;

  /** True once the shutdown began: a gateway exiting from then on is expected. */
  get stopping(): boolean {
    return this.started;
  }

  add(what: string, fn: () => Promise<void>): void {
    this.steps.push({ what, fn });
  }

  /** Stops everything added, newest first, then exits the process with `code`. Runs once. */
  async run(code: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    progress('stopping', 'gateways first (they flush and commit), then Kafka, then Redis');
    for (const s of this.steps.reverse()) {
      try {
        await s.fn();
        progress(`stopped ${s.what}`);
      } catch (err) {
        progress(`stopping ${s.what} failed`, (err as Error).message);
      }
    }
    process.exit(code);
  }
}

/** What every step of `up` works from. */
interface UpContext {
  o: UpOptions;
  root: string;
  dataDir: string;
  logger: Logger;
  plans: RegionPlan[];
  teardown: Teardown;
}

interface Gateway {
  plan: RegionPlan;
  url: string;
  child: ChildProcess;
  logFile: string;
}

async function startRedis({ o, logger, teardown }: UpContext): Promise<RedisHandle> {
  progress('Redis', 'using REDIS_URL / XDRGATE_REDIS_URL when it answers, else starting redis-server');
  const redis = await ensureRedis(o.redisUrl, { logger });
  teardown.add(redis.started ? 'Redis' : `using Redis at ${redis.url} (left running: xdrgate did not start it)`, () => redis.stop());
  progress('Redis ready', `${redis.url}${redis.started ? ' (started by xdrgate)' : ''}`);
  return redis;
}

/** Provisions Kafka (first run only) and starts one broker per region, in the order of `plans`. */
async function startBrokers({ o, dataDir, logger, plans, teardown }: UpContext): Promise<KafkaBroker[]> {
  progress('Kafka', 'provisioning jars from Maven Central into the cache (first run only)');
  const dist = await provisionKafka({ logger });
  progress('Kafka jars ready', `${dist.version}${dist.downloaded ? ` (downloaded in ${Math.round(dist.elapsedMs / 1000)}s)` : ' (cached)'}`);

  progress('Kafka brokers', 'starting one per region');
  return Promise.all(
    plans.map(async (p) => {
      const broker = await KafkaBroker.start({ name: p.name, host: o.host, port: p.kafkaPort, controllerPort: p.kafkaPort + 100, dataDir: path.join(dataDir, `kafka-${p.name}`), dist, logger });
      teardown.add(`Kafka ${p.name}`, () => broker.stop());
      progress(`Kafka ${p.name} ready`, `${broker.bootstrap} in ${Math.round(broker.lastStartMs / 100) / 10}s`);
      return broker;
    }),
  );
}

/** Spawns a gateway per region with `env`, waits until all are ready, and shuts everything down if one exits on its own. */
async function startGateways({ o, root, dataDir, plans, teardown }: UpContext, env: Record<string, string>): Promise<Gateway[]> {
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
    teardown.add(`gateway ${p.name}`, () => stopChild(child));
    progress(`gateway ${p.name}`, `starting from ${path.relative(process.cwd(), p.configFile)} (log: ${path.relative(process.cwd(), logFile)})`);
    return { plan: p, url, child, logFile };
  });
  await Promise.all(gateways.map((g) => waitReady(g.url, g.child, g.logFile)));
  for (const g of gateways) {
    g.child.once('exit', (code) => {
      if (!teardown.stopping) {
        progress(`gateway ${g.plan.name} exited unexpectedly`, `code ${code}; see ${g.logFile}`);
        void teardown.run(1);
      }
    });
  }
  return gateways;
}

/** The "xdrgate is up" block on stdout: where each part listens, and commands to try. */
function upSummary(gateways: Gateway[], brokers: KafkaBroker[], redis: RedisHandle, dataDir: string): string {
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
  return `${lines.join('\n')}\n`;
}

/** `--load`: drives `writesPerSec` at each gateway and reports the counts every 5 s. */
function startLoad(gateways: Gateway[], writesPerSec: number, teardown: Teardown): void {
  const driver = new LoadDriver(gateways.map((g) => ({ region: g.plan.name, url: g.url })), writesPerSec);
  driver.start();
  const timer = setInterval(() => {
    const parts = [...driver.stats].map(([region, s]) => `${region} ok ${s.ok} failed ${s.failed} skipped ${s.skipped}`);
    progress(`load ${writesPerSec} writes/s per region`, parts.join(' · '));
  }, 5000);
  timer.unref();
  teardown.add('load', async () => {
    clearInterval(timer);
    driver.stop();
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
  const teardown = new Teardown();
  process.on('SIGINT', () => void teardown.run(0));
  process.on('SIGTERM', () => void teardown.run(0));
  const ctx: UpContext = { o, root, dataDir, logger, plans, teardown };

  try {
    const redis = await startRedis(ctx);
    const brokers = await startBrokers(ctx);
    const env: Record<string, string> = { XDRGATE_REDIS_URL: redis.url };
    plans.forEach((p, i) => (env[envNameForRegion(p.name)] = brokers[i]!.bootstrap));
    // Each gateway reaches its peer's (anti-entropy, repair after a crash) at the port `up` gave it.
    for (const p of plans) env[urlEnvNameForRegion(p.name)] = `http://${o.host}:${p.port}`;
    const gateways = await startGateways(ctx, env);
    process.stdout.write(upSummary(gateways, brokers, redis, dataDir));
    if (o.load && o.load > 0) startLoad(gateways, o.load, teardown);
  } catch (err) {
    process.stderr.write(`\nxdrgate up failed: ${(err as Error).message}\n`);
    await teardown.run(1);
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
