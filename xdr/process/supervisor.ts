/**
 * Keeps a set of child processes running: a process that dies is reported and
 * started again with backoff (restart-policy.ts), the others are left alone
 * meanwhile, and a process that keeps dying is given up on with a report. The
 * supervisor only decides and sequences; starting, stopping and watching a
 * process are the service's own functions, and time comes from a clock, so a
 * unit test drives it with fake processes and a fake clock.
 */
import { isRetriable } from '../../errors/index.js';
import { decideRestart, freshHistory, restartPolicy, type RestartHistory, type RestartPolicy } from './restart-policy.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started process as the supervisor sees it. */
export interface SupervisedProcess {
  readonly pid: number | undefined;
  /** Resolves once, when the process has exited for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  /** Stops it cleanly; resolves once it is gone. */
  stop(): Promise<void>;
}

export interface ServiceSpec {
  /** 'gateway tokyo', 'Kafka virginia', 'Redis'. */
  name: string;
  /**
   * Starts the process and resolves once it serves; rejects when it cannot.
   * When `signal` aborts (shutdown), stops whatever it started and rejects.
   * Every call must start the same thing (same command, environment, ports, data).
   */
  start(signal: AbortSignal): Promise<SupervisedProcess>;
}

export interface SupervisorClock {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const systemClock: SupervisorClock = {
  now: () => Date.now(),
  schedule(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export type SupervisorEvent =
  | { kind: 'exited'; service: string; pid: number | undefined; exit: ExitInfo; uptimeMs: number; restartInMs: number }
  | { kind: 'start-failed'; service: string; err: unknown; restartInMs: number }
  | { kind: 'restarting'; service: string; attempt: number }
  | { kind: 'restarted'; service: string; pid: number | undefined; attempt: number }
  | { kind: 'given-up'; service: string; restartsInWindow: number; windowMs: number; last: ExitInfo | { err: unknown } };

export type ServiceState = 'running' | 'waiting' | 'starting' | 'given-up' | 'stopped';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid: number | undefined;
  /** Restarts since the supervisor began watching it. */
  restarts: number;
}

interface Entry {
  spec: ServiceSpec;
  state: ServiceState;
  proc: SupervisedProcess | undefined;
  startedAtMs: number;
  history: RestartHistory;
  restarts: number;
  cancelRestart: (() => void) | undefined;
  abort: AbortController | undefined;
  /** The restart in flight, settled (never rejects). */
  starting: Promise<void> | undefined;
}

export interface SupervisorOptions {
  policy?: Partial<RestartPolicy>;
  clock?: SupervisorClock;
  /** Every exit, restart and give-up; the caller prints and logs them. */
  onEvent(event: SupervisorEvent): void;
}

export class Supervisor {
  private readonly entries = new Map<string, Entry>();
  private readonly policy: Readonly<RestartPolicy>;
  private readonly clock: SupervisorClock;
  private halted = false;

  constructor(private readonly o: SupervisorOptions) {
    this.policy = restartPolicy(o.policy);
    this.clock = o.clock ?? systemClock;
  }

  /**
   * Starts a service for the first time and watches it from then on. A first
   * start that fails is not retried: it rejects, for the caller to report.
   * stop(name) during this start aborts it.
   */
  async launch(spec: ServiceSpec): Promise<SupervisedProcess> {
    if (this.halted) throw new Error(`the supervisor is stopping; ${spec.name} is not started`);
    const entry = this.add(spec, 'starting', undefined);
    const abort = new AbortController();
    entry.abort = abort;
    let settle!: () => void;
    entry.starting = new Promise<void>((resolve) => (settle = resolve));
    try {
      const proc = await spec.start(abort.signal);
      entry.abort = undefined;
      if (entry.state === 'stopped') {
        await proc.stop();
        throw new Error(`${spec.name} was stopped while it started`);
      }
      this.running(entry, proc);
      return proc;
    } catch (err) {
      entry.abort = undefined;
      entry.state = 'stopped';
      throw err;
    } finally {
      settle();
    }
  }

  /** Watches a process started by the caller; `spec.start` restarts it when it dies. */
  watch(spec: ServiceSpec, proc: SupervisedProcess): void {
    this.running(this.add(spec, 'running', proc), proc);
  }

