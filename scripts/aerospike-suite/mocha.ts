/**
 * Runs one file of the official suite in its own mocha process against the
 * gateway, leaving out the excluded tests by full title, and reads mocha's
 * JSON report.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SuiteInstall } from './install.js';

/** A file that takes longer than this is stopped (its remaining tests count as failed). */
const FILE_TIMEOUT_MS = 240_000;

export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  /** Skipped by the suite itself (it.skip, skipUnless...: enterprise-only, server-version gated). */
  pending: number;
  excluded: number;
  failures: Array<{ title: string; error: string }>;
  /** Titles mocha listed (dry run), to check the exclusion list against. */
  titles: string[];
  durationMs: number;
}

interface MochaReport {
  stats: { passes: number; failures: number; pending: number };
  tests: Array<{ fullTitle: string }>;
  failures: Array<{ fullTitle: string; err: { message?: string } }>;
}

/** A regular expression source matching `s` literally; control characters are written as escapes so the pattern stays one plain argument. */
function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\u0000-\u001f\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function mocha(install: SuiteInstall, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [install.mocha, ...args], { cwd: install.packageDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-20_000)));
    child.stderr.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The suite's helper registers a global before() that connects and reads the
 * server's build, edition, features and namespace config without awaiting
 * them (test_helper.ts), so tests that start first see no build and skip
 * themselves as version-gated, or compute expected codes for a pre-4.6 server.
 * Loaded with --file before the test file, this hook runs after the helper's
 * and waits until those answers are in; it changes no test.
 */
const AWAIT_HELPER = `// Written by xdrgate's scripts/aerospike-suite (see mocha.ts there).
'use strict';
const helper = require('./test_helper.js');
before(async function () {
  this.timeout(15000);
  const deadline = Date.now() + 15000;
  while (helper.cluster.build === '' || !('config' in helper.cluster.namespaceInfo)) {
    if (Date.now() > deadline) throw new Error('the suite helper did not read the server info within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});
`;

export async function runFile(install: SuiteInstall, file: string, excluded: readonly string[], servicePort: number): Promise<FileResult> {
  const startedMs = Date.now();
  const env = { OPTIONS: `--host 127.0.0.1 --port ${servicePort} --namespace test --set demo`, NODE_NO_WARNINGS: '1' };
  const reportFile = path.join(os.tmpdir(), `xdrgate-aerospike-suite-${process.pid}-${file}.json`);
  const dryFile = `${reportFile}.dry`;
  const test = `test/${file}.js`;
  // The titles first (nothing runs): the exclusion list must name tests that exist.
  await mocha(install, ['--dry-run', '--reporter', 'json', '--reporter-option', `output=${dryFile}`, test], env, 60_000);
  const titles = existsSync(dryFile) ? (JSON.parse(readFileSync(dryFile, 'utf8')) as MochaReport).tests.map((t) => t.fullTitle) : [];
  rmSync(dryFile, { force: true });
  writeFileSync(path.join(install.packageDir, 'test', 'xdrgate-await-helper.js'), AWAIT_HELPER);
  const args = ['--exit', '--file', 'test/xdrgate-await-helper.js', '--reporter', 'json', '--reporter-option', `output=${reportFile}`];
  if (excluded.length > 0) args.push('--grep', `^(?:${excluded.map(escapeRegex).join('|')})$`, '--invert');
  const { code, output } = await mocha(install, [...args, test], env, FILE_TIMEOUT_MS);
  // Counted per test: two tests of a file can share a title, and an exclusion leaves out both.
  const result: FileResult = { file, passed: 0, failed: 0, pending: 0, excluded: titles.filter((t) => excluded.includes(t)).length, failures: [], titles, durationMs: 0 };
  if (!existsSync(reportFile)) {
    result.failed = Math.max(1, titles.length - result.excluded);
    result.failures.push({ title: `${file} (the mocha run produced no report; exit ${code})`, error: output.split('\n').slice(-15).join('\n') });
  } else {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as MochaReport;
    rmSync(reportFile, { force: true });
    result.passed = report.stats.passes;
    result.failed = report.stats.failures;
    result.pending = report.stats.pending;
    result.failures = report.failures.map((f) => ({ title: f.fullTitle, error: (f.err.message ?? '').split('\n')[0]!.slice(0, 300) }));
  }
  result.durationMs = Date.now() - startedMs;
  return result;
}
