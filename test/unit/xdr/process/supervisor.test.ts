// The supervisor of `xdrgate up` with fake processes and a fake clock: a
// process that dies is restarted with exponential backoff, capped, reset after
// a healthy run; a crash loop is given up on while the others keep running;
// stop() and shutdown cancel restarts and aborts starts in flight; no timer is
// left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InfraError } from '../../../../xdr/infra/index.js';
import { decideRestart, freshHistory, restartPolicy, Supervisor, type ExitInfo, type ServiceSpec, type SupervisedProcess, type SupervisorClock, type SupervisorEvent } from '../../../../xdr/process/index.js';

/** A clock whose time moves only when the test says; timers run in time order. */
class FakeClock implements SupervisorClock {
  private t = 0;
  private timers: Array<{ at: number; fn: () => void; seq: number }> = [];
  private seq = 0;

  now(): number {
    return this.t;
  }

  schedule(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + ms, fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running every timer due on the way, and lets promises settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

let nextPid = 1000;

class FakeProcess implements SupervisedProcess {
  readonly pid = nextPid++;
  stopped = false;
  readonly exited: Promise<ExitInfo>;
  private resolveExit!: (e: ExitInfo) => void;

  constructor() {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** The process dies on its own (kill -9, crash). */
  die(code: number | null = null, signal: NodeJS.Signals | null = 'SIGKILL'): void {
    this.resolveExit({ code, signal });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resolveExit({ code: 0, signal: null });
  }
}

/** A service whose starts the test controls: they succeed at once, fail, or hang until aborted. */
class FakeService implements ServiceSpec {
  readonly started: FakeProcess[] = [];
  starts = 0;
  failNext = 0;
  hang = false;
  aborted = 0;

  constructor(readonly name: string) {}

  async start(signal: AbortSignal): Promise<SupervisedProcess> {
    this.starts += 1;
    if (this.hang) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    }
    if (signal.aborted) {
      this.aborted += 1;
      throw new Error('aborted');
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error(`${this.name} could not start`);
    }
    const p = new FakeProcess();
    this.started.push(p);
    return p;
  }

  get current(): FakeProcess {
    return this.started.at(-1)!;
  }
}

function setup(policy = {}) {
  const clock = new FakeClock();
  const events: SupervisorEvent[] = [];
  const sup = new Supervisor({ clock, policy, onEvent: (e) => events.push(e) });
  return { clock, events, sup, kinds: () => events.map((e) => `${e.kind}:${e.service}`) };
}

test('a process that dies is restarted after 1 s, 2 s, 4 s; the other service is not touched', async () => {
  const { clock, events, sup, kinds } = setup();
  const tokyo = new FakeService('gateway tokyo');
  const virginia = new FakeService('gateway virginia');
  await sup.launch(tokyo);
  await sup.launch(virginia);
  const virginiaPid = virginia.current.pid;

  for (const delayMs of [1000, 2000, 4000]) {
    tokyo.current.die();
    await settle();
    const exited = events.at(-1)!;
    assert.equal(exited.kind, 'exited');
    assert.equal(exited.kind === 'exited' && exited.restartInMs, delayMs);
    assert.equal(sup.status().find((s) => s.name === 'gateway tokyo')!.state, 'waiting');
    const startsBefore = tokyo.starts;
    await clock.advance(delayMs - 1);
    assert.equal(tokyo.starts, startsBefore, `no restart before ${delayMs} ms`);
    await clock.advance(1);
    assert.equal(tokyo.starts, startsBefore + 1, `restarted at ${delayMs} ms`);
    assert.equal(sup.status().find((s) => s.name === 'gateway tokyo')!.state, 'running');
  }
  assert.deepEqual(kinds().slice(0, 3), ['exited:gateway tokyo', 'restarting:gateway tokyo', 'restarted:gateway tokyo']);
  assert.equal(virginia.starts, 1);
  assert.equal(virginia.current.pid, virginiaPid);
  assert.equal(virginia.current.stopped, false);
  const status = sup.status();
  assert.deepEqual(status.map((s) => [s.name, s.state, s.restarts]), [['gateway tokyo', 'running', 3], ['gateway virginia', 'running', 0]]);

  sup.stopRestarting();
  await sup.stop('gateway tokyo');
  await sup.stop('gateway virginia');
  assert.equal(tokyo.current.stopped, true);
  assert.equal(virginia.current.stopped, true);
  assert.equal(clock.pending, 0, 'no timer left');
});

test('the backoff is capped, and starts over after a run longer than stableAfterMs', async () => {
  const { clock, events, sup } = setup({ backoffInitialMs: 100, backoffMaxMs: 400, stableAfterMs: 10_000, restartsMax: 100 });
  const svc = new FakeService('Kafka tokyo');
  await sup.launch(svc);
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    svc.current.die();
    await settle();
    const e = events.at(-1)!;
    assert.equal(e.kind, 'exited');
    if (e.kind === 'exited') delays.push(e.restartInMs);
    await clock.advance(e.kind === 'exited' ? e.restartInMs : 0);
  }
  assert.deepEqual(delays, [100, 200, 400, 400, 400]);
  await clock.advance(10_000);
  svc.current.die();
  await settle();
  const e = events.at(-1)!;
  assert.equal(e.kind === 'exited' && e.restartInMs, 100, 'a healthy run resets the backoff');
  assert.equal(e.kind === 'exited' && e.uptimeMs, 10_000);
  await sup.stop('Kafka tokyo');
  assert.equal(clock.pending, 0);
});

test('a crash loop is given up on after restartsMax restarts in the window; the rest keeps running', async () => {
  const { clock, events, sup } = setup({ backoffInitialMs: 10, backoffMaxMs: 10, restartsMax: 3, restartWindowMs: 60_000 });
  const tokyo = new FakeService('gateway tokyo');
  const virginia = new FakeService('gateway virginia');
  await sup.launch(tokyo);
  await sup.launch(virginia);
  for (let i = 0; i < 3; i++) {
    tokyo.current.die(1, null);
    await settle();
    await clock.advance(10);
  }
  assert.equal(tokyo.starts, 4);
  tokyo.current.die(1, null);
  await settle();
  const last = events.at(-1)!;
  assert.equal(last.kind, 'given-up');
  assert.equal(last.kind === 'given-up' && last.restartsInWindow, 3);
  assert.deepEqual(last.kind === 'given-up' && last.last, { code: 1, signal: null });
  await clock.advance(120_000);
  assert.equal(tokyo.starts, 4, 'not restarted any more');
  assert.deepEqual(sup.status().map((s) => [s.name, s.state]), [['gateway tokyo', 'given-up'], ['gateway virginia', 'running']]);
  assert.equal(virginia.current.stopped, false);
  await sup.stop('gateway tokyo');
  await sup.stop('gateway virginia');
  assert.equal(clock.pending, 0);
});

test('restarts age out of the window: a process dying now and then is restarted for ever', async () => {
  const { clock, events, sup } = setup({ backoffInitialMs: 10, restartsMax: 2, restartWindowMs: 1_000, stableAfterMs: 100_000 });
  const svc = new FakeService('Redis');
  await sup.launch(svc);
  for (let i = 0; i < 6; i++) {
    svc.current.die();
    await settle();
    assert.equal(events.at(-1)!.kind, 'exited', `death ${i + 1} is restarted`);
    await clock.advance(2_000);
  }
  assert.equal(svc.starts, 7);
  await sup.stop('Redis');
});

test('a restart that fails to start is retried with the next backoff, and counts towards the limit', async () => {
  const { clock, events, sup, kinds } = setup({ backoffInitialMs: 100, backoffMaxMs: 10_000, restartsMax: 3 });
  const svc = new FakeService('gateway virginia');
  await sup.launch(svc);
  svc.failNext = 1;
  svc.current.die();
  await settle();
  await clock.advance(100);
  const failed = events.at(-1)!;
  assert.equal(failed.kind, 'start-failed');
  assert.equal(failed.kind === 'start-failed' && failed.restartInMs, 200);
  assert.match(String(failed.kind === 'start-failed' && (failed.err as Error).message), /could not start/);
  await clock.advance(200);
  assert.equal(events.at(-1)!.kind, 'restarted');
  assert.deepEqual(kinds(), ['exited:gateway virginia', 'restarting:gateway virginia', 'start-failed:gateway virginia', 'restarting:gateway virginia', 'restarted:gateway virginia']);
  svc.failNext = 5;
  svc.current.die();
  await settle();
  await clock.advance(10_000);
  assert.equal(events.at(-1)!.kind, 'given-up');
  assert.ok('err' in (events.at(-1) as { last: object }).last, 'the give-up quotes the start error');
  await sup.stop('gateway virginia');
  assert.equal(clock.pending, 0);
});

test('a restart that fails with an error that is not retriable is given up on at once, the error quoted', async () => {
  const { clock, events, sup, kinds } = setup({ backoffInitialMs: 100, backoffMaxMs: 10_000, restartsMax: 5 });
  const svc = new FakeService('kafka tokyo');
  await sup.launch(svc);
  const refusal = new InfraError('XDR_ERR_INFRA_JAVA_MISSING', 'no java executable (test)');
  svc.start = async () => {
    svc.starts += 1;
    throw refusal;
  };
  svc.current.die();
  await settle();
  await clock.advance(100);
  assert.deepEqual(kinds(), ['exited:kafka tokyo', 'restarting:kafka tokyo', 'given-up:kafka tokyo']);
  assert.equal(svc.starts, 2);
  const last = events.at(-1)!;
  assert.ok(last.kind === 'given-up' && 'err' in last.last && last.last.err === refusal);
  assert.equal(clock.pending, 0);
  await sup.stop('kafka tokyo');
});

test('stop() cancels a pending restart and aborts a start in flight; exits after it are not reported', async () => {
  const { clock, events, sup } = setup();
  const waiting = new FakeService('gateway tokyo');
  const hanging = new FakeService('gateway virginia');
  await sup.launch(waiting);
  await sup.launch(hanging);

  waiting.current.die();
  await settle();
  await sup.stop('gateway tokyo');
  await clock.advance(60_000);
  assert.equal(waiting.starts, 1, 'the pending restart was cancelled');

  hanging.hang = true;
  hanging.current.die();
  await settle();
  await clock.advance(1_000);
  assert.equal(hanging.starts, 2, 'the restart is in flight');
  await sup.stop('gateway virginia');
  assert.equal(hanging.aborted, 1, 'the start saw the abort');
  assert.equal(sup.status().find((s) => s.name === 'gateway virginia')!.state, 'stopped');
  const count = events.length;
  await clock.advance(60_000);
  assert.equal(events.length, count);
  assert.equal(clock.pending, 0);
});

test('stopRestarting(): a process that dies during shutdown is not restarted; stop() of a running one waits for it', async () => {
  const { clock, events, sup } = setup();
  const a = new FakeService('Kafka tokyo');
  const b = new FakeService('Kafka virginia');
  await sup.launch(a);
  await sup.launch(b);
  sup.stopRestarting();
  a.current.die();
  await settle();
  await clock.advance(60_000);
  assert.equal(a.starts, 1);
  assert.equal(events.length, 0, 'a death during shutdown is expected, not news');
  await sup.stop('Kafka virginia');
  assert.equal(b.current.stopped, true);
  await assert.rejects(sup.launch(new FakeService('late')), /stopping/);
});

test('a stop during the first start aborts it and launch rejects', async () => {
  const { sup } = setup();
  const svc = new FakeService('gateway tokyo');
  svc.hang = true;
  const launching = sup.launch(svc);
  await settle();
  await sup.stop('gateway tokyo');
  await assert.rejects(launching, /aborted/);
  assert.equal(sup.status()[0]!.state, 'stopped');
});

test('decideRestart is pure: same inputs, same decision; restartPolicy refuses nonsense', () => {
  const policy = restartPolicy({ backoffInitialMs: 1000, backoffMaxMs: 4000, restartsMax: 2, restartWindowMs: 10_000 });
  const h0 = freshHistory(policy);
  const d1 = decideRestart(policy, h0, 5_000, 10);
  assert.deepEqual(d1, { action: 'restart', delayMs: 1000, history: { restartsAtMs: [5_000], nextBackoffMs: 2000 } });
  assert.deepEqual(decideRestart(policy, h0, 5_000, 10), d1);
  const d2 = decideRestart(policy, d1.history, 7_000, 10);
  assert.equal(d2.action, 'restart');
  const d3 = decideRestart(policy, d2.history, 8_000, 10);
  assert.equal(d3.action, 'give-up');
  const d4 = decideRestart(policy, d2.history, 16_000, 10);
  assert.equal(d4.action, 'restart', 'the first restart left the window');
  assert.throws(() => restartPolicy({ backoffInitialMs: 0 }), /backoffInitialMs/);
  assert.throws(() => restartPolicy({ backoffInitialMs: 5000, backoffMaxMs: 1000 }), /backoffInitialMs/);
  assert.throws(() => restartPolicy({ restartsMax: -1 }), /restartsMax/);
  assert.ok(Object.isFrozen(policy));
});
