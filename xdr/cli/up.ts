/**
 * `xdrgate up`: the two-region topology as local processes — Redis, a Kafka
 * broker per region, and a gateway per region started from config/tokyo.yaml and
 * config/virginia.yaml (the files docker-compose.yml mounts), with addresses
 * injected through environment variables.
 *
 * One `up` per folder: it locks its data folder before starting anything, so a
 * second `up` on it is refused (naming the first) instead of formatting Kafka
 * storage and opening device files that running processes own. And `up` is a
 * supervisor: a gateway, broker or Redis (the one up started) that dies is
 * reported and restarted with backoff while the other region keeps serving
 * (xdr/process/supervisor.ts); Ctrl-C stops everything in reverse order —
 * gateways, then Kafka, then Redis — and waits for each part to exit.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { ensureRedis, provisionKafka, type KafkaBroker, type RedisHandle } from '../infra/index.js';
import { envNameForRegion, urlEnvNameForRegion } from '../config/index.js';
import { isXdrError } from '../errors.js';
import { acquireDirLock, Supervisor, type DirLock } from '../process/index.js';
import { LoadDriver } from './load.js';
import { packageRoot } from './shared.js';
import { brokerService, gatewayService, progress, redisService, reportEvent } from './up-services.js';

export interface UpOptions {
  host: string;
  tokyoPort: number;
  virginiaPort: number;
  /** Aerospike client-protocol port of each gateway (the `service` of its config). */
  tokyoServicePort: number;
  virginiaServicePort: number;
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
  servicePort: number;
  kafkaPort: number;
}

/** The region configs `up` starts, relative to the package root; docker-compose.yml mounts the same files (a test checks). */
export const UP_CONFIG_FILES = { tokyo: 'config/tokyo.yaml', virginia: 'config/virginia.yaml' } as const;

/** What `up` started, stopped newest first on Ctrl-C or a failure: gateways, then Kafka, then Redis. */
class Teardown {
  private readonly steps: Array<{ what: string; fn: () => Promise<void> }> = [];
  private started = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly lock: DirLock,
  ) {}

  add(what: string, fn: () => Promise<void>): void {
    this.steps.push({ what, fn });
  }

  /** Stops everything added, newest first, then exits the process with `code`. Runs once. */
  async run(code: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    // A part that exits from here on is being stopped, not crashing: nothing is restarted any more.
    this.supervisor.stopRestarting();
    progress('stopping', 'gateways first (they flush and commit), then Kafka, then Redis');
    for (const s of this.steps.reverse()) {
      try {
        await s.fn();
        progress(`stopped ${s.what}`);
      } catch (err) {
        progress(`stopping ${s.what} failed`, (err as Error).message);
      }
    }
    this.lock.release();
    process.exit(code);
  }
}

/** What every step of `up` works from. */
interface UpContext {
  o: UpOptions;
  root: string;
  dataDir: string;
  /** Infrastructure warnings, on stderr. */
  logger: Logger;
  plans: RegionPlan[];
  supervisor: Supervisor;
  teardown: Teardown;
  /** Each supervised service's own log file, for reports. */
  logFiles: Map<string, string>;
}

interface Gateway {
  plan: RegionPlan;
  url: string;
  /** host:port of its Aerospike client-protocol port. */
  service: string;
}

/** Registers the supervised service's stop before its first start, so Ctrl-C during that start aborts it. */
function supervise(ctx: UpContext, name: string, label = name): void {
  ctx.teardown.add(label, () => ctx.supervisor.stop(name));
}

async function startRedis(ctx: UpContext): Promise<RedisHandle> {
  const { o, logger, supervisor, teardown } = ctx;
  progress('Redis', 'using REDIS_URL / XDRGATE_REDIS_URL when it answers, else starting redis-server');
  const redis = await ensureRedis(o.redisUrl, { logger });
  if (redis.started) {
    const service = redisService(redis, logger);
    supervise(ctx, service.name);
    supervisor.watch(service, service.first);
  } else {
    teardown.add(`using Redis at ${redis.url} (left running: xdrgate did not start it)`, () => redis.stop());
  }
  progress('Redis ready', `${redis.url}${redis.started ? ' (started by xdrgate)' : ''}`);
  return redis;
}

