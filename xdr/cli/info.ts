/**
 * `xdrgate info <command...>`: asinfo's job over the Aerospike client
 * protocol. Sends one info request to a gateway's service port (logging in
 * first when --user is given, as clients do) and prints the answers. The
 * address defaults to the `service` of a region config (Tokyo's as shipped),
 * so `xdrgate info namespaces` just works next to `xdrgate up`.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import {
  AdminCommand, AdminField, FrameSplitter, MessageType, ResultCode, frame, resultCodeName, type Frame,
} from '../../aerospike-protocol/index.js';
import { credentialOf } from '../aerospike/index.js';
import { loadConfig } from '../config/index.js';
import { packageRoot, run } from './shared.js';

export interface InfoRequestOptions {
  host: string;
  port: number;
  commands: readonly string[];
  user?: string;
  password?: string;
  timeoutMs: number;
}

/** An info reply arrives in one frame; a gateway answers a few KiB at most, a partition map 40 KiB per namespace. */
const REPLY_BYTES_MAX = 64 * 1024 * 1024;

function adminLogin(user: string, password: string): Buffer {
  const fields = [[AdminField.USER, Buffer.from(user)], [AdminField.CREDENTIAL, Buffer.from(credentialOf(password))]] as const;
  const header = Buffer.alloc(16);
  header[2] = AdminCommand.LOGIN;
  header[3] = fields.length;
  const parts = fields.map(([id, data]) => {
    const h = Buffer.alloc(5);
    h.writeUInt32BE(data.length + 1);
    h[4] = id;
    return Buffer.concat([h, data]);
  });
  return frame(MessageType.ADMIN, Buffer.concat([header, ...parts]));
}

/** Splits an info reply body into (name, value) pairs in request order. */
export function parseInfoReply(body: Buffer): Array<[string, string]> {
  return body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      return tab < 0 ? [line, ''] : [line.slice(0, tab), line.slice(tab + 1)];
    });
}

/** One info request (after a login when `user` is set); resolves with the reply pairs. */
export async function infoRequest(o: InfoRequestOptions): Promise<Array<[string, string]>> {
  const socket = net.connect({ host: o.host, port: o.port });
  const splitter = new FrameSplitter({ maxBodyBytes: REPLY_BYTES_MAX });
  const frames: Frame[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    splitter.push(chunk);
    try {
      for (let f = splitter.next(); f !== null; f = splitter.next()) frames.push(f);
    } catch (err) {
      failure = err as Error;
    }
    wake?.();
  });
  socket.on('error', (err) => {
    failure = new Error(`cannot reach the service port at ${o.host}:${o.port}: ${err.message}`);
    wake?.();
  });
  socket.on('close', () => {
    failure ??= new Error(`${o.host}:${o.port} closed the connection before answering (is the gateway ready?)`);
    wake?.();
  });
  const deadline = Date.now() + o.timeoutMs;
  const next = async (): Promise<Frame> => {
    while (frames.length === 0) {
      if (failure) throw failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no answer from ${o.host}:${o.port} within ${o.timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return frames.shift()!;
  };
  try {
    if (o.user !== undefined) {
      socket.write(adminLogin(o.user, o.password ?? ''));
      const reply = await next();
      const code = reply.body[1] ?? ResultCode.UNKNOWN;
      if (code !== ResultCode.OK && code !== ResultCode.SECURITY_NOT_ENABLED) throw new Error(`login as ${o.user} refused: ${resultCodeName(code)} (${code})`);
    }
    socket.write(frame(MessageType.INFO, Buffer.from(o.commands.map((c) => `${c}\n`).join(''), 'utf8')));
    const reply = await next();
    if (reply.type !== MessageType.INFO) throw new Error(`expected an info reply, got message type ${reply.type}`);
    return parseInfoReply(reply.body);
  } finally {
    socket.destroy();
  }
}

/** The service address a region config serves (XDRGATE_SERVICE applies), for connecting: a wildcard bind is reached on loopback. */
export function serviceAddressOf(configFile: string): { host: string; port: number } {
  const service = loadConfig(configFile, { env: process.env }).service;
  if (service === undefined) throw new Error(`${configFile} has no service port (service: host:port); give --port`);
  const host = service.host === '0.0.0.0' || service.host === '::' ? '127.0.0.1' : service.host;
  return { host, port: service.port };
}

interface InfoCliOptions {
  config: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  timeout: number;
}

export function addInfoCommand(program: Command): void {
  program
    .command('info')
    .description("ask a gateway's Aerospike service port info commands, like asinfo (e.g. namespaces, build, statistics, namespace/user_data)")
    .argument('<command...>', 'info commands, answered in order')
    .option('--config <file>', 'region config whose service address to use', path.join('config', 'tokyo.yaml'))
    .option('--host <host>', 'service host (default: from --config)')
    .option('--port <port>', 'service port (default: from --config)', (v) => Number.parseInt(v, 10))
    .option('--user <name>', 'log in as this user (service.users)')
    .option('--password <password>', 'its password (default $XDRGATE_SERVICE_PASSWORD)')
    .option('--timeout <ms>', 'how long to wait for the answer', (v) => Number.parseInt(v, 10), 5000)
    .action((commands: string[], o: InfoCliOptions) =>
      run(async () => {
        const fromConfig = o.host !== undefined && o.port !== undefined ? undefined : serviceAddressOf(configPath(o.config));
        const host = o.host ?? fromConfig!.host;
        const port = o.port ?? fromConfig!.port;
        const pairs = await infoRequest({ host, port, commands, timeoutMs: o.timeout, ...(o.user ? { user: o.user, password: o.password ?? process.env.XDRGATE_SERVICE_PASSWORD ?? '' } : {}) });
        for (const [name, value] of pairs) {
          if (/^(ERROR|FAIL):/.test(value) || /^ERROR:/.test(name)) process.exitCode = 1;
          process.stdout.write(commands.length === 1 ? `${value || name}\n` : `${name}\t${value}\n`);
        }
      }),
    );
}

/** The config file as given, or the package's own copy when run outside the package folder (npx xdrgate info). */
function configPath(given: string): string {
  const resolved = path.resolve(given);
  return existsSync(resolved) || path.isAbsolute(given) ? resolved : path.join(packageRoot(), given);
}
