/**
 * Child processes for integration tests: runs a TypeScript file in a new Node
 * (through tsx, like the gateway runs in development), collects its output and
 * kills it when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { defer, type CleanupScope } from './cleanup.js';

export interface SpawnTsOptions {
  args?: readonly string[];
  /** Merged over process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output kept for assertions and error messages. @default 1 MiB */
  outputBytesMax?: number;
  /** Grace between SIGTERM and SIGKILL at cleanup. @default 5000 */
  stopGraceMs?: number;
}

export interface SpawnedTs {
  child: ChildProcess;
  /** stdout so far (bounded). */
  stdout(): string;
  /** stderr so far (bounded). */
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stdout or stderr matches `pattern`; throws with the output on timeout or exit. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, SIGKILL after the grace; resolves when gone. */
  stop(): Promise<void>;
  /** SIGKILL (a crash); resolves when gone. */
  kill(): Promise<void>;
}

/** Starts `node --import tsx <file>`; registers stop() for the end of the test (LIFO, see cleanup.ts). */
export function spawnTs(t: CleanupScope, file: string, options: SpawnTsOptions = {}): SpawnedTs {
  const outputBytesMax = options.outputBytesMax ?? 1024 * 1024;
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const append = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    // Keep the tail: the end of the output is where the error is.
    out[stream] = (out[stream] + chunk.toString('utf8')).slice(-outputBytesMax);
  };
  child.stdout?.on('data', append('stdout'));
  child.stderr?.on('data', append('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number): Promise<boolean> => {
    if (!isRunning()) return true;
    child.kill(signal);
    return await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  };
  const handle: SpawnedTs = {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    async waitForOutput(pattern, timeoutMs = 15_000) {
      const deadlineMs = Date.now() + timeoutMs;
      for (;;) {
        const match = out.stdout.match(pattern) ?? out.stderr.match(pattern);
        if (match !== null) return match;
        const what = `output matching ${pattern} from ${file}`;
        if (!isRunning()) throw new Error(`${file} exited (code ${child.exitCode}) before ${what}.\nstdout:\n${out.stdout.slice(-4000)}\nstderr:\n${out.stderr.slice(-4000)}`);
        if (Date.now() > deadlineMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\nstdout:\n${out.stdout.slice(-4000)}\nstderr:\n${out.stderr.slice(-4000)}`);
        await sleep(25);
      }
    },
    async stop() {
      if (!(await signalAndWait('SIGTERM', options.stopGraceMs ?? 5_000))) await signalAndWait('SIGKILL', 5_000);
    },
    async kill() {
      await signalAndWait('SIGKILL', 5_000);
    },
  };
  defer(t, () => handle.stop());
  return handle;
}
