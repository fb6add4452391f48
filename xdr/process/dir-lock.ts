/**
 * One owner per data folder. A gateway's data-dir, an `xdrgate up` folder and a
 * Kafka broker's dir each hold files that exactly one live process may write
 * (device files, routes.json, KRaft storage); two owners corrupt them.
 *
 * The lock is a kernel flock(2) on `<dir>/LOCK`: it belongs to the open file
 * description, so it is released when the last process holding that
 * description dies, kill -9 included, and a reused pid can never look like the
 * holder. Node has no flock, so the lock is taken by the `flock` utility
 * (util-linux, busybox) run on a descriptor this process passes it: the
 * utility exits at once and the lock stays with the description this process
 * keeps open. Passing the same descriptor to a child (`fd`) makes the lock
 * live as long as that child too (a Kafka JVM that outlives its launcher).
 *
 * The LOCK file also records who holds it (pid, command line, since when) for
 * the refusal message; the record is information, never the lock itself.
 * Where `flock` is missing (macOS) the record becomes the lock: the recorded
 * pid is checked for being alive and, where /proc exists, for being the same
 * process (start time); that fallback is not atomic against a start at the
 * same instant, which the kernel lock is.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, realpathSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { XdrError } from '../errors.js';
import { bootId, describeProcess, pidAlive, processCommand, processStartTicks, processesWithFileOpen, type ProcessInfo } from './proc-info.js';

export const LOCK_FILE_NAME = 'LOCK';

/** Who holds a folder, as recorded in its LOCK file. */
export interface LockHolder {
  pid: number;
  /** What owns the folder: 'gateway tokyo', 'xdrgate up', 'kafka broker tokyo'. */
  owner: string;
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  host: string;
  bootId?: string;
  startTicks?: string;
  /** A child that shares the lock (the Kafka JVM of a broker dir). */
  child?: { pid: number; command?: string };
}

export interface DirLockOptions {
  /** What owns the folder, for the record and messages: 'gateway tokyo', 'xdrgate up'. */
  owner: string;
  /** What a refused caller should do, appended to the refusal message. */
  advice: string;
  /** The flock utility. Tests point it at a missing file to exercise the pid-record fallback. @default 'flock' */
  flockCommand?: string;
  logger?: Logger;
}

export type DirLockKind = 'flock' | 'pid-file';

/** Real paths of the folders this process holds: a second acquire in the same process is refused too. */
const heldHere = new Set<string>();

/** Flock commands found missing: not tried again in this process. */
const flockMissing = new Set<string>();

export class DirLock {
  private released = false;

  constructor(
    readonly dir: string,
    readonly file: string,
    /** The descriptor the lock lives on; pass it to a child's stdio to share the lock with that child. */
    readonly fd: number,
    readonly kind: DirLockKind,
    private record: LockHolder,
  ) {}

  get holder(): LockHolder {
    return this.record;
  }

  /** Adds a child that shares the lock to the record, so a refusal names the process that really uses the folder. */
  noteChild(pid: number | undefined): void {
    if (this.released || pid === undefined) return;
    this.record = { ...this.record, child: { pid, command: processCommand(pid) } };
    writeRecord(this.fd, this.record);
  }

