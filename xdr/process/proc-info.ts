/**
 * What Linux's /proc says about other processes, for error messages that name
 * who holds a folder or a port: whether a pid is alive and is still the same
 * process (its start time, so a reused pid is told apart), its command line,
 * which processes have a file open, which hold a POSIX lock on it (how Kafka
 * locks its log dirs), and which listen on a TCP port. Every function answers
 * "unknown" (undefined or []) where /proc is absent (macOS) or unreadable
 * (another user's process); callers word their messages for that case.
 */
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  /** argv joined by spaces, or undefined when unreadable. */
  command?: string;
}

/** Processes /proc scans look at, at most: a scan runs only on an error path, but it must end. */
const SCAN_PROCESSES_MAX = 20_000;

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process's start time in clock ticks since boot (field 22 of
 * /proc/<pid>/stat). With the boot id it identifies a process for good: a pid
 * reused by a later process has a later start time.
 */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')'; fields after the last ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** This boot's id: start ticks are only comparable within one boot. */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function processCommand(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const command = raw.split('\0').filter((a) => a !== '').join(' ');
    return command === '' ? undefined : command;
  } catch {
    return undefined;
  }
}

function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^[0-9]+$/.test(name))
      .slice(0, SCAN_PROCESSES_MAX)
      .map(Number);
  } catch {
    return [];
  }
}

/** Processes with an open descriptor whose link target satisfies `matches` (like fuser). */
function processesWithFd(matches: (target: string) => boolean, includeSelf: boolean): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const pid of processIds()) {
    if (pid === process.pid && !includeSelf) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (matches(target)) {
        found.push({ pid, command: processCommand(pid) });
        break;
      }
    }
  }
  return found;
}

/** Other processes that have `file` (an absolute path) open; not this one, which opened it to ask. */
export function processesWithFileOpen(file: string): ProcessInfo[] {
  return processesWithFd((target) => target === file, false);
}

/** Linux dev_t as /proc/locks prints it: major and minor in hex. */
function devHex(dev: number): string {
  const major = Number((BigInt(dev) >> 8n) & 0xfffn) | Number((BigInt(dev) >> 32n) & ~0xfffn);
  const minor = Number(BigInt(dev) & 0xffn) | Number((BigInt(dev) >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
}

/**
 * Pids holding a POSIX (fcntl) lock on `file`, from /proc/locks. Java's
 * FileChannel.tryLock takes this kind of lock, so this is how a Kafka broker's
 * `<log dir>/.lock` is seen from outside the JVM.
 */
export function posixLockHolders(file: string): number[] {
  let stat;
  let locks: string;
  try {
    stat = statSync(file);
    locks = readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  const id = `${devHex(stat.dev)}:${stat.ino}`;
  const pids = new Set<number>();
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 3837 fe:00:1466568 0 EOF"; blocked waiters are marked "->" and hold nothing.
    const f = line.trim().split(/\s+/);
    if (f[1] !== 'POSIX' || f[4] === undefined || f[5] !== id) continue;
    pids.add(Number(f[4]));
  }
  return [...pids];
}

/** Socket inodes listening on `port` (any local address), from /proc/net/tcp and tcp6. */
function listeningSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' /* LISTEN */) continue;
      if (f[1]!.split(':')[1] === hexPort) inodes.add(f[9]!);
    }
  }
  return inodes;
}

/** Processes listening on TCP `port`, as far as /proc shows them. */
export function listenersOf(port: number): ProcessInfo[] {
  const inodes = listeningSocketInodes(port);
  if (inodes.size === 0) return [];
  return processesWithFd((target) => {
    const m = /^socket:\[(\d+)\]$/.exec(target);
    return m !== null && inodes.has(m[1]!);
  }, true);
}

/** Longest command quoted in a message; a JVM's runs to kilobytes. */
const COMMAND_CHARS_MAX = 240;

/**
 * "pid 1234 (node bin/xdrgate.js serve ...)" for messages. A long command keeps
 * its start and its end, where a JVM's main class and config file are.
 */
export function describeProcess(p: ProcessInfo): string {
  let command = p.command ?? 'command unknown';
  if (command.length > COMMAND_CHARS_MAX) command = `${command.slice(0, 100)} … ${command.slice(-(COMMAND_CHARS_MAX - 100))}`;
  return `pid ${p.pid} (${command})`;
}