/** Provisions Kafka (first run only) and starts one broker per region, in the order of `plans`. */
async function startBrokers(ctx: UpContext): Promise<KafkaBroker[]> {
  const { o, dataDir, logger, plans, supervisor } = ctx;
  progress('Kafka', 'provisioning jars from Maven Central into the cache (first run only)');
  const dist = await provisionKafka({ logger });
  progress('Kafka jars ready', `${dist.version}${dist.downloaded ? ` (downloaded in ${Math.round(dist.elapsedMs / 1000)}s)` : ' (cached)'}`);

  progress('Kafka brokers', 'starting one per region');
  return Promise.all(
    plans.map(async (p) => {
      const dir = path.join(dataDir, `kafka-${p.name}`);
      let broker: KafkaBroker | undefined;
      const service = brokerService(p.name, { name: p.name, host: o.host, port: p.kafkaPort, controllerPort: p.kafkaPort + 100, dataDir: dir, dist, logger }, (b) => (broker = b));
      ctx.logFiles.set(service.name, path.relative(process.cwd(), path.join(dir, 'broker.log')));
      supervise(ctx, service.name);
      await supervisor.launch(service);
      progress(`Kafka ${p.name} ready`, `${broker!.bootstrap} in ${Math.round(broker!.lastStartMs / 100) / 10}s (pid ${broker!.pid})`);
      return broker!;
    }),
  );
}

/** Starts a gateway per region with `env` under the supervisor and waits until all are ready. */
async function startGateways(ctx: UpContext, env: Record<string, string>): Promise<Gateway[]> {
  const { o, root, dataDir, plans, supervisor } = ctx;
  return Promise.all(
    plans.map(async (p) => {
      const logFile = path.join(dataDir, `gateway-${p.name}.log`);
      const service = gatewayService({
        region: p.name,
        host: o.host,
        port: p.port,
        servicePort: p.servicePort,
        configFile: p.configFile,
        dataDir: path.join(dataDir, p.name),
        logFile,
        command: [process.execPath, path.join(root, 'bin', 'xdrgate.js')],
        env: { ...process.env, ...env, XDRGATE_LISTEN: `${o.host}:${p.port}`, XDRGATE_SERVICE: `${o.host}:${p.servicePort}`, XDRGATE_DATA_DIR: path.join(dataDir, p.name), XDRGATE_PARENT_PID: String(process.pid) },
      });
      ctx.logFiles.set(service.name, path.relative(process.cwd(), logFile));
      supervise(ctx, service.name);
      progress(`gateway ${p.name}`, `starting from ${path.relative(process.cwd(), p.configFile)} (log: ${path.relative(process.cwd(), logFile)})`);
      const proc = await supervisor.launch(service);
      progress(`gateway ${p.name} ready`, `${service.url}, Aerospike clients at ${o.host}:${p.servicePort} (pid ${proc.pid})`);
      return { plan: p, url: service.url, service: `${o.host}:${p.servicePort}` };
    }),
  );
}

