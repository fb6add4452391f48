/**
 * The parts `xdrgate up` runs, each as a supervised service (xdr/process):
 * how to start a gateway, a Kafka broker or the Redis up started, how to see
 * that it serves, and how to stop it. Every start of a service runs the same
 * thing: a gateway is spawned with the same command line and environment each
 * time, a broker on the same ports and data. Also how up reports what the
 * supervisor does: one line on stderr, and a JSON line in up.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ensureRedis, guardChild, KafkaBroker, terminate, type KafkaBrokerOptions, type RedisHandle } from '../infra/index.js';
import { assertAddressFree, type ExitInfo, type ServiceSpec, type SupervisedProcess, type SupervisorEvent } from '../process/index.js';

const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 200;
/** How long a gateway may take to flush and commit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 20_000;
const LOG_TAIL_LINES = 30;

/** One progress line on stderr: `• step — detail`. */
export function progress(step: string, detail = ''): void {
  process.stderr.write(`• ${step}${detail ? ` — ${detail}` : ''}\n`);
}

function exitText(e: ExitInfo): string {
  return e.signal !== null ? `signal ${e.signal}` : `code ${e.code}`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/** Prints a supervisor event for the operator and logs it to up.log. `logFiles` names each service's own log. */
export function reportEvent(e: SupervisorEvent, log: Logger, logFiles: ReadonlyMap<string, string>): void {
  const where = logFiles.has(e.service) ? `; log: ${logFiles.get(e.service)}` : '';
  switch (e.kind) {
    case 'exited':
      progress(`${e.service} exited`, `${exitText(e.exit)} after ${seconds(e.uptimeMs)} (pid ${e.pid}); restarting in ${seconds(e.restartInMs)}${where}`);
      log.warn({ event: e.kind, service: e.service, pid: e.pid, exit: e.exit, uptimeMs: e.uptimeMs, restartInMs: e.restartInMs }, `${e.service} exited; restarting`);
      break;
    case 'restarting':
      log.info({ event: e.kind, service: e.service, attempt: e.attempt }, `restarting ${e.service}`);
      break;
    case 'restarted':
      progress(`${e.service} restarted`, `pid ${e.pid} (restart ${e.attempt})`);
      log.info({ event: e.kind, service: e.service, pid: e.pid, attempt: e.attempt }, `${e.service} restarted`);
      break;
    case 'start-failed': {
      const message = (e.err as Error).message?.split('\n')[0] ?? String(e.err);
      progress(`${e.service} did not start`, `${message}; next try in ${seconds(e.restartInMs)}${where}`);
      log.warn({ event: e.kind, service: e.service, err: e.err, restartInMs: e.restartInMs }, `${e.service} did not start`);
      break;
    }
    case 'given-up':
      progress(
        `${e.service} is left down`,
        `it died again after ${e.restartsInWindow} restarts within ${Math.round(e.windowMs / 60_000)} min; up no longer restarts it and keeps the rest running. Fix the cause${where}, then Ctrl-C and run xdrgate up again`,
      );
      log.error({ event: e.kind, service: e.service, restartsInWindow: e.restartsInWindow, last: e.last }, `${e.service} given up`);
      break;
  }
}

/** SIGTERM, SIGKILL after the grace; resolves once the child is gone. */
function stopChild(child: ChildProcess): Promise<void> {
  return terminate(child, STOP_GRACE_MS);
}

async function logTail(logFile: string): Promise<string> {
  return (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

/** Polls `<url>/readyz` until 200 from a gateway that is still `child` (it must not have exited meanwhile). */
async function waitReady(url: string, child: ChildProcess, logFile: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (signal.aborted) throw new Error(`start of the gateway at ${url} aborted`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`gateway at ${url} exited with ${child.signalCode ?? `code ${child.exitCode}`}; last lines of ${logFile}:\n${await logTail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      // The address was free before the spawn, so a 200 while the child lives is the child's.
      if (res.status === 200 && child.exitCode === null) return;
    } catch {
      // not listening yet
    }
    await sleep(READY_POLL_MS);
  }
  throw new Error(`gateway at ${url} not ready after ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
}

export interface GatewayPlan {
  region: string;
  host: string;
  port: number;
  /** The Aerospike client-protocol port it is given (XDRGATE_SERVICE). */
  servicePort: number;
  configFile: string;
  dataDir: string;
  logFile: string;
  /** The gateway's executable and arguments before `serve` (node and bin/xdrgate.js). */
  command: readonly string[];
  /** Complete environment of the gateway process (the same at every restart). */
  env: Readonly<Record<string, string | undefined>>;
}

/** A gateway: `xdrgate serve --config <file>` with the plan's environment, ready when /readyz says 200. */
export function gatewayService(plan: GatewayPlan): ServiceSpec & { url: string } {
  const url = `http://${plan.host}:${plan.port}`;
  const args = [...plan.command.slice(1), 'serve', '--config', plan.configFile];
  return {
    name: `gateway ${plan.region}`,
    url,
    async start(signal) {
      await assertAddressFree(`gateway ${plan.region}`, plan.host, plan.port, `Stop that process, or start up with another --${plan.region}-port.`);
      await assertAddressFree(`gateway ${plan.region} service port`, plan.host, plan.servicePort, `Stop that process (an Aerospike server?), or start up with another --${plan.region}-service-port.`);
      const out = createWriteStream(plan.logFile, { flags: 'a' });
      const child = spawn(plan.command[0]!, args, { env: plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
      // Both streams into one file: neither may end it for the other; the child's 'close' (all stdio done) does.
      child.stdout!.pipe(out, { end: false });
      child.stderr!.pipe(out, { end: false });
      child.once('close', () => out.end());
      // A gateway must not outlive the up that supervises it (kill -9 of up included).
      guardChild(child);
      const exited = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, sig) => resolve({ code, signal: sig }));
        child.once('error', () => resolve({ code: null, signal: null }));
      });
      const proc: SupervisedProcess = { pid: child.pid, exited, stop: () => stopChild(child) };
      try {
        await waitReady(url, child, plan.logFile, signal);
      } catch (err) {
        await proc.stop();
        throw err;
      }
      return proc;
    },
  };
}

/** A Kafka broker: created on the first start, restarted on the same ports and data afterwards. */
export function brokerService(region: string, options: KafkaBrokerOptions, onFirstStart: (b: KafkaBroker) => void): ServiceSpec {
  let broker: KafkaBroker | undefined;
  return {
    name: `Kafka ${region}`,
    async start(signal) {
      // Aborting stops the JVM, which ends a start in progress with an error.
      const onAbort = () => void broker?.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (broker === undefined) {
          broker = await KafkaBroker.start(options);
          onFirstStart(broker);
        } else await broker.start();
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      const b = broker;
      if (signal.aborted) {
        await b.stop();
        throw new Error(`start of Kafka ${region} aborted`);
      }
      return { pid: b.pid, exited: b.exited(), stop: () => b.stop() };
    },
  };
}

/** The Redis up started (none answered): restarted on the same URL when it dies. */
export function redisService(first: RedisHandle, logger: Logger): ServiceSpec & { first: SupervisedProcess } {
  const asProcess = (h: RedisHandle): SupervisedProcess => ({ pid: h.pid, exited: h.exited ?? new Promise<ExitInfo>(() => undefined), stop: () => h.stop() });
  return {
    name: 'Redis',
    first: asProcess(first),
    async start() {
      const h = await ensureRedis(first.url, { logger });
      if (!h.started) throw new Error(`another Redis now answers at ${first.url}; the gateways use it, but up did not start it and does not supervise it`);
      return asProcess(h);
    },
  };
}

