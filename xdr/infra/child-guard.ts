import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Makes sure a server child (a Kafka JVM, a redis-server) never outlives the
 * Node process that started it, so CI never leaks JVMs:
 * - on a normal exit of this process, an 'exit' hook kills every guarded child
 *   (exit hooks must be synchronous, so SIGKILL: there is no time for a grace);
 * - when this process dies without running hooks (SIGKILL, OOM kill), a tiny
 *   watchdog shell, started per child, sees the parent gone and kills the child.
 * Linux has PR_SET_PDEATHSIG for this, but Node does not expose it.
 */

const guarded = new Set<ChildProcess>();
let hookInstalled = false;

/** How often the watchdog polls for its parent; a leaked JVM lives at most this long. */
const WATCHDOG_POLL_S = 1;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const child of guarded) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone: nothing to clean up.
        }
      }
    }
  });
}

/** Registers `child` for cleanup at exit and starts its watchdog. */
export function guardChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  installExitHook();
  guarded.add(child);
  child.once('exit', () => guarded.delete(child));
  // $0 = parent pid, $1 = child pid. The loop ends when either is gone; only a
  // vanished parent with a live child leads to the kill.
  const script = `while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep ${WATCHDOG_POLL_S}; done; if kill -0 "$1" 2>/dev/null; then kill -9 "$1" 2>/dev/null; fi`;
  const watchdog = spawn('sh', ['-c', script, String(process.pid), String(child.pid)], { stdio: 'ignore' });
  watchdog.on('error', () => {
    // Without sh the exit hook still covers every clean exit; nothing else to do.
  });
  watchdog.unref();
}

/** Sends `signal` to a child if it still runs; resolves once it has exited or after graceMs. */
export async function signalAndWait(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  try {
    child.kill(signal);
  } catch {
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  return result;
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the child is gone. */
export async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (await signalAndWait(child, 'SIGTERM', graceMs)) return;
  await signalAndWait(child, 'SIGKILL', 5_000);
}
