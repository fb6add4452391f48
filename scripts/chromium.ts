/**
 * Debian's chromium for the dashboard's browser test (playwright-core drives
 * it; playwright's own browser downloads are not used). When /usr/bin/chromium
 * is missing the test runner installs it with apt-get, as root, printing
 * apt's progress; otherwise it says what to run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** apt-get update + install of chromium and its libraries; generous for a slow mirror. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

function run(command: string, args: string[], logger: Logger, deadlineMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const timer = setTimeout(() => child.kill('SIGTERM'), Math.max(1, deadlineMs - Date.now()));
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2000);
      // apt's progress, one log line per line of output.
      for (const line of text.split('\n')) if (line.trim() !== '') logger.info(`${command}: ${line.trim()}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
    });
  });
}

export interface EnsureChromiumOptions {
  /** @default CHROMIUM_PATH */
  path?: string;
  /** @default process.getuid() === 0 */
  isRoot?: boolean;
  /** Runs a command to completion (tests pass a fake). @default spawn with progress logged */
  run?: (command: string, args: string[], logger: Logger, deadlineMs: number) => Promise<void>;
}

/** Resolves when the browser exists; installs it first when it can. Throws with what to do otherwise. */
export async function ensureChromium(logger: Logger, options: EnsureChromiumOptions = {}): Promise<void> {
  const CHROMIUM = options.path ?? CHROMIUM_PATH;
  const exec = options.run ?? run;
  if (existsSync(CHROMIUM)) return;
  const manual = 'install it yourself as root: apt-get update && apt-get install -y chromium';
  const isRoot = options.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  if (!isRoot) {
    throw new Error(`${CHROMIUM} is missing and the test runner is not root, so it cannot install it; ${manual}`);
  }
  const startedMs = Date.now();
  const deadlineMs = startedMs + INSTALL_TIMEOUT_MS;
  logger.info(`${CHROMIUM} is missing: installing Debian's chromium for the dashboard test (apt-get update && apt-get install -y chromium)`);
  try {
    await exec('apt-get', ['update'], logger, deadlineMs);
    await exec('apt-get', ['install', '-y', 'chromium'], logger, deadlineMs);
  } catch (err) {
    throw new Error(`installing chromium failed; ${manual}\n${(err as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} does not exist; ${manual}`);
  logger.info(`chromium installed in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
}
