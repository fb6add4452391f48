/**
 * The official Aerospike Java client program of test/java (a Maven project
 * with com.aerospike:aerospike-client-jdk8 from Maven Central): provisioned
 * once (Maven fetches the client, its dependencies and the build plugins
 * into ~/.m2, like Kafka's jars into ~/.cache/xdrgate), then built offline
 * (`mvn -o`) by each test into a folder of its own and run with `java`.
 *
 *   npm run java:provision      fetch everything the build needs (once)
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const JAVA_PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'java');
/** Maven's first run downloads the client and the build plugins; generous for a slow mirror. */
const PROVISION_TIMEOUT_MS = 10 * 60_000;
/** An offline build: JVM start, compiler, a dozen classes. */
const BUILD_TIMEOUT_MS = 3 * 60_000;

function markerFile(): string {
  return path.join(process.env.XDRGATE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'xdrgate'), 'java-client', 'provisioned.json');
}

/** What a provisioning covers: the pom (dependencies and plugins); sources build offline against it. */
function pomHash(): string {
  return createHash('sha256').update(readFileSync(path.join(JAVA_PROJECT, 'pom.xml'))).digest('hex');
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell), killing it past the deadline. */
export function runCommand(command: string, args: string[], timeoutMs: number, cwd = JAVA_PROJECT): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start (${err.message}); the Java client check needs Java 17+ and Maven on PATH`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function mvnFailed(what: string, r: CommandResult): Error {
  const tail = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-30).join('\n');
  return new Error(`${what} failed (exit ${r.code}):\n${tail}`);
}

/** True once this pom's dependencies and plugins are in the local Maven repository. */
export function javaClientProvisioned(): boolean {
  const marker = markerFile();
  return existsSync(marker) && readFileSync(marker, 'utf8') === pomHash();
}

/** Fetches (online, once per pom) everything an offline build needs: the same goals the tests run, in a scratch build folder. */
export async function provisionJavaClient(log: (line: string) => void = () => undefined): Promise<void> {
  if (javaClientProvisioned()) return;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-java-provision-'));
  log(`fetching com.aerospike:aerospike-client-jdk8 and the Maven build plugins into ~/.m2 (${JAVA_PROJECT}/pom.xml)`);
  const r = await runCommand('mvn', ['-B', '-q', `-Dxdrgate.buildDir=${scratch}`, 'dependency:resolve', 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${path.join(scratch, 'classpath.txt')}`], PROVISION_TIMEOUT_MS);
  if (r.code !== 0) throw mvnFailed('provisioning the Java client (mvn dependency:resolve compile)', r);
  mkdirSync(path.dirname(markerFile()), { recursive: true });
  writeFileSync(markerFile(), pomHash());
  log('Java client provisioned');
}

export interface JavaClientBuild {
  /** The java classpath: the compiled check, the client and its dependencies. */
  classpath: string;
}

/** Builds the check offline (`mvn -o`) into a folder of its own; `npm run java:provision` (or the test runner) must have run. */
export async function buildJavaClient(): Promise<JavaClientBuild> {
  if (!javaClientProvisioned()) await provisionJavaClient();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-java-build-'));
  const cpFile = path.join(dir, 'classpath.txt');
  const r = await runCommand('mvn', ['-B', '-q', '-o', `-Dxdrgate.buildDir=${dir}`, 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], BUILD_TIMEOUT_MS);
  if (r.code !== 0) throw mvnFailed('building test/java offline (mvn -o compile)', r);
  return { classpath: `${path.join(dir, 'classes')}${path.delimiter}${readFileSync(cpFile, 'utf8').trim()}` };
}

export interface JavaClientRun {
  code: number | null;
  /** Every JSON line it printed, in order. */
  steps: Array<Record<string, unknown> & { step: string }>;
  stderr: string;
}

/** Runs the check (`walk`, `write` or `read`, see Main.java) and parses its JSON lines. */
export async function runJavaClient(build: JavaClientBuild, mode: string, args: Record<string, string>, timeoutMs = 120_000): Promise<JavaClientRun> {
  const argv = ['-cp', build.classpath, 'dev.xdrgate.check.Main', mode, ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, v])];
  const r = await runCommand('java', argv, timeoutMs);
  const steps = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { step: string });
  return { code: r.code, steps, stderr: r.stderr };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command !== 'provision') {
    process.stderr.write('usage: node --import tsx scripts/java-client.ts provision\n');
    process.exit(64);
  }
  provisionJavaClient((line) => process.stderr.write(`[java-client] ${line}\n`)).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`[java-client] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
