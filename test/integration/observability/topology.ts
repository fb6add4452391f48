// Two real gateway processes (`xdrgate serve`) for the observability tests: a
// config file of their own in a temp dir, random region names (so topics and
// consumer groups never meet another test's on the shared brokers), each
// region on its own Kafka broker, and one Redis that carries the route catalog
// and the telemetry bus.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../xdr/infra/index.js';
import { defer, type CleanupScope } from '../../helpers/cleanup.js';
import { waitFor } from '../../helpers/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const NS = 'obs';

export interface GatewayHandle {
  name: string;
  id: number;
  port: number;
  url: string;
  configFile: string;
  dataDir: string;
  proc: ChildProcess | null;
  output: string[];
}

export interface Topology {
  /** The folder of both config files (relative paths in them, e.g. custom resolver modules, start here). */
  dir: string;
  a: GatewayHandle;
  b: GatewayHandle;
  /** Route a → b and b → a. */
  routeAB: string;
  routeBA: string;
  redisUrl: string;
  prefix: string;
  start(g: GatewayHandle): Promise<void>;
  stop(g: GatewayHandle): Promise<void>;
}

export interface TopologyOptions {
  brokers: { a: string[]; b: string[] };
  redisUrl: string;
  /** More namespaces per region, as YAML entries under `namespaces:` (two-space indented). */
  namespaces?: { a?: string; b?: string };
}

function configYaml(self: GatewayHandle, o: TopologyOptions, prefix: string, routeAB: string, routeBA: string, a: GatewayHandle, b: GatewayHandle): string {
  const extra = (self === a ? o.namespaces?.a : o.namespaces?.b) ?? '';
  const region = (g: GatewayHandle, brokers: string[]) => `  - name: ${g.name}\n    id: ${g.id}\n    kafka:\n      brokers: [${brokers.join(', ')}]\n`;
  return [
    `region:\n  name: ${self.name}\n  id: ${self.id}`,
    `listen: 127.0.0.1:${self.port}`,
    `data-dir: ${self.dataDir}`,
    `log-level: ${process.env.XDRGATE_TEST_LOG_LEVEL ?? 'warn'}`,
    `max-clock-offset: 60s`,
    `redis-url: ${o.redisUrl}`,
    `redis-key-prefix: "${prefix}"`,
    `namespaces:
  ${NS}:
    storage:
      engine: device
      filesize: 64M
      flush-max-ms: 100
${extra}`,
    `regions:\n${region(a, o.brokers.a)}${region(b, o.brokers.b)}`,
    `routes:\n  - name: ${routeAB}\n    source: ${a.name}\n    destination: ${b.name}\n    namespace: ${NS}\n    resolver: lww\n  - name: ${routeBA}\n    source: ${b.name}\n    destination: ${a.name}\n    namespace: ${NS}\n    resolver: lww`,
    '',
  ].join('\n');
}

export async function startTopology(t: CleanupScope, o: TopologyOptions): Promise<Topology> {
  const tag = randomBytes(3).toString('hex');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xdrgate-obs-'));
  defer(t, () => rm(dir, { recursive: true, force: true }));
  const make = async (name: string, id: number): Promise<GatewayHandle> => {
    const port = await freePort();
    return { name, id, port, url: `http://127.0.0.1:${port}`, configFile: path.join(dir, `${name}.yaml`), dataDir: path.join(dir, name), proc: null, output: [] };
  };
  const a = await make(`oa-${tag}`, 11);
  const b = await make(`ob-${tag}`, 12);
  const prefix = `xdrgate-obs:${tag}:`;
  const routeAB = `${a.name}-to-${b.name}`;
  const routeBA = `${b.name}-to-${a.name}`;
  await writeFile(a.configFile, configYaml(a, o, prefix, routeAB, routeBA, a, b));
  await writeFile(b.configFile, configYaml(b, o, prefix, routeAB, routeBA, a, b));

  const start = async (g: GatewayHandle): Promise<void> => {
    // The config file says everything: XDRGATE_* variables of the test runner
    // (its shared brokers and Redis) would override it.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('XDRGATE_')) env[k] = v;
    const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--config', g.configFile], {
      env: { ...env, XDRGATE_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    g.proc = child;
    const keep = (chunk: Buffer) => {
      g.output.push(chunk.toString('utf8'));
      if (g.output.length > 200) g.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let exited: Error | undefined;
    await waitFor(
      async () => {
        // An exit is final: stop waiting at once and report it.
        if (child.exitCode !== null) exited ??= new Error(`gateway ${g.name} exited ${child.exitCode}:\n${g.output.join('')}`);
        return exited !== undefined || (await fetch(`${g.url}/readyz`)).status === 200;
      },
      { timeoutMs: 90_000, intervalMs: 200, what: `gateway ${g.name} ready` },
    );
    if (exited !== undefined) throw exited;
  };
  const stop = async (g: GatewayHandle): Promise<void> => {
    const child = g.proc;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    g.proc = null;
  };
  defer(t, async () => {
    await Promise.all([stop(a), stop(b)]);
  });
  await Promise.all([start(a), start(b)]);
  return { dir, a, b, routeAB, routeBA, redisUrl: o.redisUrl, prefix, start, stop };
}

export async function call(g: GatewayHandle, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${g.url}${p}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // /metrics is text
  }
  return { status: res.status, body: parsed };
}

export async function put(g: GatewayHandle, key: string, bins: Record<string, unknown>): Promise<void> {
  const res = await call(g, 'PUT', `/v1/records/${NS}/s/${key}`, { bins });
  if (res.status !== 200) throw new Error(`PUT ${key} in ${g.name}: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function shipStats(g: GatewayHandle, route: string): Promise<any> {
  const res = await call(g, 'GET', '/v1/stats');
  return (res.body.replication.ship as any[]).find((r) => r.route === route);
}

export async function recvStats(g: GatewayHandle, route: string): Promise<any> {
  const res = await call(g, 'GET', '/v1/stats');
  return (res.body.replication.receive as any[]).find((r) => r.route === route);
}

/** The value of `name{...labels...}` in a Prometheus text page. */
export function metricValue(text: string, name: string, labelPart: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labelPart)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
