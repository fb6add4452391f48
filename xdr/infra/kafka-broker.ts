/**
 * A real single-node Apache Kafka (KRaft, combined broker + controller) on
 * loopback, for tests, benchmarks and the local topology. Ports are picked once
 * (free ports, or given) and kept for the broker's lifetime, so a fault test can
 * stop a broker mid-stream and start it again on the SAME address with the same
 * data, exactly what clients see when a real broker restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { isRetriable } from '../../errors/index.js';
import { guardChild, signalAndWait, terminate } from './child-guard.js';
import { InfraError } from './errors.js';
import { freePort, isPortOpen } from './free-port.js';
import { clusterIdFrom, log4j2Properties, serverProperties, type BrokerLogLevel } from './kafka-config.js';
import { javaCommand, provisionKafka, type KafkaDist } from './kafka-dist.js';
import { runCommand, CommandNotFoundError } from './run-command.js';
import { acquireDirLock, addressFree, addressInUseError, type DirLock, type ExitInfo } from '../process/index.js';
import { assertNoForeignBroker, describeCluster } from './kafka-broker-checks.js';

/** Starts tried with freshly picked ports when a picked port was taken first (see repickTakenPorts). */
const PORT_PICK_ATTEMPTS = 3;

export interface KafkaBrokerOptions {
  /** A label for logs and the data dir name, e.g. the region. @default 'kafka' */
  name?: string;
  /** Loopback by default: these brokers are for one machine. @default '127.0.0.1' */
  host?: string;
  /** Client port. @default a free port picked at start */
  port?: number;
  /** KRaft controller port. @default a free port picked at start */
  controllerPort?: number;
  /** Where config, logs and partitions live. @default a new temp dir, removed by close() */
  dataDir?: string;
  /** Max Java heap. 256 MiB holds a test broker with room to spare. @default 256 */
  heapMb?: number;
  /**
   * JVM flags that cut start-up time (serial GC, C1 compiler only). Turn off for
   * long benchmarks, where the C2 compiler pays for its warm-up. @default true
   */
  fastStartJvm?: boolean;
  /** Extra JVM arguments, appended. */
  jvmArgs?: readonly string[];
  /** Default partitions of topics created without a count. @default 1 */
  numPartitions?: number;
  /** Extra or overriding server.properties entries. */
  serverProperties?: Readonly<Record<string, string | number | boolean>>;
  /** Log4j level of the broker's own log file. @default 'WARN' */
  logLevel?: BrokerLogLevel;
  /** How long start() waits for the broker to answer metadata requests. @default 60000 */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. @default 10000 */
  stopGraceMs?: number;
  /** Provisioned Kafka to run; provisioned on first start when absent. */
  dist?: KafkaDist;
  /** Kafka version to provision when `dist` is absent. */
  version?: string;
  /** Do not keep this Node process alive for the broker's sake (process-scoped test brokers). @default false */
  unref?: boolean;
  logger?: Logger;
}

/** How many lines of the broker log an error message quotes. */
const LOG_TAIL_LINES = 40;
const READY_POLL_MS = 100;

export class KafkaBroker {
  readonly name: string;
  readonly host: string;
  private portValue: number;
  private controllerPortValue: number;
  private dataDirValue: string | undefined;
  private ownsDataDir: boolean;
  private child: ChildProcess | undefined;
  private dist: KafkaDist | undefined;
  private stopping = false;
  private stopInFlight: Promise<void> | undefined;
  /** Held from start() to stop()/close(), across crashes; the JVM shares it (its fd 3). */
  private lock: DirLock | undefined;
  private readonly logger: Logger;
  /** Milliseconds the last start() took, from spawn to a broker answering. */
  lastStartMs = 0;

