#!/usr/bin/env node
// THE test command (`npm test`). Plain JavaScript because it runs before
// node_modules exists: it installs dependencies when they are missing or stale,
// type-checks the whole project, then hands over to scripts/test-run.ts, which
// provisions Kafka and Redis and runs the tests.
//
// Usage: node scripts/test.mjs [--unit] [--no-typecheck] [filter ...]
//   --unit          unit tests only; no Kafka, no Redis
//   --no-typecheck  skip `tsc --noEmit` (quicker local iterations)
//   filter          only test files whose path contains one of these strings
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);
const skipTypecheck = args.includes('--no-typecheck');
const passOn = args.filter((a) => a !== '--no-typecheck');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** npm writes node_modules/.package-lock.json on every install; older than package-lock.json means stale. */
function needsInstall() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

function run(what, command, commandArgs) {
  const startedMs = Date.now();
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root });
  if (result.error !== undefined) {
    console.error(`[test] ${what} could not start: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`[test] ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.error(`[test] ${what}: ok in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
}

if (needsInstall()) run('npm ci', npm, ['ci', '--no-audit', '--no-fund']);
if (!skipTypecheck) run('typecheck (tsc --noEmit)', process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'test-run.ts'), ...passOn], { stdio: 'inherit', cwd: root });
// A terminal's Ctrl-C reaches the whole process group; a CI runner's SIGTERM
// reaches only us, so pass it on and let test-run.ts stop its brokers.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : os.constants.signals[signal] ?? 0)));
