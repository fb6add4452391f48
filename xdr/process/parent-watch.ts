/**
 * A gateway that dies with the process that started it. A test runner or a
 * supervisor killed with SIGKILL runs no cleanup, and its gateways would keep
 * their ports and data folders. Linux's PR_SET_PDEATHSIG does this, but Node
 * does not expose it; instead, a process started with XDRGATE_PARENT_PID polls
 * its parent pid: an orphan is re-parented (to init or a subreaper), so its
 * parent pid changes, which, unlike probing the old pid, cannot be fooled by
 * pid reuse.
 */
import { XdrError } from '../errors.js';

/** How often the parent is checked: an orphaned gateway starts stopping at most this long after. */
export const PARENT_POLL_MS = 1000;

/** The parent pid XDRGATE_PARENT_PID names (undefined when unset or empty); throws for anything but a pid. */
export function parentPidFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.XDRGATE_PARENT_PID;
  if (text === undefined || text === '') return undefined;
  const pid = Number(text);
  if (!/^[0-9]{1,10}$/.test(text) || !Number.isSafeInteger(pid) || pid < 1) {
    throw new XdrError('XDR_ERR_PARENT_PID_INVALID', `XDRGATE_PARENT_PID must be the pid of the process that started this one, got ${JSON.stringify(text)}; unset it to run without a parent`, { value: text });
  }
  return pid;
}

export interface ParentWatchOptions {
  parentPid: number;
  /** Called once, when the parent is gone. */
  onGone: () => void;
  /** @default PARENT_POLL_MS */
  pollMs?: number;
  /** @default () => process.ppid */
  ppid?: () => number;
}

/** Polls the parent pid; returns a stop function. Calls onGone at once when the parent is already gone. */
export function watchParent(o: ParentWatchOptions): () => void {
  const ppid = o.ppid ?? (() => process.ppid);
  let timer: NodeJS.Timeout | undefined;
  const check = (): boolean => {
    if (ppid() === o.parentPid) return false;
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    o.onGone();
    return true;
  };
  if (check()) return () => undefined;
  timer = setInterval(check, o.pollMs ?? PARENT_POLL_MS);
  // The watch never keeps a process alive on its own.
  timer.unref();
  return () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
}