  private add(spec: ServiceSpec, state: ServiceState, proc: SupervisedProcess | undefined): Entry {
    if (this.entries.has(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
    const entry: Entry = {
      spec,
      state,
      proc,
      startedAtMs: this.clock.now(),
      history: freshHistory(this.policy),
      restarts: 0,
      cancelRestart: undefined,
      abort: undefined,
      starting: undefined,
    };
    this.entries.set(spec.name, entry);
    return entry;
  }

  private running(entry: Entry, proc: SupervisedProcess): void {
    entry.proc = proc;
    entry.state = 'running';
    entry.startedAtMs = this.clock.now();
    void proc.exited.then((exit) => this.onExit(entry, proc, exit));
  }

  status(): ServiceStatus[] {
    return [...this.entries.values()].map((e) => ({ name: e.spec.name, state: e.state, pid: e.proc?.pid, restarts: e.restarts }));
  }

  /** From now on no service is restarted (shutdown began); running ones keep running until stop(). */
  stopRestarting(): void {
    this.halted = true;
    for (const e of this.entries.values()) {
      e.cancelRestart?.();
      e.cancelRestart = undefined;
      e.abort?.abort();
    }
  }

  /** Stops a service for good: cancels a pending restart, aborts a start in flight, stops the running process. */
  async stop(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    entry.state = 'stopped';
    entry.cancelRestart?.();
    entry.cancelRestart = undefined;
    entry.abort?.abort();
    await entry.starting;
    const proc = entry.proc;
    entry.proc = undefined;
    await proc?.stop();
  }

  private onExit(entry: Entry, proc: SupervisedProcess, exit: ExitInfo): void {
    // A process stopped on purpose, or replaced already, is no news.
    if (entry.proc !== proc || entry.state === 'stopped') return;
    entry.proc = undefined;
    if (this.halted) {
      entry.state = 'stopped';
      return;
    }
    const now = this.clock.now();
    const decision = decideRestart(this.policy, entry.history, now, now - entry.startedAtMs);
    entry.history = decision.history;
    if (decision.action === 'give-up') {
      this.giveUp(entry, decision.restartsInWindow, exit);
      return;
    }
    this.o.onEvent({ kind: 'exited', service: entry.spec.name, pid: proc.pid, exit, uptimeMs: now - entry.startedAtMs, restartInMs: decision.delayMs });
    this.scheduleRestart(entry, decision.delayMs);
  }

  /** Read through a function: TypeScript would narrow `entry.state` across the awaits that change it. */
  private stopped(entry: Entry): boolean {
    return this.halted || entry.state === 'stopped';
  }

  private giveUp(entry: Entry, restartsInWindow: number, last: ExitInfo | { err: unknown }): void {
    entry.state = 'given-up';
    this.o.onEvent({ kind: 'given-up', service: entry.spec.name, restartsInWindow, windowMs: this.policy.restartWindowMs, last });
  }

  private scheduleRestart(entry: Entry, delayMs: number): void {
    entry.state = 'waiting';
    entry.cancelRestart = this.clock.schedule(() => {
      entry.cancelRestart = undefined;
      entry.starting = this.restart(entry);
    }, delayMs);
  }

  private async restart(entry: Entry): Promise<void> {
    if (this.halted || entry.state !== 'waiting') return;
    entry.state = 'starting';
    entry.restarts += 1;
    const attempt = entry.restarts;
    const abort = new AbortController();
    entry.abort = abort;
    this.o.onEvent({ kind: 'restarting', service: entry.spec.name, attempt });
    let proc: SupervisedProcess;
    try {
      proc = await entry.spec.start(abort.signal);
    } catch (err) {
      entry.abort = undefined;
      if (this.stopped(entry)) return;
      const now = this.clock.now();
      const decision = decideRestart(this.policy, entry.history, now, 0);
      entry.history = decision.history;
      // A start that failed for a reason a retry does not fix (no java, a data
      // dir or port another process owns) is given up on at once: trying again
      // until the window runs out would only repeat the same report.
      if (decision.action === 'give-up' || !isRetriable(err)) this.giveUp(entry, decision.action === 'give-up' ? decision.restartsInWindow : entry.history.restartsAtMs.length, { err });
      else {
        this.o.onEvent({ kind: 'start-failed', service: entry.spec.name, err, restartInMs: decision.delayMs });
        this.scheduleRestart(entry, decision.delayMs);
      }
      return;
    }
    entry.abort = undefined;
    if (this.stopped(entry)) {
      await proc.stop();
      return;
    }
    this.running(entry, proc);
    this.o.onEvent({ kind: 'restarted', service: entry.spec.name, pid: proc.pid, attempt });
  }
}
