/**
 * Redis for tests and the local topology: use the one that answers at the given
 * URL, or start a throw-away redis-server (no persistence) on loopback. CI
 * machines may have the binary but no running server; developer machines usually
 * have both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger } from 'pino';
import { guardChild, terminate } from './child-guard.js';
import { InfraError } from './errors.js';
import { freePort } from './free-port.js';
import type { ExitInfo } from '../process/index.js';

export const REDIS_URL_DEFAULT = 'redis://127.0.0.1:6379';

export interface EnsureRedisOptions {
  /** redis-server executable. @default $XDRGATE_REDIS_SERVER or 'redis-server' */
  command?: string;
  /** How long a started server may take to answer PING. @default 10000 */
  startTimeoutMs?: number;
  /** Do not keep this Node process alive for the server's sake. @default false */
  unref?: boolean;
  logger?: Logger;
}

export interface RedisHandle {
  url: string;
  /** True when this call started the server (stop() then ends it). */
  started: boolean;
  /** The server's pid, when this call started it. */
  pid?: number;
  /** Resolves when a server this call started exits (for a supervisor); absent for one already running. */
  exited?: Promise<ExitInfo>;
  /** Ends a server this call started; does nothing for one that was already running. */
  stop(): Promise<void>;
}

/**
 * Returns a Redis that answers PING: the one at `url` (default $XDRGATE_REDIS_URL,
 * $REDIS_URL, then redis://127.0.0.1:6379) when it answers; otherwise a new
 * redis-server on loopback, on the URL's port when that URL is a loopback one
 * (so pointing at a free port starts a server there), else on a free port.
 */
export async function ensureRedis(url?: string, options: EnsureRedisOptions = {}): Promise<RedisHandle> {
  const target = new URL(url ?? process.env.XDRGATE_REDIS_URL ?? process.env.REDIS_URL ?? REDIS_URL_DEFAULT);
  const host = target.hostname === '' ? '127.0.0.1' : target.hostname;
  const port = target.port === '' ? 6379 : Number(target.port);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ module: 'redis-server' });
  if (await pingRedis(host, port)) {
    logger.debug({ url: target.href }, 'using the Redis that answers');
    return { url: target.href, started: false, stop: async () => undefined };
  }
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const listenPort = loopback ? port : await freePort();
  return await startRedis(listenPort, options, logger);
}

async function startRedis(port: number, options: EnsureRedisOptions, logger: Logger): Promise<RedisHandle> {
  const command = options.command ?? process.env.XDRGATE_REDIS_SERVER ?? 'redis-server';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let spawnError: NodeJS.ErrnoException | undefined;
  let stderr = '';
  child.once('error', (err) => (spawnError = err));
  child.stderr?.on('data', (chunk: Buffer) => {
    // Bounded: only the start of stderr matters for an error message.
    if (stderr.length < 4_096) stderr += chunk.toString('utf8');
  });
  guardChild(child);
  if (options.unref === true) {
    child.unref();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  }
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // A server that dies on its own leaves its (empty, unpersisted) dir behind otherwise.
  void exited.then(() => rm(dir, { recursive: true, force: true }).catch(() => undefined));
  const stop = async (): Promise<void> => {
    await terminate(child, 5_000);
    await rm(dir, { recursive: true, force: true });
  };
  const deadlineMs = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (Date.now() < deadlineMs) {
    if (spawnError !== undefined) {
      await rm(dir, { recursive: true, force: true });
      throw missingOrFailed(command, spawnError);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      await rm(dir, { recursive: true, force: true });
      throw new InfraError('XDR_ERR_INFRA_REDIS_START_FAILED', `${command} on port ${port} exited at start (code ${child.exitCode}): ${stderr.trim()}`, { port, stderr });
    }
    if (await pingRedis('127.0.0.1', port)) {
      logger.info({ url, pid: child.pid }, 'started redis-server');
      return { url, started: true, ...(child.pid !== undefined ? { pid: child.pid } : {}), exited, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new InfraError('XDR_ERR_INFRA_REDIS_START_FAILED', `${command} on port ${port} did not answer PING in time: ${stderr.trim()}`, { port, stderr });
}

function missingOrFailed(command: string, err: NodeJS.ErrnoException): InfraError {
  if (err.code === 'ENOENT') {
    return new InfraError(
      'XDR_ERR_INFRA_REDIS_MISSING',
      `no Redis answered and '${command}' was not found; install it (apt-get install redis-server) or point XDRGATE_REDIS_URL at a running Redis`,
      { command },
      { cause: err },
    );
  }
  return new InfraError('XDR_ERR_INFRA_REDIS_START_FAILED', `starting ${command} failed: ${err.message}`, { command }, { cause: err });
}

/**
 * Sends a raw RESP PING and waits for the answer. Any RESP reply counts as
 * "a Redis is there": +PONG, but also -NOAUTH from a password-protected server,
 * which a client with the right URL can use.
 */
export async function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk[0] === 0x2b /* + */ || chunk[0] === 0x2d /* - */));
  });
}