  private constructor(private readonly options: KafkaBrokerOptions) {
    this.name = options.name ?? 'kafka';
    this.host = options.host ?? '127.0.0.1';
    this.portValue = options.port ?? 0;
    this.controllerPortValue = options.controllerPort ?? 0;
    this.dataDirValue = options.dataDir;
    this.ownsDataDir = options.dataDir === undefined;
    this.dist = options.dist;
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ module: 'kafka-broker', broker: this.name });
  }

  /** Creates a broker and starts it; resolves once it answers metadata requests. */
  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const broker = new KafkaBroker(options);
    try {
      await broker.start();
    } catch (err) {
      await broker.close();
      throw err;
    }
    return broker;
  }

  get port(): number {
    return this.portValue;
  }

  get controllerPort(): number {
    return this.controllerPortValue;
  }

  /** `host:port`, what XDRGATE_KAFKA_<REGION> holds. */
  get bootstrap(): string {
    return `${this.host}:${this.portValue}`;
  }

  /** kafkajs `brokers` option. */
  get brokers(): string[] {
    return [this.bootstrap];
  }

  get dataDir(): string {
    if (this.dataDirValue === undefined) throw new Error('the broker has no data dir before its first start');
    return this.dataDirValue;
  }

  /** The broker's stdout/stderr (its Log4j output). */
  get logFile(): string {
    return path.join(this.dataDir, 'broker.log');
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the JVM (formatting storage on the first start) and waits until the
   * broker answers. Restarts reuse the same ports and data. Nothing in the data
   * dir is written before it is locked (XDR_ERR_DIR_LOCKED names the broker
   * that owns it), and nothing is started on a port another process listens
   * on (XDR_ERR_ADDRESS_IN_USE): an answer on that port would come from
   * someone else's broker.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const dist = (this.dist ??= await provisionKafka({ version: this.options.version, logger: this.options.logger }));
    let startedMs = 0;
    for (let attempt = 1; ; attempt++) {
      await this.prepareDirs();
      this.lockDataDir();
      if (!(await this.portsFree(attempt))) continue;
      assertNoForeignBroker(this.logDir, this.name, this.child?.pid);
      const files = await this.writeConfig();
      if (!existsSync(path.join(files.logDir, 'meta.properties'))) await this.format(dist, files.properties);
      startedMs = Date.now();
      this.child = this.spawnJvm(dist, files);
      try {
        await this.waitUntilReady(this.child, startedMs + (this.options.startTimeoutMs ?? 60_000));
        break;
      } catch (err) {
        if (attempt >= PORT_PICK_ATTEMPTS || !isRetriable(err) || !(await this.repickTakenPorts(err))) throw err;
      }
    }
    this.lastStartMs = Date.now() - startedMs;
    this.logger.info({ bootstrap: this.bootstrap, pid: this.child.pid, startMs: this.lastStartMs }, 'kafka broker ready');
  }

  /** Resolves when the current JVM exits (at once when none runs): what a supervisor watches. */
  exited(): Promise<ExitInfo> {
    const child = this.child;
    if (child === undefined || !this.running) return Promise.resolve({ code: child?.exitCode ?? null, signal: child?.signalCode ?? null });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Clean shutdown: SIGTERM, then SIGKILL if the broker is not gone after the grace period. Releases the data dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && this.running) {
      // Concurrent callers (a signal handler and a finally block) share one stop.
      this.stopInFlight ??= (async () => {
        this.stopping = true;
        try {
          await terminate(child, this.options.stopGraceMs ?? 10_000);
        } finally {
          this.stopping = false;
          this.stopInFlight = undefined;
        }
        this.logger.info({ bootstrap: this.bootstrap }, 'kafka broker stopped');
      })();
      await this.stopInFlight;
    }
    if (!this.running) this.releaseLock();
  }

  /** Crash: SIGKILL at once, no flush, no controlled shutdown. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    this.stopping = true;
    try {
      await signalAndWait(child, 'SIGKILL', 10_000);
    } finally {
      this.stopping = false;
    }
    this.logger.info({ bootstrap: this.bootstrap }, 'kafka broker killed');
  }

  /** stop() then start() on the same ports and data dir. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the broker and removes its data dir when this broker created it. */
  async close(): Promise<void> {
    await this.stop();
    this.releaseLock();
    if (this.ownsDataDir && this.dataDirValue !== undefined) {
      await rm(this.dataDirValue, { recursive: true, force: true });
      this.dataDirValue = undefined;
    }
  }

  /** The last lines of the broker log, for error messages. */
  async logTail(lines = LOG_TAIL_LINES): Promise<string> {
    if (this.dataDirValue === undefined) return '';
    try {
      return (await readFile(this.logFile, 'utf8')).split('\n').slice(-lines - 1).join('\n');
    } catch {
      return '(no broker log yet)';
    }
  }

  /**
   * A port this broker picked itself (freePort) can be taken by another process
   * before the JVM binds it, e.g. as the source port of an outgoing connection.
   * On a first start that failed that way, pick new ports and start over on
   * fresh storage (the format records the controller's endpoint). Returns
   * whether it did; ports given in the options, and restarts, keep their ports.
   */
  private async repickTakenPorts(err: unknown): Promise<boolean> {
    const tail = err instanceof InfraError ? String((err.details as { logTail?: unknown }).logTail ?? '') : '';
    const picked = this.options.port === undefined || this.options.controllerPort === undefined;
    if (this.lastStartMs > 0 || !picked || !/Address already in use/.test(tail)) return false;
    this.logger.warn({ port: this.portValue, controllerPort: this.controllerPortValue }, 'a picked port was taken before the broker bound it; picking new ports');
    if (this.options.port === undefined) this.portValue = 0;
    if (this.options.controllerPort === undefined) this.controllerPortValue = 0;
    await rm(path.join(this.dataDir, 'kafka-logs'), { recursive: true, force: true });
    await rm(this.logFile, { force: true });
    return true;
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  /** Takes `<dataDir>/LOCK` on the first start; kept across crashes and restarts until stop(). */
  private lockDataDir(): void {
    this.lock ??= acquireDirLock(this.dataDir, {
      owner: `kafka broker ${this.name}`,
      advice: 'Nothing was written to it. Stop that broker (or the `xdrgate up` that started it) first, or give this broker another data dir.',
      logger: this.logger,
    });
  }

  /**
   * True when both ports are free. A taken port this broker picked itself, on
   * its first start, is picked again (returns false: start over); a port given
   * in the options, or any port on a restart, fails the start.
   */
  private async portsFree(attempt: number): Promise<boolean> {
    for (const [which, port, given] of [
      ['client', this.portValue, this.options.port !== undefined],
      ['controller', this.controllerPortValue, this.options.controllerPort !== undefined],
    ] as const) {
      if (await addressFree(this.host, port)) continue;
      if (!given && this.lastStartMs === 0 && attempt < PORT_PICK_ATTEMPTS) {
        this.logger.warn({ port, which }, 'a picked port was taken before the broker started; picking new ports');
        if (this.options.port === undefined) this.portValue = 0;
        if (this.options.controllerPort === undefined) this.controllerPortValue = 0;
        return false;
      }
      throw addressInUseError(
        `kafka broker ${this.name} (${which} port)`,
        this.host,
        port,
        'Nothing was started: an answer on that port would come from that process, not from this broker. Stop it, or start the broker on other ports (xdrgate up: --tokyo-kafka-port / --virginia-kafka-port; the controller uses the port + 100).',
      );
    }
    return true;
  }

  private async prepareDirs(): Promise<void> {
    if (this.dataDirValue === undefined) {
      this.dataDirValue = await mkdtemp(path.join(os.tmpdir(), `xdrgate-kafka-${this.name}-`));
    }
    await mkdir(this.dataDirValue, { recursive: true });
    if (this.portValue === 0) this.portValue = await freePort(this.host);
    if (this.controllerPortValue === 0) this.controllerPortValue = await freePort(this.host);
  }

  /** Kafka's log dir (partitions and KRaft metadata) inside the data dir. */
  private get logDir(): string {
    return path.join(this.dataDir, 'kafka-logs');
  }

  private async writeConfig(): Promise<{ properties: string; log4j: string; logDir: string }> {
    const logDir = this.logDir;
    const properties = path.join(this.dataDir, 'server.properties');
    const log4j = path.join(this.dataDir, 'log4j2.properties');
    await writeFile(
      properties,
      serverProperties({
        host: this.host,
        port: this.portValue,
        controllerPort: this.controllerPortValue,
        logDir,
        numPartitions: this.options.numPartitions ?? 1,
        overrides: this.options.serverProperties ?? {},
      }),
    );
    await writeFile(log4j, log4j2Properties(this.options.logLevel ?? 'WARN'));
    return { properties, log4j, logDir };
  }

  private jvmArgs(log4j: string): string[] {
    const args = [`-Xmx${this.options.heapMb ?? 256}m`, '-Xms32m', '-XX:+ExitOnOutOfMemoryError', '-XX:-UsePerfData', '-Djava.awt.headless=true'];
    if (this.options.fastStartJvm ?? true) args.push('-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1');
    args.push(`-Dlog4j2.configurationFile=${log4j}`, ...(this.options.jvmArgs ?? []));
    return args;
  }

  /** KRaft needs its storage formatted once with a cluster id; `--standalone` makes this node the whole quorum. */
  private async format(dist: KafkaDist, propertiesFile: string): Promise<void> {
    const clusterId = clusterIdFrom(randomBytes(16));
    const args = [
      ...this.jvmArgs(path.join(this.dataDir, 'log4j2.properties')),
      '-cp',
      dist.classpath,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '--cluster-id',
      clusterId,
      '--config',
      propertiesFile,
    ];
    let result;
    try {
      result = await runCommand(javaCommand(), args, { cwd: this.dataDir });
    } catch (err) {
      throw this.javaMissing(err);
    }
    if (result.code !== 0) {
      throw new InfraError(
        'XDR_ERR_INFRA_BROKER_FORMAT_FAILED',
        `formatting KRaft storage of broker ${this.name} in ${this.dataDir} failed (exit ${result.code}):\n${result.tail.slice(-20).join('\n')}`,
        { dataDir: this.dataDir, tail: result.tail.slice(-20) },
      );
    }
  }

  private javaMissing(err: unknown): unknown {
    if (!(err instanceof CommandNotFoundError)) return err;
    return new InfraError(
      'XDR_ERR_INFRA_JAVA_MISSING',
      `'${err.command}' was not found; Kafka needs Java 17 or newer (apt-get install openjdk-17-jre-headless) or set JAVA_HOME`,
      { command: err.command },
      { cause: err },
    );
  }

  private spawnJvm(dist: KafkaDist, files: { properties: string; log4j: string }): ChildProcess {
    const logFd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      // fd 3 of the JVM is the data dir's lock: the dir stays owned while the JVM lives, even past this process.
      child = spawn(javaCommand(), [...this.jvmArgs(files.log4j), '-cp', dist.classpath, 'kafka.Kafka', files.properties], {
        cwd: this.dataDir,
        stdio: ['ignore', logFd, logFd, this.lock!.fd],
        detached: false,
      });
    } finally {
      closeSync(logFd);
    }
    this.lock!.noteChild(child.pid);
    guardChild(child);
    if (this.options.unref === true) child.unref();
    child.on('error', (err) => this.logger.error({ err }, 'kafka broker process error'));
    child.on('exit', (code, signal) => {
      if (!this.stopping) this.logger.warn({ code, signal, bootstrap: this.bootstrap }, 'kafka broker exited unexpectedly');
    });
    return child;
  }

  private async waitUntilReady(child: ChildProcess, deadlineMs: number): Promise<void> {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (err) => (spawnError = err));
    let lastError: unknown;
    while (Date.now() < deadlineMs) {
      if (spawnError !== undefined) {
        throw spawnError.code === 'ENOENT' ? this.javaMissing(new CommandNotFoundError(javaCommand())) : spawnError;
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        throw await this.startFailed(`exited during start-up (code ${child.exitCode}, signal ${child.signalCode})`);
      }
      if (await isPortOpen(this.host, this.portValue)) {
        try {
          if ((await describeCluster(this.brokers)) > 0) return;
        } catch (err) {
          lastError = err;
        }
      }
      await sleep(READY_POLL_MS);
    }
    await terminate(child, 2_000);
    throw await this.startFailed(`did not answer within ${this.options.startTimeoutMs ?? 60_000} ms (last error: ${String(lastError)})`);
  }

  private async startFailed(what: string): Promise<InfraError> {
    const tail = await this.logTail();
    return new InfraError(
      'XDR_ERR_INFRA_BROKER_START_FAILED',
      `kafka broker ${this.name} (${this.bootstrap}, data ${this.dataDir}) ${what}. Last lines of ${this.logFile}:\n${tail}`,
      { bootstrap: this.bootstrap, dataDir: this.dataDir, logTail: tail },
    );
  }
}
