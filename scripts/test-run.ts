/**
 * The second half of `npm test` (scripts/test.mjs does install and typecheck):
 * finds the test files, starts the shared Kafka brokers and Redis when any
 * integration test is selected (while the unit tests run), runs node's test
 * runner over unit, then integration and fault tests, stops everything, and
 * exits with the tests' code.
 *
 * Then, unless --unit, the official Aerospike Node client's own test suite
 * against a real gateway (scripts/aerospike-suite.ts); the filter
 * `aerospike-suite` selects it alone.
 *
 * Usage: node --import tsx scripts/test-run.ts [--unit] [filter ...]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { humanLogger } from './human-log.js';
import { startSuiteInfra, type SuiteInfra } from './suite-infra.js';
import { ensureChromium } from './chromium.js';
import { provisionJavaClient } from './java-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Guards CI against a hung test; a single test should take seconds. */
const TEST_TIMEOUT_MS = Number(process.env.XDRGATE_TEST_TIMEOUT_MS ?? 180_000);
const CONCURRENCY = Number(process.env.XDRGATE_TEST_CONCURRENCY ?? 2);

interface Group {
  name: string;
  dirs: string[];
  needsInfra: boolean;
}

const GROUPS: Group[] = [
  { name: 'unit', dirs: ['test/unit'], needsInfra: false },
  { name: 'integration', dirs: ['test/integration', 'test/faults'], needsInfra: true },
];

function testFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(dir, name))
    .sort();
}

function selectFiles(group: Group, filters: string[]): string[] {
  const files = group.dirs.flatMap(testFiles);
  if (filters.length === 0) return files;
  return files.filter((file) => filters.some((f) => file.includes(f) || path.resolve(root, file) === path.resolve(f)));
}

let current: ChildProcess | undefined;

/** The official Aerospike client suite's runner; selected by no filter or by this one. */
const AEROSPIKE_SUITE = 'aerospike-suite';

function runTests(files: string[], env: Record<string, string>): Promise<number> {
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, '--test-reporter=spec', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files];
  return runNode(args, env);
}

function runNode(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    current = child;
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? 128 + (signal === null ? 0 : (os.constants.signals[signal] ?? 0)));
    });
  });
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unitOnly = argv.includes('--unit');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const logger = humanLogger('infra');
  const startedMs = Date.now();

  const suiteSelected = !unitOnly && (filters.length === 0 || filters.includes(AEROSPIKE_SUITE));
  const testFilters = filters.filter((f) => f !== AEROSPIKE_SUITE);
  const onlySuite = filters.length > 0 && testFilters.length === 0;
  const selected = GROUPS.filter((g) => !unitOnly || !g.needsInfra).map((group) => ({ group, files: onlySuite ? [] : selectFiles(group, testFilters) }));
  const total = selected.reduce((n, s) => n + s.files.length, 0);
  if (total === 0 && !suiteSelected) {
    console.error(`[test] no test files match ${filters.length === 0 ? '(none exist)' : filters.join(', ')}`);
    return 1;
  }

  // Kafka and Redis start while the unit tests run: start-up is mostly waiting
  // on the JVM, and the unit tests do not need them.
  let infra: SuiteInfra | undefined;
  const needsInfra = selected.some((s) => s.group.needsInfra && s.files.length > 0);
  const infraStarting = needsInfra ? startSuiteInfra(logger).then((i) => (infra = i)) : undefined;
  infraStarting?.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  // The dashboard's browser tests (test/integration/xdr/dashboard/) need Debian's chromium; installed (as root) while the unit tests run.
  const needsChromium = selected.some((s) => s.group.needsInfra && s.files.some((f) => f.includes(`${path.sep}dashboard${path.sep}`)));
  const chromiumReady = needsChromium ? ensureChromium(humanLogger('chromium')) : undefined;
  chromiumReady?.catch(() => undefined); // awaited below
  // The Java client tests (test/integration/xdr/aerospike/java-*) build test/java offline; Maven fetches what that needs once, meanwhile.
  const needsJava = selected.some((s) => s.group.needsInfra && s.files.some((f) => path.basename(f).startsWith('java-')));
  const javaLogger = humanLogger('java-client');
  const javaReady = needsJava ? provisionJavaClient((line) => javaLogger.info(line)) : undefined;
  javaReady?.catch(() => undefined); // awaited below

  let stopped: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopped ??= (async () => {
      await infraStarting?.catch(() => undefined);
      await infra?.stop();
    })());
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`[test] ${signal}: stopping tests, brokers and Redis`);
      current?.kill(signal);
      void stopAll().finally(() => process.exit(128 + (os.constants.signals[signal] ?? 0)));
    });
  }

  const results: string[] = [];
  let exitCode = 0;
  try {
    for (const { group, files } of selected) {
      if (files.length === 0) continue;
      let env: Record<string, string> = {};
      if (group.needsInfra) {
        try {
          await infraStarting;
        } catch (err) {
          console.error(`[test] could not start Kafka/Redis for the ${group.name} tests:\n${err instanceof Error ? err.message : String(err)}`);
          results.push(`${group.name}: not run (infra failed)`);
          exitCode = 1;
          continue;
        }
        console.error(`[test] ${infra!.summary}`);
        // A failed install is reported, and the browser test then fails saying the same; the others still run.
        await chromiumReady?.catch((err: unknown) => console.error(`[test] chromium: ${err instanceof Error ? err.message : String(err)}`));
        await javaReady?.catch((err: unknown) => console.error(`[test] java client: ${err instanceof Error ? err.message : String(err)}`));
        env = infra!.env;
      }
      console.error(`[test] ${group.name}: ${files.length} file(s)`);
      const groupStartedMs = Date.now();
      const code = await runTests(files, env);
      results.push(`${group.name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - groupStartedMs) / 1000).toFixed(1)} s`);
      if (code !== 0) exitCode = code;
      if (stopping) break;
    }
    if (suiteSelected && !stopping) {
      // The client suite needs no Kafka: one gateway without routes (Redis when infra started one).
      console.error('[test] aerospike-suite: the official Aerospike Node client suite against a gateway');
      const suiteStartedMs = Date.now();
      const code = await runNode(['--import', 'tsx', path.join(root, 'scripts', 'aerospike-suite.ts')], infra?.env ?? {});
      results.push(`aerospike-suite ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - suiteStartedMs) / 1000).toFixed(1)} s`);
      if (code !== 0) exitCode = code;
    }
  } finally {
    await stopAll();
  }
  console.error(`[test] ${results.join('; ')}; total ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  return exitCode;
}

// Exit explicitly: a stray handle (a client a failed start left behind) must not keep CI waiting.
process.exit(await main());
