/**
 * A real gateway for the suite: `xdrgate serve` with a configuration of one
 * region whose namespace is `test` (the suite's default), in memory, with the
 * service port on a free loopback port. No routes, so no Kafka is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../xdr/infra/index.js';

export interface SuiteGateway {
  servicePort: number;
  httpPort: number;
  logFile: string;
  /** The gateway's process id (benchmarks read its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface SuiteGatewayOptions {
  /** Users of the service port (clients must log in); none by default. */
  users?: Array<{ name: string; password: string }>;
  /** aerospike.conf text whose namespace stanzas replace the in-memory `test` namespace (namespaces-from). */
  aerospikeConf?: string;
}

function configYaml(dataDir: string, httpPort: number, servicePort: number, o: SuiteGatewayOptions): string {
  const users = o.users === undefined ? '' : `, users: ${JSON.stringify(o.users)}`;
  return [
    '# Written by scripts/aerospike-suite: one region serving the official client suite.',
    'region: { name: suite, id: 1 }',
    `listen: 127.0.0.1:${httpPort}`,
    `data-dir: ${dataDir}`,
    'log-level: warn',
    `service: { host: 127.0.0.1, port: ${servicePort}${users} }`,
    ...(o.aerospikeConf !== undefined
      ? ['namespaces-from: aerospike.conf']
      : [
          'namespaces:',
          '  test:',
          '    # No route ships this namespace, so it cannot be `shipped` (the memory default): acknowledged from RAM.',
          '    durability: buffered',
          '    default-ttl: 0',
          '    nsup-period: 1',
          '    storage: { engine: memory, data-size: 256M }',
        ]),
    'regions:',
    '  - { name: suite, id: 1, kafka: { brokers: ["127.0.0.1:9"] } }',
    '',
  ].join('\n');
}

/** Ready means /readyz answers 200: the service port is bound before that but closes connections until then. */
async function waitForReady(httpPort: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode} before it was ready`);
    const res = await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the gateway was not ready within ${timeoutMs} ms`);
}

export async function startSuiteGateway(root: string, o: SuiteGatewayOptions = {}): Promise<SuiteGateway> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'xdrgate-aerospike-suite-'));
  const httpPort = await freePort();
  const servicePort = await freePort();
  const configFile = path.join(work, 'suite.yaml');
  writeFileSync(configFile, configYaml(path.join(work, 'data'), httpPort, servicePort, o));
  if (o.aerospikeConf !== undefined) writeFileSync(path.join(work, 'aerospike.conf'), o.aerospikeConf);
  const logFile = path.join(work, 'gateway.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(root, 'bin', 'xdrgate.js'), 'serve', '--config', configFile], {
    cwd: root,
    stdio: ['ignore', out, out],
    // The test runner exports XDRGATE_* for its own brokers and Redis; a gateway reads them as config overrides.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('XDRGATE_'))), XDRGATE_LOG_LEVEL: 'warn' },
  });
  try {
    await waitForReady(httpPort, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${(err as Error).message}; last lines of ${logFile}:\n${tail}`);
  }
  return {
    servicePort,
    httpPort,
    logFile,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (process.env.XDRGATE_KEEP_SUITE_DATA === undefined) rmSync(work, { recursive: true, force: true });
    },
  };
}
