/**
 * The destination region of the XDR benches in a child process
 * (bench/xdr-destination.ts), driven over IPC: `stats` answers what its
 * receiver applied and the end-to-end lag it saw.
 */
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export interface Destination {
  ask(cmd: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** What the destination's receiver applied, and the lag it measured. */
export interface RecvSnapshot {
  applied: number;
  rejected_identical: number;
  lag: { count: number; p50_ms: number; p99_ms: number; max_ms: number };
}

export const NO_RECV: RecvSnapshot = { applied: 0, rejected_identical: 0, lag: { count: 0, p50_ms: 0, p99_ms: 0, max_ms: 0 } };

/** Forks the destination with its setup and waits until it says it is ready. */
export async function startDestination(setup: object): Promise<Destination> {
  const file = fileURLToPath(new URL('./xdr-destination.ts', import.meta.url));
  const child = fork(file, [JSON.stringify(setup)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: Array<(m: Record<string, unknown>) => void> = [];
  child.on('message', (m) => replies.shift()?.(m as Record<string, unknown>));
  const next = (): Promise<Record<string, unknown>> => new Promise((resolve) => replies.push(resolve));
  await next(); // ready
  return {
    ask: (cmd) => {
      const reply = next();
      child.send({ cmd });
      return reply;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'stop' });
      await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** The destination's receiver figures now. */
export async function recvSnapshot(dest: Destination): Promise<RecvSnapshot> {
  return ((await dest.ask('stats')).stats ?? NO_RECV) as RecvSnapshot;
}
