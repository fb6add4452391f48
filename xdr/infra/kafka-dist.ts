/**
 * Provisioning: puts the jars of Apache Kafka (KRaft, no ZooKeeper) into a cache
 * folder outside git, from Maven Central through `mvn dependency:copy-dependencies`.
 * Idempotent: a marker file is written last, so an interrupted download is simply
 * done again, and a complete cache costs one stat. Concurrent provisioners (two
 * test files started at once) each download into their own temp folder and the
 * first rename wins.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { InfraError } from './errors.js';
import { KAFKA_VERSION_DEFAULT, assertKafkaVersion, kafkaPom, slf4jBindingArtifact } from './kafka-pom.js';
import { CommandNotFoundError, runCommand, type CommandResult } from './run-command.js';

export interface ProvisionOptions {
  /** Kafka version; every Kafka artifact uses it. @default $XDRGATE_KAFKA_VERSION or '4.3.1' */
  version?: string;
  /** Root of xdrgate's caches. @default $XDRGATE_CACHE_DIR or ~/.cache/xdrgate */
  cacheDir?: string;
  /** Maven executable. @default $XDRGATE_MVN or 'mvn' */
  mvnCommand?: string;
  logger?: Logger;
}

export interface KafkaDist {
  version: string;
  /** kafka-<version> folder in the cache. */
  home: string;
  /** Folder holding every jar the broker and the storage tool need. */
  libsDir: string;
  /** Java class path (`<libsDir>/*`). */
  classpath: string;
  /** Whether this call downloaded anything (false: the cache was complete). */
  downloaded: boolean;
  /** Time this call took. */
  elapsedMs: number;
}

const MARKER_FILE = '.complete.json';
/** Progress lines are logged at most this often, so a cold download is visible but not noisy. */
const PROGRESS_INTERVAL_MS = 2_000;

export function kafkaVersion(version?: string): string {
  const chosen = version ?? process.env.XDRGATE_KAFKA_VERSION ?? KAFKA_VERSION_DEFAULT;
  assertKafkaVersion(chosen);
  return chosen;
}

export function cacheRoot(cacheDir?: string): string {
  return cacheDir ?? process.env.XDRGATE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'xdrgate');
}

/** Where a version lives, whether or not it is provisioned yet. */
export function kafkaDistPaths(options: Pick<ProvisionOptions, 'version' | 'cacheDir'> = {}): { version: string; home: string; libsDir: string } {
  const version = kafkaVersion(options.version);
  const home = path.join(cacheRoot(options.cacheDir), `kafka-${version}`);
  return { version, home, libsDir: path.join(home, 'libs') };
}

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home !== undefined && home !== '' ? path.join(home, 'bin', 'java') : 'java';
}

/** Downloads Kafka into the cache unless it is already there; returns where it is. */
export async function provisionKafka(options: ProvisionOptions = {}): Promise<KafkaDist> {
  const startedMs = Date.now();
  const { version, home, libsDir } = kafkaDistPaths(options);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ module: 'kafka-dist', version });
  const done = (downloaded: boolean): KafkaDist => ({
    version,
    home,
    libsDir,
    classpath: path.join(libsDir, '*'),
    downloaded,
    elapsedMs: Date.now() - startedMs,
  });
  if (existsSync(path.join(home, MARKER_FILE)) && existsSync(libsDir)) return done(false);

  await mkdir(home, { recursive: true });
  const pomFile = path.join(home, 'pom.xml');
  await writeFile(pomFile, kafkaPom(version));
  const staging = path.join(home, `libs.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const mvn = new MavenRunner(options.mvnCommand ?? process.env.XDRGATE_MVN ?? 'mvn', pomFile, logger);
  try {
    logger.info({ home }, `provisioning Apache Kafka ${version} from Maven Central`);
    await mvn.goal(['dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime']);
    const binding = slf4jBindingArtifact(await readdir(staging));
    if (binding !== undefined) {
      await mvn.goal(['dependency:copy', `-Dartifact=${binding}`, `-DoutputDirectory=${staging}`]);
    }
    await publish(staging, libsDir);
    const jars = (await readdir(libsDir)).filter((n) => n.endsWith('.jar'));
    await writeFile(path.join(home, MARKER_FILE), JSON.stringify({ version, jars: jars.length, binding, at: new Date().toISOString() }, null, 2));
    const result = done(true);
    logger.info({ jars: jars.length, elapsedMs: result.elapsedMs, downloads: mvn.downloads }, `Apache Kafka ${version} provisioned`);
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Moves the staged jars into place; if another process got there first, keeps theirs. */
async function publish(staging: string, libsDir: string): Promise<void> {
  try {
    await rename(staging, libsDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(libsDir)) return;
    throw err;
  }
}

/**
 * Runs Maven goals on the generated pom: first offline (the jars are often in
 * ~/.m2 already and this avoids the network entirely), then online. Download lines
 * become throttled progress logs.
 */
class MavenRunner {
  downloads = 0;
  private lastProgressMs = 0;

  constructor(
    private readonly command: string,
    private readonly pomFile: string,
    private readonly logger: Logger,
  ) {}

  async goal(args: readonly string[]): Promise<void> {
    const offline = await this.run(['-o', ...args]);
    if (offline.code === 0) return;
    this.logger.debug('not everything is in the local Maven repository; downloading');
    const online = await this.run(args);
    if (online.code === 0) return;
    throw new InfraError(
      'XDR_ERR_INFRA_PROVISION_FAILED',
      `mvn ${args[0]} failed (exit ${online.code}) for ${this.pomFile}; is Maven Central (https://repo.maven.apache.org) reachable? Output:\n${online.tail.slice(-30).join('\n')}`,
      { pomFile: this.pomFile, tail: online.tail.slice(-30) },
    );
  }

  private async run(args: readonly string[]): Promise<CommandResult> {
    try {
      return await runCommand(this.command, ['-B', '-f', this.pomFile, ...args], {
        onLine: (line) => this.onLine(line),
      });
    } catch (err) {
      if (err instanceof CommandNotFoundError) {
        throw new InfraError(
          'XDR_ERR_INFRA_MAVEN_MISSING',
          `'${this.command}' was not found; install Maven (apt-get install maven) or set XDRGATE_MVN to the mvn executable`,
          { command: this.command },
          { cause: err },
        );
      }
      throw err;
    }
  }

  private onLine(line: string): void {
    if (!line.includes('Downloaded from')) return;
    this.downloads++;
    const nowMs = Date.now();
    if (nowMs - this.lastProgressMs < PROGRESS_INTERVAL_MS) return;
    this.lastProgressMs = nowMs;
    const file = /\/([^/\s]+) \(/.exec(line)?.[1];
    this.logger.info({ downloads: this.downloads, file }, `downloading Kafka: ${this.downloads} files so far`);
  }
}

/** Reads the marker written by a complete provisioning, or undefined. */
export async function readProvisionMarker(home: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path.join(home, MARKER_FILE), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