  /** Releases the lock (closing the descriptor). Idempotent. Children given `fd` keep holding it until they exit. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.dir);
    try {
      if (this.kind === 'pid-file') ftruncateSync(this.fd, 0);
    } finally {
      closeSync(this.fd);
    }
  }
}

function writeRecord(fd: number, record: LockHolder): void {
  ftruncateSync(fd, 0);
  // The descriptor is opened for append, so this write lands at offset 0 of the truncated file.
  writeSync(fd, `${JSON.stringify(record)}\n`);
}

function ownRecord(owner: string): LockHolder {
  const ticks = processStartTicks(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    owner,
    command: processCommand(process.pid) ?? process.argv.join(' '),
    since: new Date().toISOString(),
    host: os.hostname(),
    ...(boot !== undefined ? { bootId: boot } : {}),
    ...(ticks !== undefined ? { startTicks: ticks } : {}),
  };
}

/** The record in a LOCK file, or undefined when absent, empty or being rewritten. */
export function readLockHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.owner === 'string' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the recorded process still runs and is the same process (not a later one given the same pid). */
export function holderAlive(h: LockHolder): boolean {
  if (h.host !== os.hostname() || !pidAlive(h.pid)) return false;
  if (h.bootId !== undefined && h.bootId !== bootId()) return false;
  const ticks = processStartTicks(h.pid);
  return h.startTicks === undefined || ticks === undefined || ticks === h.startTicks;
}

/** Runs `flock -x -n 3` on `fd`: 'locked', 'held' (another description holds it), or 'unavailable'. */
function tryFlock(command: string, fd: number, logger: Logger | undefined): 'locked' | 'held' | 'unavailable' {
  if (flockMissing.has(command)) return 'unavailable';
  const r = spawnSync(command, ['-x', '-n', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], timeout: 10_000 });
  if (r.error !== undefined) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') flockMissing.add(command);
    logger?.warn({ err: r.error, command }, 'the flock utility is not usable; data folders are locked by a pid record only');
    return 'unavailable';
  }
  if (r.status === 0) return 'locked';
  if (r.status === 1) return 'held';
  // e.g. a file system without flock support: the record check below still refuses a live holder.
  logger?.warn({ status: r.status, stderr: r.stderr?.toString().trim() }, 'flock failed; data folder locked by a pid record only');
  return 'unavailable';
}

/** The refusal, naming the recorded holder when it still runs, else whoever has the LOCK file open. */
function lockedError(dir: string, file: string, recorded: LockHolder | undefined, advice: string): XdrError {
  const recordedAlive = recorded !== undefined && holderAlive(recorded);
  const live = recordedAlive ? [] : processesWithFileOpen(file);
  let who: string;
  if (recorded !== undefined && recordedAlive) {
    const child = recorded.child !== undefined && pidAlive(recorded.child.pid) ? `, with ${describeProcess(recorded.child)}` : '';
    who = `${recorded.owner}: ${describeProcess(recorded)}${child}, since ${recorded.since}`;
  } else if (live.length > 0) {
    const was = recorded !== undefined ? ` (taken by ${recorded.owner}, pid ${recorded.pid}, since ${recorded.since}; that process is gone but these still hold it)` : '';
    who = `${live.map(describeProcess).join(', ')}${was}`;
  } else {
    who = recorded !== undefined ? `${recorded.owner}, pid ${recorded.pid} (since ${recorded.since})` : 'a process that left no record (see `fuser -v LOCK`)';
  }
  return new XdrError(
    'XDR_ERR_DIR_LOCKED',
    `${dir} is in use by ${who}; one folder has one owner, and a second one would corrupt its files. ${advice}`,
    { dir, lockFile: file, holder: recorded, holders: live },
  );
}

/**
 * Takes `<dir>/LOCK` for this process (creating the folder), or throws
 * XdrError XDR_ERR_DIR_LOCKED naming the holder. Call it before opening
 * anything else in the folder; release() when done (process death releases it too).
 */
export function acquireDirLock(dir: string, options: DirLockOptions): DirLock {
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(dir);
  const file = path.join(real, LOCK_FILE_NAME);
  if (heldHere.has(real)) throw lockedError(real, file, readLockHolder(file), options.advice);
  const fd = openSync(file, 'a+');
  try {
    const result = tryFlock(options.flockCommand ?? 'flock', fd, options.logger);
    if (result === 'held') throw lockedError(real, file, readLockHolder(file), options.advice);
    if (result === 'unavailable') {
      const recorded = readLockHolder(file);
      if (recorded !== undefined && holderAlive(recorded)) throw lockedError(real, file, recorded, options.advice);
    }
    const record = ownRecord(options.owner);
    writeRecord(fd, record);
    heldHere.add(real);
    return new DirLock(real, file, fd, result === 'locked' ? 'flock' : 'pid-file', record);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