/** The "xdrgate is up" block on stdout: where each part listens, and commands to try. */
function upSummary(gateways: Gateway[], brokers: KafkaBroker[], redis: RedisHandle, dataDir: string): string {
  const lines = [
    '',
    'xdrgate is up:',
    ...gateways.map((g, i) => `  ${g.plan.name.padEnd(9)} gateway  ${g.url}   (API docs ${g.url}/docs, stats ${g.url}/v1/stats)   aerospike clients ${g.service}   kafka ${brokers[i]!.bootstrap}`),
    `  redis              ${redis.url}`,
    `  data               ${dataDir}`,
    `  dashboard          ${gateways[0]!.url}/dashboard   (every region; Prometheus metrics at <gateway>/metrics)`,
    '',
    'Try:',
    `  curl -X PUT ${gateways[0]!.url}/v1/records/user_data/profiles/ada -H 'content-type: application/json' -d '{"bins":{"name":"Ada","views":1}}'`,
    `  curl ${gateways[1]!.url}/v1/records/user_data/profiles/ada`,
    `  npx xdrgate route list --url ${gateways[0]!.url}`,
    `  npx xdrgate lag --url ${gateways[0]!.url}`,
    `  npx xdrgate info namespaces build --host ${gateways[0]!.service.slice(0, gateways[0]!.service.lastIndexOf(':'))} --port ${gateways[0]!.plan.servicePort}`,
    '',
    'A part that dies is restarted (reported here and in up.log). Ctrl-C stops everything.',
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

/** Locks the folder for this `up`, or says who has it and exits 1 before anything was started. */
function lockFolder(dataDir: string): DirLock {
  try {
    return acquireDirLock(dataDir, {
      owner: 'xdrgate up',
      advice: `That xdrgate up runs Tokyo and Virginia from this folder already: use it (its output lists the addresses), stop it (Ctrl-C in its terminal, or kill its pid), or start this one with --data-dir <another folder> and other ports.`,
    });
  } catch (err) {
    if (!isXdrError(err, 'XDR_ERR_DIR_LOCKED')) throw err;
    process.stderr.write(`xdrgate up: ${err.code}: ${err.message}\n`);
    process.exit(1);
  }
}

export async function up(o: UpOptions): Promise<void> {
  const root = packageRoot();
  const dataDir = path.resolve(o.dataDir);
  await mkdir(dataDir, { recursive: true });
  // Before anything else: a second up on this folder must start nothing.
  const lock = lockFolder(dataDir);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  // What the supervisor did, for later reading (stderr has the same as one line each).
  const eventLog = pino({ level: 'info', base: { module: 'up' } }, pino.destination({ dest: path.join(dataDir, 'up.log'), append: true, mkdir: true }));
  const logFiles = new Map<string, string>();
  const supervisor = new Supervisor({ onEvent: (e) => reportEvent(e, eventLog, logFiles) });
  const plans: RegionPlan[] = [
    { name: 'tokyo', configFile: path.join(root, UP_CONFIG_FILES.tokyo), port: o.tokyoPort, servicePort: o.tokyoServicePort, kafkaPort: o.tokyoKafkaPort },
    { name: 'virginia', configFile: path.join(root, UP_CONFIG_FILES.virginia), port: o.virginiaPort, servicePort: o.virginiaServicePort, kafkaPort: o.virginiaKafkaPort },
  ];
  const teardown = new Teardown(supervisor, lock);
  process.on('SIGINT', () => void teardown.run(0));
  process.on('SIGTERM', () => void teardown.run(0));
  const ctx: UpContext = { o, root, dataDir, logger, plans, supervisor, teardown, logFiles };
  eventLog.info({ pid: process.pid, dataDir }, 'xdrgate up starting');

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
    .description('start Tokyo and Virginia locally: Redis, a Kafka broker per region, a gateway per region; restarts a part that dies, Ctrl-C stops all')
    .option('--host <host>', 'address everything listens on', '127.0.0.1')
    .option('--tokyo-port <port>', 'Tokyo gateway port', int, 4100)
    .option('--virginia-port <port>', 'Virginia gateway port', int, 4200)
    .option('--tokyo-service-port <port>', 'Tokyo Aerospike client-protocol port', int, 3000)
    .option('--virginia-service-port <port>', 'Virginia Aerospike client-protocol port', int, 3100)
    .option('--tokyo-kafka-port <port>', 'Tokyo Kafka broker port (controller: +100)', int, 9092)
    .option('--virginia-kafka-port <port>', 'Virginia Kafka broker port (controller: +100)', int, 9093)
    .option('--data-dir <dir>', 'where gateways and brokers keep their data and logs', 'data/up')
    .option('--redis-url <url>', 'Redis to use (default $REDIS_URL, else one is started)')
    .option('--load <writesPerSec>', 'also drive this many writes/s at each region', int)
    .action((o: UpOptions) => up(o));
}
