/**
 * The official Aerospike Node.js client's own benchmark (benchmarks/main.js of
 * the npm `aerospike` package that scripts/aerospike-suite installs) against a
 * gateway: `xdrgate serve` with a `test` namespace (the suite's gateway:
 * memory, durability buffered, no routes), main.js's worker processes each
 * keeping `--operations` puts and gets in flight through the client (its
 * default bins: a 1 KiB string, 1 KiB of bytes, an integer; half reads, half
 * writes) over `--keys` keys for `--seconds`. Prints main.js's own output: a
 * line per second, its summary table, then its JSON summary.
 *
 * The benchmark's own dependencies (cli-table, winston) are installed once into
 * ~/.cache/xdrgate/aerospike-client-bench from the npm registry, beside a copy
 * of benchmarks/ and a link to the installed client.
 *
 *   npm run bench:aerospike-client [-- --seconds 20] [--processes 2] [--operations 64] [--keys 20000]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from '../scripts/aerospike-suite/install.js';
import { startSuiteGateway } from '../scripts/aerospike-suite/gateway.js';
import { processCpuSeconds } from './harness.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}
const seconds = arg('seconds', 20);
const processes = arg('processes', 2);
const operations = arg('operations', 64);
const keys = arg('keys', 20_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

/** What benchmarks/ requires beyond the client, pinned; changing the list reinstalls. */
const BENCH_PACKAGES = ['cli-table@0.3.11', 'winston@3.19.0'];

/** A directory holding benchmarks/ of the installed client, its dependencies and the client itself. */
function benchDir(packageDir: string): string {
  const dir = process.env.XDRGATE_AEROSPIKE_CLIENT_BENCH_DIR ?? path.join(os.homedir(), '.cache', 'xdrgate', 'aerospike-client-bench');
  const marker = path.join(dir, 'installed.json');
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== JSON.stringify(BENCH_PACKAGES)) {
    log(`installing ${BENCH_PACKAGES.join(' ')} into ${dir} (from the npm registry)`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'xdrgate-aerospike-client-bench', private: true }, null, 2));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', ...BENCH_PACKAGES], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm install failed: ${result.stderr}`);
    fs.writeFileSync(marker, JSON.stringify(BENCH_PACKAGES));
  }
  // The benchmark's files as the installed client ships them, refreshed each run.
  for (const file of fs.readdirSync(path.join(packageDir, 'benchmarks'))) {
    if (file.endsWith('.js')) fs.copyFileSync(path.join(packageDir, 'benchmarks', file), path.join(dir, file));
  }
  for (const file of ['report-both.cjs', 'no-shared-memory.cjs']) fs.copyFileSync(path.join(root, 'bench', 'aerospike-client', file), path.join(dir, file));
  const link = path.join(dir, 'node_modules', 'aerospike');
  if (!fs.existsSync(link)) fs.symlinkSync(packageDir, link, 'dir');
  return dir;
}


/** Reads and writes the service port answered, from the gateway's /metrics. */
async function servedRequests(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^xdrgate_service_requests(?:_total)?\{[^}]*command="(read|write)"[^}]*\} (\d+)/.exec(line);
    if (m) n += Number(m[2]);
  }
  return n;
}

async function main(): Promise<void> {
  const install = ensureInstalled(log);
  const dir = benchDir(install.packageDir);
  const gateway = await startSuiteGateway(root);
  try {
    // main.js reads its settings from config.json next to it (the sample's keys; no user: the gateway has none).
    const config = {
      host: '127.0.0.1', port: gateway.servicePort, timeout: 0, totalTimeout: 0, ttl: 10000, log: 'INFO', namespace: 'test', set: 'demo',
      user: null, password: null, json: false, silent: false, longevity: false, alert: 'CONSOLE', filename: null,
      operations, iterations: null, processes, time: `${seconds}s`, reads: 1, writes: 1, keyRange: { min: 0, max: keys },
      binSpec: [{ name: 'bin1', type: 'STRING', size: 1024 }, { name: 'bin2', type: 'BYTES', size: 1024 }, { name: 'bin3', type: 'INTEGER' }],
      promises: true, summary: true,
    };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
    log(`gateway service :${gateway.servicePort} (namespace test: memory, buffered); main.js: ${processes} worker processes × ${operations} operations in flight, ${keys} keys, ${seconds}s; machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, load ${os.loadavg()[0]!.toFixed(1)}`);
    const child = spawn(process.execPath, ['report-both.cjs'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ./no-shared-memory.cjs`.trim() },
    });
    const cpuBefore = processCpuSeconds(gateway.pid);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`main.js exited with ${code}`);
    const cpuAfter = processCpuSeconds(gateway.pid);
    const served = await servedRequests(gateway.httpPort);
    if (cpuBefore !== null && cpuAfter !== null && served > 0) {
      log(`gateway: ${served} service-port requests, ${(cpuAfter - cpuBefore).toFixed(1)} s of CPU (${(((cpuAfter - cpuBefore) / served) * 1e6).toFixed(1)} µs per request, user + system); load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    }
  } finally {
    await gateway.stop();
  }
}

await main();
