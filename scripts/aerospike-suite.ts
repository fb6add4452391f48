/**
 * The official Aerospike Node.js client's own tests against a real gateway:
 * installs the pinned client and its test suite from the npm registry into
 * ~/.cache/xdrgate/aerospike-suite (once), compiles the suite (once), starts
 * `xdrgate serve` with a namespace `test` and the service port on, and runs
 * each file of the chosen subset in its own mocha process. Tests that need a
 * feature the gateway does not have are left out by name, with the reason, in
 * test/aerospike-suite/excluded.json; everything else must pass. Prints
 * passed / failed / pending (skipped by the suite itself) / excluded per file.
 *
 * Usage: node --import tsx scripts/aerospike-suite.ts [--report=<file.json>] [file ...]
 *   --report  also writes every file's counts, failures and test titles as JSON
 * Exit code: 0 when every file passed and every exclusion names a real test.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSuiteGateway } from './aerospike-suite/gateway.js';
import { ensureCompiled, ensureInstalled } from './aerospike-suite/install.js';
import { runFile, type FileResult } from './aerospike-suite/mocha.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files of the suite this gateway is held to, in the order they run. */
export const SUITE_FILES = [
  'aerospike_module', 'client', 'info', 'key', 'get', 'put', 'exists', 'select', 'remove', 'remove_bin', 'operate',
  'batch_get', 'batch_exists', 'batch_select', 'batch_read', 'batch_remove', 'batch_write', 'stats',
  'lists', 'maps', 'cdt_context', 'hll', 'scan', 'query', 'index', 'index_job', 'query_numeric_filter', 'query_string_filter', 'geojson',
] as const;

interface Exclusion {
  test: string;
  reason: string;
}

function log(line: string): void {
  process.stderr.write(`[aerospike-suite] ${line}\n`);
}

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = wanted.length === 0 ? [...SUITE_FILES] : SUITE_FILES.filter((f) => wanted.includes(f));
  if (files.length === 0) {
    log(`no suite file matches ${wanted.join(', ')}; the files are: ${SUITE_FILES.join(', ')}`);
    return 1;
  }
  const exclusions = JSON.parse(readFileSync(path.join(root, 'test', 'aerospike-suite', 'excluded.json'), 'utf8')) as Record<string, Exclusion[]>;
  const startedMs = Date.now();
  const install = ensureInstalled(log);
  // test_helper is imported by every file; the list of files compiled is what the marker keys on.
  ensureCompiled(install, ['test_helper', ...SUITE_FILES], log);
  const gateway = await startSuiteGateway(root);
  log(`gateway serving the Aerospike protocol on 127.0.0.1:${gateway.servicePort} (log: ${gateway.logFile})`);
  const results: FileResult[] = [];
  const stale: string[] = [];
  try {
    for (const file of files) {
      const excluded = (exclusions[file] ?? []).map((e) => e.test);
      const result = await runFile(install, file, excluded, gateway.servicePort);
      for (const title of excluded) if (!result.titles.includes(title)) stale.push(`${file}: "${title}"`);
      results.push(result);
      log(`${pad(file, 22)}  passed ${pad(result.passed, 3)}  failed ${pad(result.failed, 3)}  pending ${pad(result.pending, 3)}  excluded ${pad(result.excluded, 3)}  ${(result.durationMs / 1000).toFixed(1)} s`);
      for (const f of result.failures) log(`    FAILED ${f.title}: ${f.error}`);
    }
  } finally {
    await gateway.stop();
  }
  const report = process.argv.find((a) => a.startsWith('--report='));
  if (report !== undefined) writeFileSync(report.slice('--report='.length), JSON.stringify(results, null, 2));
  const total = (k: 'passed' | 'failed' | 'pending' | 'excluded') => results.reduce((n, r) => n + r[k], 0);
  log(`total: passed ${total('passed')}, failed ${total('failed')}, pending ${total('pending')}, excluded ${total('excluded')} in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  for (const s of stale) log(`excluded.json names a test the suite does not have: ${s}`);
  return total('failed') === 0 && stale.length === 0 ? 0 : 1;
}

process.exit(await main());
