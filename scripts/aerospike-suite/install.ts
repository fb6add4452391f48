/**
 * The official Aerospike Node.js client's own test suite, installed from the
 * npm registry into a cache outside the repository (like Kafka's jars): the
 * pinned client (its prebuilt Node 20 binding loads without its install
 * script), the test runner and what the suite imports. Installed once per
 * pinned set, then its TypeScript tests are compiled once per set of files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Exactly what is installed; changing it reinstalls. semver, yargs and tmp are imported by the tests but missing from the package's devDependencies. */
export const SUITE_PACKAGES = [
  'aerospike@6.7.1',
  'mocha@11.8.0',
  'chai@6.3.0',
  'chai-as-promised@8.0.2',
  'typescript@5.9.3',
  'semver@7.8.6',
  'yargs@17.7.3',
  'tmp@0.2.7',
  'p-throttle@8.1.1',
  '@types/chai@5.2.3',
  '@types/chai-as-promised@8.0.2',
  '@types/mocha@10.0.10',
  '@types/node@20.19.43',
  '@types/semver@7.8.0',
  '@types/tmp@0.2.6',
  '@types/yargs@17.0.35',
] as const;

export interface SuiteInstall {
  /** The cache folder (holds package.json and node_modules). */
  dir: string;
  /** The aerospike package: the suite runs from here (test/*.js, lib/). */
  packageDir: string;
  mocha: string;
}

export function suiteDir(): string {
  return process.env.XDRGATE_AEROSPIKE_SUITE_DIR ?? path.join(os.homedir(), '.cache', 'xdrgate', 'aerospike-suite');
}

function run(what: string, command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
}

/** Installs the pinned packages when the cache does not hold exactly them. */
export function ensureInstalled(log: (line: string) => void): SuiteInstall {
  const dir = suiteDir();
  const marker = path.join(dir, 'installed.json');
  const wanted = JSON.stringify(SUITE_PACKAGES);
  const packageDir = path.join(dir, 'node_modules', 'aerospike');
  const mocha = path.join(dir, 'node_modules', 'mocha', 'bin', 'mocha.js');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wanted || !existsSync(packageDir)) {
    log(`installing ${SUITE_PACKAGES.join(' ')} into ${dir} (from the npm registry)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'xdrgate-aerospike-suite', private: true }, null, 2));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // --ignore-scripts: the package ships prebuilt bindings; its install script would try to build the C client.
    run('npm install', npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', ...SUITE_PACKAGES], dir);
    writeFileSync(marker, wanted);
  }
  return { dir, packageDir, mocha };
}

/**
 * Compiles the given test files (and what they import) to JavaScript next to
 * them, with the suite's own compiler options. Skipped when the same files
 * were compiled last time.
 */
export function ensureCompiled(install: SuiteInstall, files: readonly string[], log: (line: string) => void): void {
  const marker = path.join(install.dir, 'compiled.json');
  const wanted = JSON.stringify([...files].sort());
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && files.every((f) => existsSync(path.join(install.packageDir, 'test', `${f}.js`)))) return;
  // A few files of the suite are JavaScript already (info.js); only the TypeScript ones are compiled.
  const sources = files.filter((f) => existsSync(path.join(install.packageDir, 'test', `${f}.ts`)));
  log(`compiling ${sources.length} test files`);
  const tsconfig = path.join(install.packageDir, 'test', 'tsconfig.xdrgate.json');
  writeFileSync(
    tsconfig,
    // The helpers the tests import are listed too: tsc does not emit files it only reaches by import inside node_modules.
    JSON.stringify({ extends: './tsconfig.json', include: ['util/**/*.ts', 'generators/**/*.ts'], files: ['../lib/aerospike.d.ts', ...sources.map((f) => `${f}.ts`)] }, null, 2),
  );
  const tsc = path.join(install.dir, 'node_modules', 'typescript', 'bin', 'tsc');
  run('tsc', process.execPath, [tsc, '-p', tsconfig], install.packageDir);
  writeFileSync(marker, wanted);
}
